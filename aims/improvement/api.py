"""Incidents, nonconformities and improvement: the API."""

import json
import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from aims.core.errors import ValidationError
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
from aims.improvement.schemas import (
    ActionCompleteIn,
    ActionIn,
    ActionOut,
    CloseIn,
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
from aims.orgs.api import Deleted, api_ctx

router = Router()


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
def incident_list(request: HttpRequest, slug: str, query: Query[IncidentQuery]):
    """AI incidents, newest first; `reporting_overdue` keeps those whose external report is
    past its deadline."""
    filters = selectors.IncidentFilters(**_text(query.dict()))
    return selectors.incident_list(ctx=api_ctx(request, slug), filters=filters)


@router.post("/{slug}/incidents", response={201: IncidentOut})
def incident_create(request: HttpRequest, slug: str, payload: IncidentIn):
    """Record an incident (editors and auditors); origin_kind/origin_id name the record it
    comes from, e.g. a monitoring result outside its thresholds."""
    ctx = api_ctx(request, slug)
    incident = services.incident_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.incident_get(ctx=ctx, incident_id=incident.pk))


@router.get("/{slug}/incidents/{incident_id}", response=IncidentOut)
def incident_get(request: HttpRequest, slug: str, incident_id: uuid.UUID):
    return selectors.incident_get(ctx=api_ctx(request, slug), incident_id=incident_id)


@router.patch("/{slug}/incidents/{incident_id}", response=IncidentOut)
def incident_update(request: HttpRequest, slug: str, incident_id: uuid.UUID,
                    payload: IncidentPatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.incident_update(ctx=ctx, incident_id=incident_id, data=data, version=version)
    return selectors.incident_get(ctx=ctx, incident_id=incident_id)


@router.delete("/{slug}/incidents/{incident_id}", response=Deleted)
def incident_delete(request: HttpRequest, slug: str, incident_id: uuid.UUID, version: int):
    services.incident_delete(ctx=api_ctx(request, slug), incident_id=incident_id,
                             version=version)
    return Deleted()


@router.post("/{slug}/incidents/{incident_id}/nonconformity", response={201: NonconformityOut})
def incident_raise_nonconformity(request: HttpRequest, slug: str, incident_id: uuid.UUID,
                                 payload: NonconformityFromIncidentIn):
    """Raise a nonconformity from the incident and link them; fields left out come from it."""
    ctx = api_ctx(request, slug)
    # Every field is optional, so ninja would take null, a list or nothing for "no fields".
    try:
        sent = json.loads(request.body or b"null")
    except ValueError:
        sent = None
    if not isinstance(sent, dict):
        raise ValidationError("Send a JSON object; {} takes everything from the incident.")
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
def nonconformity_list(request: HttpRequest, slug: str, query: Query[NcQuery]):
    """The nonconformity register with derived status, ageing and action counts; `overdue`
    keeps those with an overdue corrective action, `age` open ones of that age (days)."""
    return selectors.nonconformity_list(ctx=api_ctx(request, slug), filters=query.filters())


@router.get("/{slug}/nonconformities/export", response={200: None})
def nonconformity_export_file(request: HttpRequest, slug: str, query: Query[NcQuery],
                              format: Literal["csv", "xlsx"] = "xlsx"):
    """The register (filtered like the list) as CSV or XLSX."""
    return file_response(*nonconformity_export(ctx=api_ctx(request, slug), fmt=format,
                                               filters=query.filters()))


@router.post("/{slug}/nonconformities", response={201: NonconformityOut})
def nonconformity_create(request: HttpRequest, slug: str, payload: NonconformityIn):
    """Raise a nonconformity (editors and auditors); origin_kind/origin_id name the record it
    comes from (an audit line, an incident, a monitoring result, a management review)."""
    ctx = api_ctx(request, slug)
    nc = services.nonconformity_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.nonconformity_get(ctx=ctx, nc_id=nc.pk))


@router.get("/{slug}/nonconformities/{nc_id}", response=NonconformityOut)
def nonconformity_get(request: HttpRequest, slug: str, nc_id: uuid.UUID):
    return selectors.nonconformity_get(ctx=api_ctx(request, slug), nc_id=nc_id)


