"""Incidents, nonconformities and improvement: the API."""

import uuid
from typing import Literal

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.api import VersionIn
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.improvement import selectors, services
from aims.improvement.exports import nonconformity_export
from aims.improvement.models import (
    ImprovementSource,
    ImprovementStatus,
    IncidentSeverity,
    IncidentStatus,
    IncidentType,
    NcSeverity,
    NcSource,
    NcStatus,
)
from aims.improvement.reports import serious_report_pdf
from aims.improvement.schemas import (
    CorrectiveActionCompleteIn,
    CorrectiveActionIn,
    CorrectiveActionOut,
    ImprovementIn,
    ImprovementOut,
    ImprovementPatch,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    NonconformityFromIncidentIn,
    NonconformityIn,
    NonconformityOut,
    NonconformityPatch,
    VerifyIn,
)
from aims.orgs.api import ANY_MEMBER, OrgRequest, OrgRouter

router = OrgRouter()


def _text(values: dict) -> dict:
    return {k: "" if v is None else (v if isinstance(v, bool) else str(v))
            for k, v in values.items()}


# ---------------------------------------------------------------------------- incidents


class IncidentQuery(Schema):
    q: str = ""
    status: IncidentStatus | Literal[""] = ""
    incident_type: IncidentType | Literal[""] = ""
    severity: IncidentSeverity | Literal[""] = ""
    owner: uuid.UUID | None = None
    ai_system: uuid.UUID | None = None
    reporting_overdue: bool = False


@router.get("/{slug}/incidents", response=list[IncidentOut])
@paginate(BoundedPagination)
def incident_list(request: OrgRequest, slug: str, query: Query[IncidentQuery]):
    """AI incidents, newest first; `reporting_overdue` keeps those whose external report is
    past its deadline."""
    filters = selectors.IncidentFilters(**_text(query.dict()))
    return selectors.incident_list(ctx=request.ctx, filters=filters)


@router.post("/{slug}/incidents", response={201: IncidentOut}, perm="improvement.raise")
def incident_create(request: OrgRequest, slug: str, payload: IncidentIn):
    """Record an incident (editors and auditors); origin_kind/origin_id name the record it
    comes from, e.g. a monitoring result outside its thresholds."""
    ctx = request.ctx
    incident = services.incident_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.incident_get(ctx=ctx, incident_id=incident.pk))


@router.get("/{slug}/incidents/{incident_id}", response=IncidentOut)
def incident_get(request: OrgRequest, slug: str, incident_id: uuid.UUID):
    return selectors.incident_get(ctx=request.ctx, incident_id=incident_id)


@router.patch("/{slug}/incidents/{incident_id}", response=IncidentOut,
              perm="improvement.change")
def incident_update(request: OrgRequest, slug: str, incident_id: uuid.UUID,
                    payload: IncidentPatch):
    ctx = request.ctx
    services.incident_update(ctx=ctx, incident_id=incident_id, **payload.changes())
    return selectors.incident_get(ctx=ctx, incident_id=incident_id)


@router.get("/{slug}/incidents/{incident_id}/serious-report", response={200: None})
def incident_serious_report(request: OrgRequest, slug: str, incident_id: uuid.UUID):
    """The draft of the report a serious incident (EU AI Act, Art. 73) needs, as a PDF: what
    the authority asks for, filled in from the incident and its systems. 422 when the incident
    is not marked serious."""
    return file_response(*serious_report_pdf(ctx=request.ctx, incident_id=incident_id))


@router.delete("/{slug}/incidents/{incident_id}", perm="improvement.change")
def incident_delete(request: OrgRequest, slug: str, incident_id: uuid.UUID, version: int):
    services.incident_delete(ctx=request.ctx, incident_id=incident_id, version=version)
    return Status(204, None)


@router.post("/{slug}/incidents/{incident_id}/nonconformity", response={201: NonconformityOut},
             perm="improvement.raise")
