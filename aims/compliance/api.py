from typing import Literal

from ninja import Query, Schema

from aims.compliance import selectors, services
from aims.compliance.exports import soa_export
from aims.compliance.schemas import SoaItemOut, SoaItemPatch
from aims.core.responses import file_response
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class SoaQuery(Schema):
    q: str = ""
    domain: str = ""
    applicable: Literal["", "yes", "no", "undecided"] = ""
    status: str = ""


@router.get("/{slug}/soa", response=list[SoaItemOut])
def soa_list(request: OrgRequest, slug: str, query: Query[SoaQuery]):
    """The 38 Annex A controls with the organisation's decisions (not paginated: it is bounded)."""
    return selectors.soa_rows(ctx=request.ctx, filters=selectors.SoaFilters(**query.dict()))


@router.get("/{slug}/soa/export", response={200: None})
def soa_export_file(request: OrgRequest, slug: str, format: Literal["csv", "xlsx"] = "xlsx"):
    return file_response(*soa_export(ctx=request.ctx, fmt=format))


@router.get("/{slug}/soa/{ref}", response=SoaItemOut)
def soa_item_get(request: OrgRequest, slug: str, ref: str):
    return selectors.soa_item_get(ctx=request.ctx, ref=ref)


@router.patch("/{slug}/soa/{ref}", response=SoaItemOut, perm="compliance.change")
def soa_item_update(request: OrgRequest, slug: str, ref: str, payload: SoaItemPatch):
    ctx = request.ctx
    services.compliance_item_update(ctx=ctx, ref=ref, **payload.changes())
    return selectors.soa_item_get(ctx=ctx, ref=ref)
