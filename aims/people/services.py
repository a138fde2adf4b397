"""Writes to AIMS roles, their holders and competence requirements, the concern channel and
training records."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import iso_requirements_by_refs
from aims.core.errors import Conflict, NotFound, ValidationError
from aims.evidence.services import evidence_create
from aims.evidence.storage import atomic_with_files
from aims.inventory.selectors import ai_systems_by_ids
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.people.models import (
    AimsRole,
    CompetenceRequirement,
    ConcernChannel,
    RoleAssignment,
    TrainingRecord,
)
from aims.people.selectors import _current_q
from aims.people.standard_roles import STANDARD_ROLES
from aims.records import writes

ROLE_FIELDS = ("name", "responsibilities", "authorities", "areas")
ASSIGNMENT_FIELDS = ("member", "since", "until", "note")
COMPETENCE_FIELDS = ("title", "description", "ai_specific", "demonstrated_by")
TRAINING_FIELDS = ("member", "topic", "ai_specific", "completed_on", "expires_on", "provider",
                   "notes")
CHANNEL_FIELDS = ("channels", "recipients", "confidentiality", "response_times", "notes")


def _stripped(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


# ---------------------------------------------------------------------------- roles


def _requirements(refs) -> list[Requirement]:
    return iso_requirements_by_refs(refs, examples=("5.3 or A.3.2", "5.3, 9.2 or A.3.2"))


def _refs(requirements) -> list[str]:
    return [r.ref for r in requirements]


def _names(systems) -> list[str]:
    return [s.name for s in systems]


def _role_name_free(ctx: Ctx, name: str, exclude_id: uuid.UUID | None = None) -> None:
    qs = AimsRole.objects.for_org(ctx.org).filter(name__iexact=name)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    if name and qs.exists():
        raise ValidationError({"name": [f"An AIMS role named “{name}” already exists."]})


def _role_prepare(ctx: Ctx, data: dict[str, Any], current: AimsRole | None = None):
    data = _stripped(writes.only(data, (*ROLE_FIELDS, "requirements", "ai_systems")))
    requirements = systems = None
    if "requirements" in data:
        requirements = _requirements(data.pop("requirements") or [])
    if "ai_systems" in data:
        systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems") or [])
    if "name" in data:
        _role_name_free(ctx, data["name"] or "", current.pk if current else None)
    return data, requirements, systems


@transaction.atomic
def aims_role_create(*, ctx: Ctx, data: dict[str, Any]) -> AimsRole:
    """Define an AIMS role; `requirements` holds ISO/IEC 42001 refs, `ai_systems` system ids."""
    ctx.require("people.change")
    data, requirements, systems = _role_prepare(ctx, data)
    role = writes.create(ctx=ctx, obj=AimsRole(org=ctx.org, **data), extra_changes={
        "requirements": {"before": None, "after": _refs(requirements or [])},
        "ai_systems": {"before": None, "after": _names(systems or [])}})
    role.requirements.set(requirements or [])
    role.ai_systems.set(systems or [])
    return role


@transaction.atomic
def aims_role_update(*, ctx: Ctx, role_id: uuid.UUID, data: dict[str, Any],
                     version: int | None) -> AimsRole:
    """Change an AIMS role written at `version` (what it covers too)."""
    ctx.require("people.change")
    role = writes.get_for_update(AimsRole, ctx=ctx, pk=role_id, label="AIMS role")
    data, requirements, systems = _role_prepare(ctx, data, role)
    extra = {}
    if requirements is not None:
        before = _refs(role.requirements.order_by("sort_key"))
        if before != _refs(requirements):
            extra["requirements"] = {"before": before, "after": _refs(requirements)}
    if systems is not None:
        before = _names(role.ai_systems.order_by("name"))
        if before != _names(systems):
            extra["ai_systems"] = {"before": before, "after": _names(systems)}
    role = writes.change(ctx=ctx, obj=role, data=data, version=version, extra_changes=extra)
    if "requirements" in extra:
        role.requirements.set(requirements)
    if "ai_systems" in extra:
        role.ai_systems.set(systems)
    return role


@transaction.atomic
def aims_role_delete(*, ctx: Ctx, role_id: uuid.UUID, version: int | None) -> None:
    """Delete a role nobody holds now; its past assignments and competence requirements go
    with it, their count kept in the activity log."""
    ctx.require("people.change")
    role = writes.get_for_update(AimsRole, ctx=ctx, pk=role_id, label="AIMS role")
    writes.check_version(role, version)
    assignments = RoleAssignment.objects.for_org(ctx.org).filter(role=role)
    if current := assignments.filter(_current_q(timezone.localdate())).count():
        raise ValidationError({"__all__": [
            f"{role.name} is held by {current} member{'s' if current != 1 else ''} now: end "
            "or remove those assignments first, so nobody is left holding a deleted role."]})
    extra: dict[str, dict[str, Any]] = {
        "requirements": {"before": _refs(role.requirements.order_by("sort_key")), "after": None},
        "ai_systems": {"before": _names(role.ai_systems.order_by("name")), "after": None},
    }
    if past := assignments.count():
        extra["past_assignments"] = {"before": past, "after": None}
    if competences := CompetenceRequirement.objects.for_org(ctx.org).filter(role=role).count():
        extra["competence_requirements"] = {"before": competences, "after": None}
    writes.delete(ctx=ctx, obj=role, version=version, extra_changes=extra)


@transaction.atomic
def aims_roles_add_standard(*, ctx: Ctx) -> list[AimsRole]:
    """Add the standard AIMS roles the organisation does not have yet (by code, or by a role
    of the same name); returns the roles added, each logged."""
    ctx.require("people.change")
    existing = AimsRole.objects.for_org(ctx.org).select_for_update()
    codes = {r.code for r in existing if r.code}
    names = {r.name.lower() for r in existing}
    added = []
    for code, (name, responsibilities, authorities, areas, refs) in STANDARD_ROLES.items():
        if code in codes or name.lower() in names:
            continue
        requirements = _requirements(list(refs))
        role = writes.create(ctx=ctx, obj=AimsRole(
            org=ctx.org, code=code, name=name, responsibilities=responsibilities,
            authorities=authorities, areas=areas), extra_changes={
                "code": {"before": None, "after": code},
                "requirements": {"before": None, "after": _refs(requirements)},
                "ai_systems": {"before": None, "after": []}})
        role.requirements.set(requirements)
        added.append(role)
    return added


# ---------------------------------------------------------------------------- assignments


def _assignment_prepare(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    data = _stripped(writes.only(data, ASSIGNMENT_FIELDS))
    if "member" in data:
        if data["member"] in (None, ""):
            raise ValidationError({"member": ["Choose the member who holds the role."]})
        data["member"] = member_user_get(ctx=ctx, user_id=data["member"], field="member")
    if "since" in data and data["since"] is None:
        data["since"] = timezone.localdate()
    return data


def _no_overlap(ctx: Ctx, a: RoleAssignment) -> None:
    """A member holds a role once at a time: periods of the same member and role must not
    overlap."""
    clash = (RoleAssignment.objects.for_org(ctx.org)
             .filter(role_id=a.role_id, member_id=a.member_id)
             .filter(Q(until__isnull=True) | Q(until__gte=a.since)))
    if a.pk is not None:
        clash = clash.exclude(pk=a.pk)
    if a.until is not None:
        clash = clash.filter(since__lte=a.until)
    if clash.exists():
        who = a.member.display_name if a.member is not None else "A former member"
        raise ValidationError({"member": [
            f"{who} already holds {a.role.name} for part of this period: "
            "change that assignment instead of adding another."]})


@transaction.atomic
def role_assignment_create(*, ctx: Ctx, role_id: uuid.UUID, data: dict[str, Any]) -> RoleAssignment:
    """Give a member an AIMS role from `since` (today by default), until `until` if known."""
    ctx.require("people.change")
    role = writes.get_for_update(AimsRole, ctx=ctx, pk=role_id, label="AIMS role")
    data = _assignment_prepare(ctx, data)
    if data.get("member") is None:
        raise ValidationError({"member": ["Choose the member who holds the role."]})
    assignment = RoleAssignment(org=ctx.org, role=role, **data)
    writes.full_clean(assignment)
    _no_overlap(ctx, assignment)
    return writes.create(ctx=ctx, obj=assignment)


def _assignment_for_update(ctx: Ctx, assignment_id: uuid.UUID,
                           role_id: uuid.UUID | None) -> RoleAssignment:
    assignment = writes.get_for_update(RoleAssignment, ctx=ctx, pk=assignment_id,
                                       label="Role assignment")
    if role_id is not None and str(assignment.role_id) != str(role_id):
        raise NotFound("Role assignment not found.")
    return assignment


@transaction.atomic
def role_assignment_update(*, ctx: Ctx, assignment_id: uuid.UUID, data: dict[str, Any],
                           version: int | None, role_id: uuid.UUID | None = None) -> RoleAssignment:
    """Change an assignment written at `version` (its dates, note or holder)."""
    ctx.require("people.change")
    assignment = _assignment_for_update(ctx, assignment_id, role_id)
    data = _assignment_prepare(ctx, data)
    writes.check_version(assignment, version)
    candidate = RoleAssignment(pk=assignment.pk, org=ctx.org, role=assignment.role,
                               **{k: data.get(k, getattr(assignment, k))
                                  for k in ("member", "since", "until")})
    writes.full_clean(candidate, exclude=["id"])
    if candidate.member is not None:
        _no_overlap(ctx, candidate)
    return writes.change(ctx=ctx, obj=assignment, data=data, version=version)


@transaction.atomic
def role_assignment_end(*, ctx: Ctx, assignment_id: uuid.UUID, version: int | None,
                        on=None, role_id: uuid.UUID | None = None) -> RoleAssignment:
    """End an assignment on `on` (today by default): the holder no longer has the role after
    that day, and the assignment stays in the record."""
    ctx.require("people.change")
    assignment = _assignment_for_update(ctx, assignment_id, role_id)
    day = on or timezone.localdate()
    if assignment.until is not None and assignment.until <= day:
        writes.check_version(assignment, version)
        raise ValidationError({"until": [f"This assignment already ended on {assignment.until}."]})
    if day < assignment.since:
        day = assignment.since
    return writes.change(ctx=ctx, obj=assignment, data={"until": day}, version=version)


@transaction.atomic
def role_assignment_delete(*, ctx: Ctx, assignment_id: uuid.UUID, version: int | None,
                           role_id: uuid.UUID | None = None) -> None:
    """Delete an assignment made by mistake (end it instead when it really was held)."""
    ctx.require("people.change")
    assignment = _assignment_for_update(ctx, assignment_id, role_id)
    writes.delete(ctx=ctx, obj=assignment, version=version)


# ---------------------------------------------------------------------------- competence


def _competence_prepare(data: dict[str, Any]) -> dict[str, Any]:
    return _stripped(writes.only(data, COMPETENCE_FIELDS))


@transaction.atomic
def competence_requirement_create(*, ctx: Ctx, role_id: uuid.UUID,
                                  data: dict[str, Any]) -> CompetenceRequirement:
    """Say what holders of a role must know or be able to do."""
    ctx.require("people.change")
    role = writes.get_for_update(AimsRole, ctx=ctx, pk=role_id, label="AIMS role")
    return writes.create(ctx=ctx, obj=CompetenceRequirement(org=ctx.org, role=role,
                                                            **_competence_prepare(data)))


def _competence_for_update(ctx: Ctx, requirement_id: uuid.UUID,
                           role_id: uuid.UUID | None) -> CompetenceRequirement:
    req = writes.get_for_update(CompetenceRequirement, ctx=ctx, pk=requirement_id,
                                label="Competence requirement")
    if role_id is not None and str(req.role_id) != str(role_id):
        raise NotFound("Competence requirement not found.")
    return req


@transaction.atomic
def competence_requirement_update(*, ctx: Ctx, requirement_id: uuid.UUID, data: dict[str, Any],
                                  version: int | None, role_id: uuid.UUID | None = None
                                 ) -> CompetenceRequirement:
    """Change a competence requirement written at `version`."""
    ctx.require("people.change")
    req = _competence_for_update(ctx, requirement_id, role_id)
    return writes.change(ctx=ctx, obj=req, data=_competence_prepare(data), version=version)


@transaction.atomic
def competence_requirement_delete(*, ctx: Ctx, requirement_id: uuid.UUID, version: int | None,
                                  role_id: uuid.UUID | None = None) -> None:
    """Delete a competence requirement written at `version`."""
    ctx.require("people.change")
    req = _competence_for_update(ctx, requirement_id, role_id)
    writes.delete(ctx=ctx, obj=req, version=version)


# ---------------------------------------------------------------------------- concern channel


@transaction.atomic
def concern_channel_save(*, ctx: Ctx, data: dict[str, Any],
                         version: int | None) -> ConcernChannel:
    """Describe (version 0) or change (the version you read) how concerns about AI systems
    are raised; each save is a new version, its changes in the activity log."""
    ctx.require("people.change")
    data = _stripped(writes.only(data, CHANNEL_FIELDS))
    channel = ConcernChannel.objects.for_org(ctx.org).select_for_update().first()
    if channel is None:
        if version not in (0, None):
            raise Conflict("The concern channel was removed since you opened it. Reload and "
                           "describe it again.", current={"version": 0})
        return writes.create(ctx=ctx, obj=ConcernChannel(org=ctx.org, changed_by=ctx.user,
                                                         **data))
    if any(getattr(channel, k) != v for k, v in data.items()):
        data["changed_by"] = ctx.user
    return writes.change(ctx=ctx, obj=channel, data=data, version=version)


# ---------------------------------------------------------------------------- training


def _training_prepare(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    data = _stripped(writes.only(data, TRAINING_FIELDS))
    if "member" in data:
        if data["member"] in (None, ""):
            raise ValidationError({"member": ["Choose the person the record is about."]})
        data["member"] = member_user_get(ctx=ctx, user_id=data["member"], field="member")
    return data


@atomic_with_files
def training_record_create(*, ctx: Ctx, data: dict[str, Any],
                           upload: UploadedFile | None = None) -> TrainingRecord:
    """Record training or shown competence for a member; an uploaded certificate becomes
    evidence linked to the record."""
    ctx.require("training.change")
    data = _training_prepare(ctx, data)
    if data.get("member") is None:
        raise ValidationError({"member": ["Choose the person the record is about."]})
    record = writes.create(ctx=ctx, obj=TrainingRecord(org=ctx.org, **data))
    if upload is not None:
        training_evidence_attach(ctx=ctx, record=record, upload=upload)
    return record


def training_evidence_attach(*, ctx: Ctx, record: TrainingRecord, upload: UploadedFile):
    """Store `upload` as evidence of `record` (its certificate), valid as long as the record."""
    ctx.require("training.change")
    who = record.member.display_name if record.member is not None else "former member"
    return evidence_create(ctx=ctx, upload=upload, links=[record], perm="training.change", data={
        "title": f"Training record: {record.topic} ({who})"[:200],
        "description": f"Certificate or proof of completion from {record.provider}."
                       if record.provider else "Certificate or proof of completion.",
        "kind": "file", "effective_from": record.completed_on,
        "effective_to": record.completed_on, "valid_until": record.expires_on,
        "owner": record.member_id, "source": record.provider or "training record"})


@atomic_with_files
def training_record_update(*, ctx: Ctx, record_id: uuid.UUID, data: dict[str, Any],
                           version: int | None, upload: UploadedFile | None = None
                          ) -> TrainingRecord:
    """Change a training record written at `version`; a new upload adds evidence."""
    ctx.require("training.change")
    record = writes.get_for_update(TrainingRecord, ctx=ctx, pk=record_id,
                                   label="Training record")
    record = writes.change(ctx=ctx, obj=record, data=_training_prepare(ctx, data),
                           version=version)
    if upload is not None:
        training_evidence_attach(ctx=ctx, record=record, upload=upload)
    return record


@transaction.atomic
def training_record_delete(*, ctx: Ctx, record_id: uuid.UUID, version: int | None) -> None:
    """Delete a training record written at `version`; its evidence stays in the register."""
    ctx.require("training.change")
    record = writes.get_for_update(TrainingRecord, ctx=ctx, pk=record_id,
                                   label="Training record")
    writes.delete(ctx=ctx, obj=record, version=version)
