"""AIMS roles and competence: the API."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from aims.core.errors import NotFound
from aims.core.paging import BoundedPagination
from aims.orgs.api import Deleted, api_ctx
from aims.people import selectors, services
from aims.people.models import TrainingStatus
from aims.people.schemas import (
    AimsRoleIn,
    AimsRoleOut,
    AimsRolePatch,
    AssignmentIn,
    AssignmentOut,
    AssignmentPatch,
    CompetenceIn,
    CompetenceOut,
    CompetencePatch,
    ConcernChannelIn,
    ConcernChannelOut,
    GapOut,
    TrainingIn,
    TrainingOut,
    TrainingPatch,
)

router = Router()

ROLE = "/{slug}/aims-roles/{aims_role_id}"


def _patch(payload) -> tuple[dict, int]:
    data = payload.dict(exclude_unset=True)
    return data, data.pop("version")


# ---------------------------------------------------------------------------- roles


class RoleQuery(Schema):
    q: str = ""
    ai_system: uuid.UUID | None = None
    member: uuid.UUID | None = None


@router.get("/{slug}/aims-roles", response=list[AimsRoleOut])
@paginate(BoundedPagination)
def aims_role_list(request: HttpRequest, slug: str, query: Query[RoleQuery]):
    """The AIMS roles, with current holders, coverage and competence requirements."""
    return selectors.aims_role_list(ctx=api_ctx(request, slug), q=query.q,
                                    ai_system=str(query.ai_system or ""),
                                    member=str(query.member or ""))


@router.post("/{slug}/aims-roles", response={201: AimsRoleOut})
def aims_role_create(request: HttpRequest, slug: str, payload: AimsRoleIn):
    ctx = api_ctx(request, slug)
    role = services.aims_role_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.aims_role_get(ctx=ctx, role_id=role.pk))


@router.post("/{slug}/aims-roles/standard", response=list[AimsRoleOut])
def aims_roles_add_standard(request: HttpRequest, slug: str):
    """Add the standard AIMS roles the organisation lacks; answers with the roles added."""
    ctx = api_ctx(request, slug)
    added = services.aims_roles_add_standard(ctx=ctx)
    return list(selectors.aims_role_list(ctx=ctx).filter(pk__in=[r.pk for r in added]))


@router.get(ROLE, response=AimsRoleOut)
def aims_role_get(request: HttpRequest, slug: str, aims_role_id: uuid.UUID):
    return selectors.aims_role_get(ctx=api_ctx(request, slug), role_id=aims_role_id)


@router.patch(ROLE, response=AimsRoleOut)
def aims_role_update(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                     payload: AimsRolePatch):
    ctx = api_ctx(request, slug)
    data, version = _patch(payload)
    services.aims_role_update(ctx=ctx, role_id=aims_role_id, data=data, version=version)
    return selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)


@router.delete(ROLE, response=Deleted)
def aims_role_delete(request: HttpRequest, slug: str, aims_role_id: uuid.UUID, version: int):
    """Delete a role nobody holds now (422 while someone does)."""
    services.aims_role_delete(ctx=api_ctx(request, slug), role_id=aims_role_id, version=version)
    return Deleted()


# ---------------------------------------------------------------------------- assignments


class AssignmentQuery(Schema):
    member: uuid.UUID | None = None
    current: bool | None = None


@router.get("/{slug}/role-assignments", response=list[AssignmentOut])
@paginate(BoundedPagination)
def role_assignment_list(request: HttpRequest, slug: str, query: Query[AssignmentQuery]):
    """Every role assignment (current=true for the roles held today), by role and holder."""
    return selectors.role_assignment_list(ctx=api_ctx(request, slug),
                                          member=str(query.member or ""), current=query.current)


@router.get(ROLE + "/assignments", response=list[AssignmentOut])
@paginate(BoundedPagination)
def role_assignment_list_for_role(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                                  query: Query[AssignmentQuery]):
    ctx = api_ctx(request, slug)
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    return selectors.role_assignment_list(ctx=ctx, role_id=role.pk,
                                          member=str(query.member or ""), current=query.current)


@router.post(ROLE + "/assignments", response={201: AssignmentOut})
def role_assignment_create(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                           payload: AssignmentIn):
    """Give a member the role; the member must belong to the organisation."""
    ctx = api_ctx(request, slug)
    a = services.role_assignment_create(ctx=ctx, role_id=aims_role_id, data=payload.dict())
    return Status(201, selectors.role_assignment_get(ctx=ctx, assignment_id=a.pk))


@router.patch(ROLE + "/assignments/{role_assignment_id}", response=AssignmentOut)
def role_assignment_update(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                           role_assignment_id: uuid.UUID, payload: AssignmentPatch):
    """Change an assignment; send `until` to end it."""
    ctx = api_ctx(request, slug)
    data, version = _patch(payload)
    services.role_assignment_update(ctx=ctx, assignment_id=role_assignment_id, data=data,
                                    version=version, role_id=aims_role_id)
    return selectors.role_assignment_get(ctx=ctx, assignment_id=role_assignment_id)


@router.delete(ROLE + "/assignments/{role_assignment_id}", response=Deleted)
def role_assignment_delete(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                           role_assignment_id: uuid.UUID, version: int):
    """Delete an assignment made by mistake (end one that was real with PATCH until)."""
    services.role_assignment_delete(ctx=api_ctx(request, slug),
                                    assignment_id=role_assignment_id, version=version,
                                    role_id=aims_role_id)
    return Deleted()


# ---------------------------------------------------------------------------- competence


@router.get(ROLE + "/competence-requirements", response=list[CompetenceOut])
@paginate(BoundedPagination)
def competence_requirement_list(request: HttpRequest, slug: str, aims_role_id: uuid.UUID):
    ctx = api_ctx(request, slug)
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    return selectors.competence_requirement_list(ctx=ctx, role_id=role.pk)


@router.post(ROLE + "/competence-requirements", response={201: CompetenceOut})
def competence_requirement_create(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                                  payload: CompetenceIn):
    req = services.competence_requirement_create(ctx=api_ctx(request, slug),
                                                 role_id=aims_role_id, data=payload.dict())
    return Status(201, req)


@router.patch(ROLE + "/competence-requirements/{competence_requirement_id}",
              response=CompetenceOut)
def competence_requirement_update(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                                  competence_requirement_id: uuid.UUID,
                                  payload: CompetencePatch):
    data, version = _patch(payload)
    return services.competence_requirement_update(
        ctx=api_ctx(request, slug), requirement_id=competence_requirement_id, data=data,
        version=version, role_id=aims_role_id)


@router.delete(ROLE + "/competence-requirements/{competence_requirement_id}",
               response=Deleted)
def competence_requirement_delete(request: HttpRequest, slug: str, aims_role_id: uuid.UUID,
                                  competence_requirement_id: uuid.UUID, version: int):
    services.competence_requirement_delete(ctx=api_ctx(request, slug),
                                           requirement_id=competence_requirement_id,
                                           version=version, role_id=aims_role_id)
    return Deleted()


# ---------------------------------------------------------------------------- training


class TrainingQuery(Schema):
    q: str = ""
    member: uuid.UUID | None = None
    ai_specific: bool | None = None
    status: TrainingStatus | None = None


@router.get("/{slug}/training-records", response=list[TrainingOut])
@paginate(BoundedPagination)
def training_record_list(request: HttpRequest, slug: str, query: Query[TrainingQuery]):
    """Training and competence records, most recent first."""
    return selectors.training_record_list(ctx=api_ctx(request, slug),
                                          filters=selectors.TrainingFilters(
                                              q=query.q, member=str(query.member or ""),
                                              ai_specific=query.ai_specific,
                                              status=query.status or ""))


@router.post("/{slug}/training-records", response={201: TrainingOut})
def training_record_create(request: HttpRequest, slug: str, payload: TrainingIn):
    """Record training for a member (attach a certificate through the evidence routes, with
    subject_kind training_record)."""
    ctx = api_ctx(request, slug)
    record = services.training_record_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.training_record_get(ctx=ctx, record_id=record.pk))


@router.get("/{slug}/training-records/{training_record_id}", response=TrainingOut)
def training_record_get(request: HttpRequest, slug: str, training_record_id: uuid.UUID):
    return selectors.training_record_get(ctx=api_ctx(request, slug),
                                         record_id=training_record_id)


@router.patch("/{slug}/training-records/{training_record_id}", response=TrainingOut)
def training_record_update(request: HttpRequest, slug: str, training_record_id: uuid.UUID,
                           payload: TrainingPatch):
    ctx = api_ctx(request, slug)
    data, version = _patch(payload)
    services.training_record_update(ctx=ctx, record_id=training_record_id, data=data,
                                    version=version)
    return selectors.training_record_get(ctx=ctx, record_id=training_record_id)


@router.delete("/{slug}/training-records/{training_record_id}", response=Deleted)
def training_record_delete(request: HttpRequest, slug: str, training_record_id: uuid.UUID,
                           version: int):
    services.training_record_delete(ctx=api_ctx(request, slug), record_id=training_record_id,
                                    version=version)
    return Deleted()


# ---------------------------------------------------------------------------- gaps


@router.get("/{slug}/competence-gaps", response=list[GapOut])
@paginate(BoundedPagination)
def competence_gap_list(request: HttpRequest, slug: str):
    """Current role holders whose role asks for AI-specific competence and who have no
    unexpired AI-specific training record."""
    gaps = selectors.competence_gaps(ctx=api_ctx(request, slug))
    return [{"member": g.member.pk, "member_name": g.member.display_name, "role": g.role.pk,
             "role_name": g.role.name, "assignment": g.assignment.pk, "missing": g.missing,
             "lapsed": g.lapsed} for g in gaps]


# ---------------------------------------------------------------------------- concern channel


@router.get("/{slug}/concern-channel", response=ConcernChannelOut)
def concern_channel_get(request: HttpRequest, slug: str):
    """How staff and others raise concerns about AI systems (404 until it is described)."""
    channel = selectors.concern_channel_get(ctx=api_ctx(request, slug))
    if channel is None:
        raise NotFound("The reporting-of-concerns channel has not been described yet.")
    return channel


@router.post("/{slug}/concern-channel", response=ConcernChannelOut)
def concern_channel_save(request: HttpRequest, slug: str, payload: ConcernChannelIn):
    """Replace the description: version 0 the first time, else the version you read (a stale
    one gets 409). Each save is a new version; its changes are in the activity log."""
    ctx = api_ctx(request, slug)
    data = payload.dict()
    version = data.pop("version")
    services.concern_channel_save(ctx=ctx, data=data, version=version)
    return selectors.concern_channel_get(ctx=ctx)
