from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from aims.compliance import selectors, services
from aims.compliance.exports import soa_export
from aims.compliance.schemas import SoaItemOut, SoaItemPatch
from aims.core.responses import file_response
from aims.orgs.api import api_ctx

router = Router()


class SoaQuery(Schema):
    q: str = ""
    domain: str = ""
    applicable: Literal["", "yes", "no", "undecided"] = ""
    status: str = ""


@router.get("/{slug}/soa", response=list[SoaItemOut])
def soa_list(request: HttpRequest, slug: str, query: Query[SoaQuery]):
    """The 38 Annex A controls with the organisation's decisions (not paginated: it is bounded)."""
    return list(selectors.soa_list(ctx=api_ctx(request, slug),
                                   filters=selectors.SoaFilters(**query.dict())))


@router.get("/{slug}/soa/export", response={200: None})
def soa_export_file(request: HttpRequest, slug: str, format: Literal["csv", "xlsx"] = "xlsx"):
    return file_response(*soa_export(ctx=api_ctx(request, slug), fmt=format))


@router.get("/{slug}/soa/{ref}", response=SoaItemOut)
def soa_item_get(request: HttpRequest, slug: str, ref: str):
    return selectors.soa_item_get(ctx=api_ctx(request, slug), ref=ref)


@router.patch("/{slug}/soa/{ref}", response=SoaItemOut)
def soa_item_update(request: HttpRequest, slug: str, ref: str, payload: SoaItemPatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.compliance_item_update(ctx=ctx, ref=ref, data=data, version=version)
    return selectors.soa_item_get(ctx=ctx, ref=ref)
