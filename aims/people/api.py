"""AIMS roles and competence: the API."""

import uuid

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.errors import NotFound
from aims.core.paging import BoundedPagination
from aims.orgs.api import OrgRequest, OrgRouter
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

router = OrgRouter()

ROLE = "/{slug}/aims-roles/{aims_role_id}"


# ---------------------------------------------------------------------------- roles


class RoleQuery(Schema):
    q: str = ""
    ai_system: uuid.UUID | None = None
    member: uuid.UUID | None = None


@router.get("/{slug}/aims-roles", response=list[AimsRoleOut])
@paginate(BoundedPagination)
def aims_role_list(request: OrgRequest, slug: str, query: Query[RoleQuery]):
    """The AIMS roles, with current holders, coverage and competence requirements."""
    return selectors.aims_role_list(ctx=request.ctx, q=query.q,
                                    ai_system=str(query.ai_system or ""),
                                    member=str(query.member or ""))


@router.post("/{slug}/aims-roles", response={201: AimsRoleOut}, perm="people.change")
def aims_role_create(request: OrgRequest, slug: str, payload: AimsRoleIn):
    ctx = request.ctx
    role = services.aims_role_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.aims_role_get(ctx=ctx, role_id=role.pk))


@router.post("/{slug}/aims-roles/standard", response=list[AimsRoleOut], perm="people.change")
def aims_roles_add_standard(request: OrgRequest, slug: str):
    """Add the standard AIMS roles the organisation lacks; answers with the roles added."""
    ctx = request.ctx
    added = services.aims_roles_add_standard(ctx=ctx)
    return list(selectors.aims_role_list(ctx=ctx).filter(pk__in=[r.pk for r in added]))


@router.get(ROLE, response=AimsRoleOut)
def aims_role_get(request: OrgRequest, slug: str, aims_role_id: uuid.UUID):
    return selectors.aims_role_get(ctx=request.ctx, role_id=aims_role_id)


@router.patch(ROLE, response=AimsRoleOut, perm="people.change")
def aims_role_update(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                     payload: AimsRolePatch):
    ctx = request.ctx
    services.aims_role_update(ctx=ctx, role_id=aims_role_id, **payload.changes())
    return selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)


@router.delete(ROLE, perm="people.change")
def aims_role_delete(request: OrgRequest, slug: str, aims_role_id: uuid.UUID, version: int):
    """Delete a role nobody holds now (422 while someone does)."""
    services.aims_role_delete(ctx=request.ctx, role_id=aims_role_id, version=version)
    return Status(204, None)


# ---------------------------------------------------------------------------- assignments


class AssignmentQuery(Schema):
    member: uuid.UUID | None = None
    current: bool | None = None


@router.get("/{slug}/role-assignments", response=list[AssignmentOut])
@paginate(BoundedPagination)
def role_assignment_list(request: OrgRequest, slug: str, query: Query[AssignmentQuery]):
    """Every role assignment (current=true for the roles held today), by role and holder."""
    return selectors.role_assignment_list(ctx=request.ctx,
                                          member=str(query.member or ""), current=query.current)


@router.get(ROLE + "/assignments", response=list[AssignmentOut])
@paginate(BoundedPagination)
def role_assignment_list_for_role(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                                  query: Query[AssignmentQuery]):
    ctx = request.ctx
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    return selectors.role_assignment_list(ctx=ctx, role_id=role.pk,
                                          member=str(query.member or ""), current=query.current)


@router.post(ROLE + "/assignments", response={201: AssignmentOut}, perm="people.change")
def role_assignment_create(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                           payload: AssignmentIn):
    """Give a member the role; the member must belong to the organisation."""
    ctx = request.ctx
    a = services.role_assignment_create(ctx=ctx, role_id=aims_role_id, data=payload.dict())
    return Status(201, selectors.role_assignment_get(ctx=ctx, assignment_id=a.pk))


@router.patch(ROLE + "/assignments/{role_assignment_id}", response=AssignmentOut,
              perm="people.change")
def role_assignment_update(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                           role_assignment_id: uuid.UUID, payload: AssignmentPatch):
    """Change an assignment; send `until` to end it."""
    ctx = request.ctx
    services.role_assignment_update(ctx=ctx, assignment_id=role_assignment_id,
                                    role_id=aims_role_id, **payload.changes())
    return selectors.role_assignment_get(ctx=ctx, assignment_id=role_assignment_id)


@router.delete(ROLE + "/assignments/{role_assignment_id}", perm="people.change")
def role_assignment_delete(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                           role_assignment_id: uuid.UUID, version: int):
    """Delete an assignment made by mistake (end one that was real with PATCH until)."""
    services.role_assignment_delete(ctx=request.ctx, assignment_id=role_assignment_id,
                                    version=version, role_id=aims_role_id)
    return Status(204, None)


# ---------------------------------------------------------------------------- competence