def incident_raise_nonconformity(request: OrgRequest, slug: str, incident_id: uuid.UUID,
                                 payload: NonconformityFromIncidentIn):
    """Raise a nonconformity from the incident and link them; fields left out come from it."""
    ctx = request.ctx
    data = {k: v for k, v in payload.dict().items() if v is not None}
    nc = services.incident_raise_nonconformity(ctx=ctx, incident_id=incident_id, data=data)
    return Status(201, selectors.nonconformity_get(ctx=ctx, nc_id=nc.pk))


# ---------------------------------------------------------------------------- nonconformities


class NcQuery(Schema):
    q: str = ""
    status: NcStatus | Literal[""] = ""
    source: NcSource | Literal[""] = ""
    severity: NcSeverity | Literal[""] = ""
    owner: uuid.UUID | None = None
    overdue: bool = False
    age: Literal["", "0-30", "31-90", "90+"] = ""

    def filters(self) -> selectors.NcFilters:
        return selectors.NcFilters(**_text(self.dict()))


@router.get("/{slug}/nonconformities", response=list[NonconformityOut])
@paginate(BoundedPagination)
def nonconformity_list(request: OrgRequest, slug: str, query: Query[NcQuery]):
    """The nonconformity register with derived status, ageing and action counts; `overdue`
    keeps those with an overdue corrective action, `age` open ones of that age (days)."""
    return selectors.nonconformity_list(ctx=request.ctx, filters=query.filters())


@router.get("/{slug}/nonconformities/export", response={200: None})
def nonconformity_export_file(request: OrgRequest, slug: str, query: Query[NcQuery],
                              format: Literal["csv", "xlsx"] = "xlsx"):
    """The register (filtered like the list) as CSV or XLSX."""
    return file_response(*nonconformity_export(ctx=request.ctx, fmt=format,
                                               filters=query.filters()))


@router.post("/{slug}/nonconformities", response={201: NonconformityOut},
             perm="improvement.raise")
def nonconformity_create(request: OrgRequest, slug: str, payload: NonconformityIn):
    """Raise a nonconformity (editors and auditors); origin_kind/origin_id name the record it
    comes from (an audit line, an incident, a monitoring result, a management review)."""
    ctx = request.ctx
    nc = services.nonconformity_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.nonconformity_get(ctx=ctx, nc_id=nc.pk))


@router.get("/{slug}/nonconformities/{nc_id}", response=NonconformityOut)
def nonconformity_get(request: OrgRequest, slug: str, nc_id: uuid.UUID):
    return selectors.nonconformity_get(ctx=request.ctx, nc_id=nc_id)


@router.patch("/{slug}/nonconformities/{nc_id}", response=NonconformityOut,
              perm="improvement.change")
def nonconformity_update(request: OrgRequest, slug: str, nc_id: uuid.UUID,
                         payload: NonconformityPatch):
    """Change the facts, correction or root-cause analysis (not once closed)."""
    ctx = request.ctx
    services.nonconformity_update(ctx=ctx, nc_id=nc_id, **payload.changes())
    return selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)


@router.delete("/{slug}/nonconformities/{nc_id}", perm="improvement.change")
def nonconformity_delete(request: OrgRequest, slug: str, nc_id: uuid.UUID, version: int):
    """Delete a nonconformity raised by mistake (not with actions, linked incidents or once
    closed)."""
    services.nonconformity_delete(ctx=request.ctx, nc_id=nc_id, version=version)
    return Status(204, None)


@router.get("/{slug}/nonconformities/{nc_id}/actions", response=list[CorrectiveActionOut])
@paginate(BoundedPagination)
def action_list(request: OrgRequest, slug: str, nc_id: uuid.UUID):
    """The corrective actions (tasks) of the nonconformity, open ones first."""
    ctx = request.ctx
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    return selectors.action_list(ctx=ctx, nc=nc)


@router.post("/{slug}/nonconformities/{nc_id}/actions", response={201: CorrectiveActionOut},
             perm="improvement.change")
