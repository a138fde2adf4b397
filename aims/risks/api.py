import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aims.core.api import BoundedPagination, Deleted, api_ctx
from aims.core.errors import NotFound
from aims.core.responses import file_response
from aims.risks import heatmap, selectors, services
from aims.risks.exports import risk_export
from aims.risks.imports import ImportRejected, risk_import
from aims.risks.models import MAX_SCALE
from aims.risks.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    MethodologyIn,
    MethodologyOut,
    RiskAcceptIn,
    RiskImportIn,
    RiskImportOut,
    RiskImportRejectedOut,
    RiskIn,
    RiskOut,
    RiskPatch,
)

router = Router()


class RiskQuery(Schema):
    q: str = ""
    category: str = ""
    level: str = Field("", description="low, medium, high or critical: the level the risk "
                                       "stands at now (residual once rated, else inherent).")
    status: str = Field("", description="A status, or `open` for every status but closed.")
    owner: uuid.UUID | None = None
    ai_system: uuid.UUID | None = None
    control: str = Field("", max_length=20, description="Annex A control ref, e.g. A.6.2.6")
    treatment_option: str = ""
    overdue_review: bool = False
    basis: Literal["", "inherent", "residual"] = Field(
        "", description="With likelihood and impact: the risks in one heat-map cell.")
    likelihood: int | None = Field(None, ge=1, le=MAX_SCALE)
    impact: int | None = Field(None, ge=1, le=MAX_SCALE)
    sort: Literal[tuple(selectors.SORTS)] = "ref"  # type: ignore[valid-type]

    def filters(self) -> selectors.RiskFilters:
        d = self.dict()
        d["owner"] = str(d["owner"]) if d["owner"] else ""
        d["ai_system"] = str(d["ai_system"]) if d["ai_system"] else ""
        return selectors.RiskFilters(**d)


# ---------------------------------------------------------------------------- methodology


@router.get("/{slug}/risk-methodology", response=MethodologyOut)
def methodology_current(request: HttpRequest, slug: str):
    """The methodology new risks are rated under."""
    current = selectors.methodology_current(ctx=api_ctx(request, slug))
    if current is None:
        raise NotFound("No risk methodology yet.")
    return current


@router.post("/{slug}/risk-methodology", response={201: MethodologyOut})
def methodology_version_create(request: HttpRequest, slug: str, payload: MethodologyIn):
    """Save a new version; risks rated under earlier versions keep their levels."""
    data = payload.dict()
    based_on = data.pop("based_on")
    return Status(201, services.methodology_version_create(
        ctx=api_ctx(request, slug), data=data, based_on=based_on))


@router.get("/{slug}/risk-methodology/versions", response=list[MethodologyOut])
@paginate(BoundedPagination)
def methodology_list(request: HttpRequest, slug: str):
    return selectors.methodology_list(ctx=api_ctx(request, slug))


# ---------------------------------------------------------------------------- register


@router.get("/{slug}/risks", response=list[RiskOut])
@paginate(BoundedPagination)
def risk_list(request: HttpRequest, slug: str, query: Query[RiskQuery]):
    return selectors.risk_list(ctx=api_ctx(request, slug), filters=query.filters())


@router.post("/{slug}/risks", response={201: RiskOut})
def risk_create(request: HttpRequest, slug: str, payload: RiskIn):
    """Add a risk; each control in `controls` becomes applicable in the SoA."""
    ctx = api_ctx(request, slug)
    risk = services.risk_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.risk_get(ctx=ctx, risk_id=risk.pk))


@router.get("/{slug}/risks/export", response={200: None})
def risk_export_file(request: HttpRequest, slug: str, query: Query[RiskQuery],
                     format: Literal["csv", "xlsx"] = "xlsx"):
    """The register (filtered like the list) as CSV or XLSX."""
    return file_response(*risk_export(ctx=api_ctx(request, slug), fmt=format,
                                      filters=query.filters()))


@router.post("/{slug}/risks/import", response={201: RiskImportOut, 422: RiskImportRejectedOut})
def risk_import_csv(request: HttpRequest, slug: str, payload: RiskImportIn):
    """Add risks from CSV. Send JSON `{"csv": "<the file's text>"}`: the first row names the
    columns with the titles of the export (Title is required). All rows are created or none:
    if any row is refused, the answer is 422 with `problems`, one entry per refused row,
    column and rule, and nothing is written."""
    try:
        result = risk_import(ctx=api_ctx(request, slug), text=payload.csv)
    except ImportRejected as exc:
        return Status(422, {"detail": exc.message, "errors": exc.errors,
                            "problems": [p.__dict__ for p in exc.problems]})
    return Status(201, {"created": len(result.created), "refs": [r.ref for r in result.created]})