@router.patch("/{slug}/nonconformities/{nc_id}", response=NonconformityOut)
def nonconformity_update(request: HttpRequest, slug: str, nc_id: uuid.UUID,
                         payload: NonconformityPatch):
    """Change the facts, correction or root-cause analysis (not once closed)."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.nonconformity_update(ctx=ctx, nc_id=nc_id, data=data, version=version)
    return selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)


@router.delete("/{slug}/nonconformities/{nc_id}", response=Deleted)
def nonconformity_delete(request: HttpRequest, slug: str, nc_id: uuid.UUID, version: int):
    """Delete a nonconformity raised by mistake (not with actions, linked incidents or once
    closed)."""
    services.nonconformity_delete(ctx=api_ctx(request, slug), nc_id=nc_id, version=version)
    return Deleted()


@router.get("/{slug}/nonconformities/{nc_id}/actions", response=list[ActionOut])
@paginate(BoundedPagination)
def action_list(request: HttpRequest, slug: str, nc_id: uuid.UUID):
    """The corrective actions (tasks) of the nonconformity, open ones first."""
    ctx = api_ctx(request, slug)
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    return selectors.action_list(ctx=ctx, nc=nc)


@router.post("/{slug}/nonconformities/{nc_id}/actions", response={201: ActionOut})
def action_create(request: HttpRequest, slug: str, nc_id: uuid.UUID, payload: ActionIn):
    """Plan a corrective action with an owner and a due date."""
    ctx = api_ctx(request, slug)
    task = services.nonconformity_action_create(ctx=ctx, nc_id=nc_id, data=payload.dict())
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    return Status(201, selectors.action_get(ctx=ctx, nc=nc, action_id=task.pk))


@router.post("/{slug}/nonconformities/{nc_id}/actions/{corrective_action_id}/complete",
             response=ActionOut)
def action_complete(request: HttpRequest, slug: str, nc_id: uuid.UUID,
                    corrective_action_id: uuid.UUID, payload: ActionCompleteIn):
    """Mark a corrective action done (its owner, or an editor)."""
    ctx = api_ctx(request, slug)
    services.nonconformity_action_complete(ctx=ctx, nc_id=nc_id,
                                           action_id=corrective_action_id,
                                           version=payload.version, note=payload.note)
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    return selectors.action_get(ctx=ctx, nc=nc, action_id=corrective_action_id)


@router.post("/{slug}/nonconformities/{nc_id}/verify", response=NonconformityOut)
def nonconformity_verify(request: HttpRequest, slug: str, nc_id: uuid.UUID, payload: VerifyIn):
    """Record the effectiveness verification (once every action is done)."""
    ctx = api_ctx(request, slug)
    data = payload.dict()
    version = data.pop("version")
    services.nonconformity_verify(ctx=ctx, nc_id=nc_id, data=data, version=version)
    return selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)


@router.post("/{slug}/nonconformities/{nc_id}/close", response=NonconformityOut)
def nonconformity_close(request: HttpRequest, slug: str, nc_id: uuid.UUID, payload: CloseIn):
    """Close it; 422 naming every missing item unless there is a root cause, at least one
    corrective action, all done, and a positive verification after the last one."""
    ctx = api_ctx(request, slug)
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
def improvement_list(request: HttpRequest, slug: str, query: Query[ImprovementQuery]):
    """The improvement opportunities register, newest first."""
    filters = selectors.ImprovementFilters(**_text(query.dict()))
    return selectors.improvement_list(ctx=api_ctx(request, slug), filters=filters)


@router.post("/{slug}/improvements", response={201: ImprovementOut})
def improvement_create(request: HttpRequest, slug: str, payload: ImprovementIn):
    """Record an improvement opportunity (editors and auditors)."""
    ctx = api_ctx(request, slug)
    item = services.improvement_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.improvement_get(ctx=ctx, improvement_id=item.pk))


@router.get("/{slug}/improvements/{improvement_id}", response=ImprovementOut)
def improvement_get(request: HttpRequest, slug: str, improvement_id: uuid.UUID):
    return selectors.improvement_get(ctx=api_ctx(request, slug), improvement_id=improvement_id)


@router.patch("/{slug}/improvements/{improvement_id}", response=ImprovementOut)
def improvement_update(request: HttpRequest, slug: str, improvement_id: uuid.UUID,
                       payload: ImprovementPatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.improvement_update(ctx=ctx, improvement_id=improvement_id, data=data,
                                version=version)
    return selectors.improvement_get(ctx=ctx, improvement_id=improvement_id)


@router.delete("/{slug}/improvements/{improvement_id}", response=Deleted)
def improvement_delete(request: HttpRequest, slug: str, improvement_id: uuid.UUID,
                       version: int):
    services.improvement_delete(ctx=api_ctx(request, slug), improvement_id=improvement_id,
                                version=version)
    return Deleted()