@router.get(ROLE + "/competence-requirements", response=list[CompetenceOut])
@paginate(BoundedPagination)
def competence_requirement_list(request: OrgRequest, slug: str, aims_role_id: uuid.UUID):
    ctx = request.ctx
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    return selectors.competence_requirement_list(ctx=ctx, role_id=role.pk)


@router.post(ROLE + "/competence-requirements", response={201: CompetenceOut},
             perm="people.change")
def competence_requirement_create(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                                  payload: CompetenceIn):
    req = services.competence_requirement_create(ctx=request.ctx, role_id=aims_role_id,
                                                 data=payload.dict())
    return Status(201, req)


@router.patch(ROLE + "/competence-requirements/{competence_requirement_id}",
              response=CompetenceOut, perm="people.change")
def competence_requirement_update(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                                  competence_requirement_id: uuid.UUID,
                                  payload: CompetencePatch):
    return services.competence_requirement_update(
        ctx=request.ctx, requirement_id=competence_requirement_id, role_id=aims_role_id,
        **payload.changes())


@router.delete(ROLE + "/competence-requirements/{competence_requirement_id}",
               perm="people.change")
def competence_requirement_delete(request: OrgRequest, slug: str, aims_role_id: uuid.UUID,
                                  competence_requirement_id: uuid.UUID, version: int):
    services.competence_requirement_delete(ctx=request.ctx,
                                           requirement_id=competence_requirement_id,
                                           version=version, role_id=aims_role_id)
    return Status(204, None)


# ---------------------------------------------------------------------------- training


class TrainingQuery(Schema):
    q: str = ""
    member: uuid.UUID | None = None
    ai_specific: bool | None = None
    status: TrainingStatus | None = None


@router.get("/{slug}/training-records", response=list[TrainingOut])
@paginate(BoundedPagination)
def training_record_list(request: OrgRequest, slug: str, query: Query[TrainingQuery]):
    """Training and competence records, most recent first."""
    return selectors.training_record_list(ctx=request.ctx,
                                          filters=selectors.TrainingFilters(
                                              q=query.q, member=str(query.member or ""),
                                              ai_specific=query.ai_specific,
                                              status=query.status or ""))


@router.post("/{slug}/training-records", response={201: TrainingOut}, perm="training.change")
def training_record_create(request: OrgRequest, slug: str, payload: TrainingIn):
    """Record training for a member (attach a certificate through the evidence routes, with
    subject_kind training_record)."""
    ctx = request.ctx
    record = services.training_record_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.training_record_get(ctx=ctx, record_id=record.pk))


@router.get("/{slug}/training-records/{training_record_id}", response=TrainingOut)
def training_record_get(request: OrgRequest, slug: str, training_record_id: uuid.UUID):
    return selectors.training_record_get(ctx=request.ctx,
                                         record_id=training_record_id)


@router.patch("/{slug}/training-records/{training_record_id}", response=TrainingOut,
              perm="training.change")
def training_record_update(request: OrgRequest, slug: str, training_record_id: uuid.UUID,
                           payload: TrainingPatch):
    ctx = request.ctx
    services.training_record_update(ctx=ctx, record_id=training_record_id, **payload.changes())
    return selectors.training_record_get(ctx=ctx, record_id=training_record_id)


@router.delete("/{slug}/training-records/{training_record_id}", perm="training.change")
def training_record_delete(request: OrgRequest, slug: str, training_record_id: uuid.UUID,
                           version: int):
    services.training_record_delete(ctx=request.ctx, record_id=training_record_id,
                                    version=version)
    return Status(204, None)


# ---------------------------------------------------------------------------- gaps


@router.get("/{slug}/competence-gaps", response=list[GapOut])
@paginate(BoundedPagination)
def competence_gap_list(request: OrgRequest, slug: str):
    """Current role holders whose role asks for AI-specific competence and who have no
    unexpired AI-specific training record."""
    gaps = selectors.competence_gaps(ctx=request.ctx)
    return [{"member": g.member.pk, "member_name": g.member.display_name, "role": g.role.pk,
             "role_name": g.role.name, "assignment": g.assignment.pk, "missing": g.missing,
             "lapsed": g.lapsed} for g in gaps]


# ---------------------------------------------------------------------------- concern channel


@router.get("/{slug}/concern-channel", response=ConcernChannelOut)
def concern_channel_get(request: OrgRequest, slug: str):
    """How staff and others raise concerns about AI systems (404 until it is described)."""
    channel = selectors.concern_channel_get(ctx=request.ctx)
    if channel is None:
        raise NotFound("The reporting-of-concerns channel has not been described yet.")
    return channel


@router.post("/{slug}/concern-channel", response=ConcernChannelOut, perm="people.change")
def concern_channel_save(request: OrgRequest, slug: str, payload: ConcernChannelIn):
    """Replace the description: version 0 the first time, else the version you read (a stale
    one gets 409). Each save is a new version; its changes are in the activity log."""
    ctx = request.ctx
    services.concern_channel_save(ctx=ctx, data=payload.dict(exclude={"version"}),
                                  version=payload.version)
    return selectors.concern_channel_get(ctx=ctx)
