import uuid
from typing import Literal

from ninja import Query, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aims.core.api import VersionIn
from aims.core.errors import NotFound
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.orgs.api import OrgRequest, OrgRouter
from aims.risks import heatmap, selectors, services
from aims.risks.exports import risk_export
from aims.risks.imports import ImportRejected, risk_import
from aims.risks.models import MAX_SCALE
from aims.risks.schemas import (
    MethodologyIn,
    MethodologyOut,
    RiskImportIn,
    RiskImportOut,
    RiskImportRejectedOut,
    RiskIn,
    RiskOut,
    RiskPatch,
    TreatmentActionIn,
    TreatmentActionOut,
    TreatmentActionPatch,
)

router = OrgRouter()


class RiskQuery(Schema):
    q: str = ""
    category: str = ""
    level: str = Field("", description="low, medium, high or critical: the level the risk "
                                       "stands at now (residual once rated, else inherent).")
    status: str = Field("", description="A status, or `open` for every status but closed.")
    owner: uuid.UUID | None = None
    ai_system: uuid.UUID | None = None
    control: str = Field("", max_length=20, description="Annex A control ref, e.g. A.6.2.6")
    source_tag: str = Field("", max_length=10, description="A risk source of the OWASP Top 10 "
                                                           "for LLM applications, e.g. LLM01")
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
def methodology_current(request: OrgRequest, slug: str):
    """The methodology new risks are rated under."""
    current = selectors.methodology_current(ctx=request.ctx)
    if current is None:
        raise NotFound("No risk methodology yet.")
    return current


@router.post("/{slug}/risk-methodology", response={201: MethodologyOut}, perm="risks.change")
def methodology_version_create(request: OrgRequest, slug: str, payload: MethodologyIn):
    """Save a new version; risks rated under earlier versions keep their levels."""
    data = payload.dict()
    based_on = data.pop("based_on")
    return Status(201, services.methodology_version_create(
        ctx=request.ctx, data=data, based_on=based_on))


@router.get("/{slug}/risk-methodology/versions", response=list[MethodologyOut])
@paginate(BoundedPagination)
def methodology_list(request: OrgRequest, slug: str):
    return selectors.methodology_list(ctx=request.ctx)


# ---------------------------------------------------------------------------- register


@router.get("/{slug}/risks", response=list[RiskOut])
@paginate(BoundedPagination)
def risk_list(request: OrgRequest, slug: str, query: Query[RiskQuery]):
    return selectors.risk_list(ctx=request.ctx, filters=query.filters())


@router.post("/{slug}/risks", response={201: RiskOut}, perm="risks.change")
def risk_create(request: OrgRequest, slug: str, payload: RiskIn):
    """Add a risk; each control in `controls` becomes applicable in the SoA."""
    ctx = request.ctx
    risk = services.risk_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.risk_get(ctx=ctx, risk_id=risk.pk))


@router.get("/{slug}/risks/export", response={200: None})
def risk_export_file(request: OrgRequest, slug: str, query: Query[RiskQuery],
                     format: Literal["csv", "xlsx"] = "xlsx"):
    """The register (filtered like the list) as CSV or XLSX."""
    return file_response(*risk_export(ctx=request.ctx, fmt=format,
                                      filters=query.filters()))


@router.post("/{slug}/risks/import", response={201: RiskImportOut, 422: RiskImportRejectedOut},
             perm="risks.change")
def risk_import_csv(request: OrgRequest, slug: str, payload: RiskImportIn):
    """Add risks from CSV. Send JSON `{"csv": "<the file's text>"}`: the first row names the
    columns with the titles of the export (Title is required). All rows are created or none:
    if any row is refused, the answer is 422 with `problems`, one entry per refused row,
    column and rule, and nothing is written."""
    try:
        result = risk_import(ctx=request.ctx, text=payload.csv)
    except ImportRejected as exc:
        return Status(422, {"detail": exc.message, "errors": exc.errors,
                            "problems": [p.__dict__ for p in exc.problems]})
    return Status(201, {"created": len(result.created), "refs": [r.ref for r in result.created]})