def action_create(request: OrgRequest, slug: str, nc_id: uuid.UUID,
                  payload: CorrectiveActionIn):
    """Plan a corrective action with an owner and a due date."""
    ctx = request.ctx
    task = services.nonconformity_action_create(ctx=ctx, nc_id=nc_id, data=payload.dict())
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    return Status(201, selectors.action_get(ctx=ctx, nc=nc, action_id=task.pk))


# The action's owner may mark it done without improvement.change: the service decides.
@router.post("/{slug}/nonconformities/{nc_id}/actions/{corrective_action_id}/complete",
             response=CorrectiveActionOut, perm=ANY_MEMBER)
def action_complete(request: OrgRequest, slug: str, nc_id: uuid.UUID,
                    corrective_action_id: uuid.UUID, payload: CorrectiveActionCompleteIn):
    """Mark a corrective action done (its owner, or an editor)."""
    ctx = request.ctx
    services.nonconformity_action_complete(ctx=ctx, nc_id=nc_id,
                                           action_id=corrective_action_id,
                                           version=payload.version, note=payload.note)
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    return selectors.action_get(ctx=ctx, nc=nc, action_id=corrective_action_id)


@router.post("/{slug}/nonconformities/{nc_id}/verify", response=NonconformityOut,
             perm="improvement.verify")
def nonconformity_verify(request: OrgRequest, slug: str, nc_id: uuid.UUID, payload: VerifyIn):
    """Record the effectiveness verification (once every action is done)."""
    ctx = request.ctx
    services.nonconformity_verify(ctx=ctx, nc_id=nc_id, data=payload.dict(exclude={"version"}),
                                  version=payload.version)
    return selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)


@router.post("/{slug}/nonconformities/{nc_id}/close", response=NonconformityOut,
             perm="improvement.verify")
def nonconformity_close(request: OrgRequest, slug: str, nc_id: uuid.UUID, payload: VersionIn):
    """Close it; 422 naming every missing item unless there is a root cause, at least one
    corrective action, all done, and a positive verification after the last one."""
    ctx = request.ctx
    services.nonconformity_close(ctx=ctx, nc_id=nc_id, version=payload.version)
    return selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)


# ---------------------------------------------------------------------------- improvement


class ImprovementQuery(Schema):
    q: str = ""
    status: ImprovementStatus | Literal[""] = ""
    source: ImprovementSource | Literal[""] = ""
    owner: uuid.UUID | None = None


@router.get("/{slug}/improvements", response=list[ImprovementOut])
@paginate(BoundedPagination)
def improvement_list(request: OrgRequest, slug: str, query: Query[ImprovementQuery]):
    """The improvement opportunities register, newest first."""
    filters = selectors.ImprovementFilters(**_text(query.dict()))
    return selectors.improvement_list(ctx=request.ctx, filters=filters)


@router.post("/{slug}/improvements", response={201: ImprovementOut}, perm="improvement.raise")
def improvement_create(request: OrgRequest, slug: str, payload: ImprovementIn):
    """Record an improvement opportunity (editors and auditors)."""
    ctx = request.ctx
    item = services.improvement_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.improvement_get(ctx=ctx, improvement_id=item.pk))


@router.get("/{slug}/improvements/{improvement_id}", response=ImprovementOut)
def improvement_get(request: OrgRequest, slug: str, improvement_id: uuid.UUID):
    return selectors.improvement_get(ctx=request.ctx, improvement_id=improvement_id)


@router.patch("/{slug}/improvements/{improvement_id}", response=ImprovementOut,
              perm="improvement.change")
def improvement_update(request: OrgRequest, slug: str, improvement_id: uuid.UUID,
                       payload: ImprovementPatch):
    ctx = request.ctx
    services.improvement_update(ctx=ctx, improvement_id=improvement_id, **payload.changes())
    return selectors.improvement_get(ctx=ctx, improvement_id=improvement_id)


@router.delete("/{slug}/improvements/{improvement_id}", perm="improvement.change")
def improvement_delete(request: OrgRequest, slug: str, improvement_id: uuid.UUID,
                       version: int):
    services.improvement_delete(ctx=request.ctx, improvement_id=improvement_id,
                                version=version)
    return Status(204, None)