@router.get("/{slug}/risks/heatmap", response=dict)
def risk_heatmap(request: HttpRequest, slug: str, query: Query[RiskQuery]):
    """Risks per likelihood × impact cell, inherent and residual, on the current methodology's
    grid (filtered like the list; closed risks are left out unless a status is given)."""
    ctx = api_ctx(request, slug)
    filters = query.filters()
    if not filters.status:
        filters = selectors.RiskFilters(**{**filters.as_dict(), "status": selectors.OPEN})
    methodology = selectors.methodology_current(ctx=ctx)
    if methodology is None:
        raise NotFound("No risk methodology yet.")
    counts = selectors.heatmap_counts(ctx=ctx, filters=filters)
    grids = heatmap.build(methodology, counts, link=lambda *_: "")
    return heatmap.as_json(methodology, grids)


@router.get("/{slug}/risks/{risk_id}", response=RiskOut)
def risk_get(request: HttpRequest, slug: str, risk_id: uuid.UUID):
    return selectors.risk_get(ctx=api_ctx(request, slug), risk_id=risk_id)


@router.patch("/{slug}/risks/{risk_id}", response=RiskOut)
def risk_update(request: HttpRequest, slug: str, risk_id: uuid.UUID, payload: RiskPatch):
    """Change a risk. Changing a score, or `rescore: true`, rates it under the current
    methodology; changing the current score or level, or the treatment option, clears an
    earlier acceptance sign-off. A version switch that empties a rated score is refused."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if data.get("rescore") is None:
        data.pop("rescore", None)
    services.risk_update(ctx=ctx, risk_id=risk_id, data=data, version=version)
    return selectors.risk_get(ctx=ctx, risk_id=risk_id)


@router.delete("/{slug}/risks/{risk_id}", response=Deleted)
def risk_delete(request: HttpRequest, slug: str, risk_id: uuid.UUID, version: int):
    services.risk_delete(ctx=api_ctx(request, slug), risk_id=risk_id, version=version)
    return Deleted()


@router.post("/{slug}/risks/{risk_id}/accept", response=RiskOut)
def risk_accept(request: HttpRequest, slug: str, risk_id: uuid.UUID, payload: RiskAcceptIn):
    """The risk owner signs off the residual risk; anyone else gets 403."""
    ctx = api_ctx(request, slug)
    services.risk_accept(ctx=ctx, risk_id=risk_id, version=payload.version)
    return selectors.risk_get(ctx=ctx, risk_id=risk_id)


# ---------------------------------------------------------------------------- actions


@router.get("/{slug}/risks/{risk_id}/actions", response=list[ActionOut])
@paginate(BoundedPagination)
def action_list(request: HttpRequest, slug: str, risk_id: uuid.UUID):
    return selectors.action_list(ctx=api_ctx(request, slug), risk_id=risk_id)


@router.post("/{slug}/risks/{risk_id}/actions", response={201: ActionOut})
def action_create(request: HttpRequest, slug: str, risk_id: uuid.UUID, payload: ActionIn):
    ctx = api_ctx(request, slug)
    action = services.action_create(ctx=ctx, risk_id=risk_id, data=payload.dict())
    return Status(201, selectors.action_get(ctx=ctx, risk_id=risk_id, action_id=action.pk))


@router.patch("/{slug}/risks/{risk_id}/actions/{action_id}", response=ActionOut)
def action_update(request: HttpRequest, slug: str, risk_id: uuid.UUID, action_id: uuid.UUID,
                  payload: ActionPatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.action_update(ctx=ctx, risk_id=risk_id, action_id=action_id, data=data,
                           version=version)
    return selectors.action_get(ctx=ctx, risk_id=risk_id, action_id=action_id)


@router.delete("/{slug}/risks/{risk_id}/actions/{action_id}", response=Deleted)
def action_delete(request: HttpRequest, slug: str, risk_id: uuid.UUID, action_id: uuid.UUID,
                  version: int):
    services.action_delete(ctx=api_ctx(request, slug), risk_id=risk_id, action_id=action_id,
                           version=version)
    return Deleted()