@router.get("/{slug}/risks/heatmap", response=dict)
def risk_heatmap(request: OrgRequest, slug: str, query: Query[RiskQuery]):
    """Risks per likelihood × impact cell, inherent and residual, on the current methodology's
    grid (filtered like the list; closed risks are left out unless a status is given)."""
    ctx = request.ctx
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
def risk_get(request: OrgRequest, slug: str, risk_id: uuid.UUID):
    return selectors.risk_get(ctx=request.ctx, risk_id=risk_id)


@router.patch("/{slug}/risks/{risk_id}", response=RiskOut, perm="risks.change")
def risk_update(request: OrgRequest, slug: str, risk_id: uuid.UUID, payload: RiskPatch):
    """Change a risk. Changing a score, or `rescore: true`, rates it under the current
    methodology; changing the current score or level, or the treatment option, clears an
    earlier acceptance sign-off. A version switch that empties a rated score is refused."""
    ctx = request.ctx
    change = payload.changes()
    if change["data"].get("rescore") is None:
        change["data"].pop("rescore", None)
    services.risk_update(ctx=ctx, risk_id=risk_id, **change)
    return selectors.risk_get(ctx=ctx, risk_id=risk_id)


@router.delete("/{slug}/risks/{risk_id}", perm="risks.change")
def risk_delete(request: OrgRequest, slug: str, risk_id: uuid.UUID, version: int):
    services.risk_delete(ctx=request.ctx, risk_id=risk_id, version=version)
    return Status(204, None)


@router.post("/{slug}/risks/{risk_id}/accept", response=RiskOut, perm="risks.change")
def risk_accept(request: OrgRequest, slug: str, risk_id: uuid.UUID, payload: VersionIn):
    """The risk owner signs off the residual risk; anyone else gets 403."""
    ctx = request.ctx
    services.risk_accept(ctx=ctx, risk_id=risk_id, version=payload.version)
    return selectors.risk_get(ctx=ctx, risk_id=risk_id)


# ---------------------------------------------------------------------------- actions


@router.get("/{slug}/risks/{risk_id}/actions", response=list[TreatmentActionOut])
@paginate(BoundedPagination)
def action_list(request: OrgRequest, slug: str, risk_id: uuid.UUID):
    return selectors.action_list(ctx=request.ctx, risk_id=risk_id)


@router.post("/{slug}/risks/{risk_id}/actions", response={201: TreatmentActionOut},
             perm="risks.change")
def action_create(request: OrgRequest, slug: str, risk_id: uuid.UUID, payload: TreatmentActionIn):
    ctx = request.ctx
    action = services.action_create(ctx=ctx, risk_id=risk_id, data=payload.dict())
    return Status(201, selectors.action_get(ctx=ctx, risk_id=risk_id, action_id=action.pk))


@router.patch("/{slug}/risks/{risk_id}/actions/{action_id}", response=TreatmentActionOut,
              perm="risks.change")
def action_update(request: OrgRequest, slug: str, risk_id: uuid.UUID, action_id: uuid.UUID,
                  payload: TreatmentActionPatch):
    ctx = request.ctx
    services.action_update(ctx=ctx, risk_id=risk_id, action_id=action_id, **payload.changes())
    return selectors.action_get(ctx=ctx, risk_id=risk_id, action_id=action_id)


@router.delete("/{slug}/risks/{risk_id}/actions/{action_id}", perm="risks.change")
def action_delete(request: OrgRequest, slug: str, risk_id: uuid.UUID, action_id: uuid.UUID,
                  version: int):
    services.action_delete(ctx=request.ctx, risk_id=risk_id, action_id=action_id,
                           version=version)
    return Status(204, None)
