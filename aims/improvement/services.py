"""Writes to incidents, nonconformities (with their corrective actions, verification and
closing) and improvement opportunities.

Raising (improvement.raise) is open to editors and auditors, so an auditor can turn a finding
into a nonconformity; managing the record and its actions (improvement.change) is for editors;
verifying effectiveness and closing (improvement.verify) is for the owner, admins and auditors.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001
from aims.core.errors import NotFound, ValidationError
from aims.core.fields import created
from aims.core.lookup import get_scoped
from aims.evidence.services import evidence_link
from aims.improvement import art73, origins
from aims.improvement.models import (
    MAX_WHYS,
    Effectiveness,
    Improvement,
    Incident,
    Nonconformity,
)
from aims.improvement.selectors import NC_KIND, action_get, corrective_actions
from aims.inventory.models import EuRiskClass
from aims.inventory.selectors import ai_systems_by_ids
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import writes
from aims.records.kinds import kind_of, linked, record_get
from aims.records.numbering import next_number
from aims.tasks.models import OPEN_STATUSES, Task, TaskKind, TaskStatus
from aims.tasks.services import task_complete, task_create


def _owner(ctx: Ctx, data: dict[str, Any]) -> None:
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")


def _strip(data: dict[str, Any], *names: str) -> None:
    for name in names:
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()


def _origin(ctx: Ctx, origin: models.Model | None, data: dict[str, Any]) -> models.Model | None:
    """The record something is raised from: `origin`, or origin_kind + origin_id in `data`."""
    kind, pk = data.pop("origin_kind", None), data.pop("origin_id", None)
    if origin is None and (kind or pk):
        if not kind or not pk:
            raise ValidationError({"origin_id" if kind else "origin_kind": [
                "Give both the kind of the origin record and its id, or neither."]})
        origin = record_get(ctx=ctx, kind=kind, pk=pk, field="origin_id")
    if origin is not None:
        kind_of(origin)  # a programming error when it cannot be linked to
        if getattr(origin, "org_id", None) != ctx.org.pk:
            raise ValidationError({"origin_id": ["Not a record of this organisation."]})
    return origin


def _origin_columns(origin: models.Model | None) -> dict[str, Any]:
    return {} if origin is None else {"subject_kind": kind_of(origin).key,
                                      "subject_id": origin.pk}


def _origin_change(ctx: Ctx, origin: models.Model | None) -> dict[str, Any]:
    if origin is None:
        return {}
    item = linked(origin, ctx.org.slug)
    return {"origin": {"before": None, "after": f"{item.label}: {item.title}"}}


def _numbered(ctx: Ctx, obj, prefix: str):
    obj.number = next_number(type(obj), ctx=ctx)
    obj.ref = f"{prefix}-{obj.number:03d}"
    return obj


def _system_labels(systems) -> list[str]:
    return [s.name for s in systems]


# ---------------------------------------------------------------------------- incidents

INCIDENT_FIELDS = (
    "title", "incident_type", "occurred_at", "detected_at", "severity", "description",
    "containment", "status", "owner", "communication_needed", "communicated_at",
    "communication_method", "communication_note", "reporting_needed", "report_to",
    "report_deadline", "reported_at", "report_reference", "nonconformity", "serious_kind",
    "aware_at",
)


def _nonconformity_ref(ctx: Ctx, value) -> Nonconformity | None:
    if value in (None, ""):
        return None
    if isinstance(value, Nonconformity):
        return value
    nc = get_scoped(Nonconformity.objects.for_org(ctx.org), value)
    if nc is None:
        raise ValidationError({"nonconformity": ["Not a nonconformity of this organisation."]})
    return nc


def _incident_data(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    _owner(ctx, data)
    _strip(data, "title", "report_to", "report_reference", "communication_method")
    if "nonconformity" in data:
        data["nonconformity"] = _nonconformity_ref(ctx, data["nonconformity"])
    return data


def _serious(incident: Incident, systems) -> None:
    """A serious incident (Art. 73) concerns a high-risk system and must be reported to an
    authority by a deadline that follows from its kind and the awareness date: set the
    reporting fields from them, so the overdue state and the reminders work as for any report."""
    if incident.serious_kind not in art73.REPORT_DAYS:
        return  # not serious, or an unknown kind: the field's own check names it
    if not any(s.eu_risk_class == EuRiskClass.HIGH for s in systems):
        raise ValidationError({"serious_kind": [
            "Only an incident on a high-risk AI system is a serious incident in the EU AI Act's "
            "sense: name the high-risk system involved, or leave the kind empty."]})
    if incident.aware_at is not None:
        incident.reporting_needed = True
        incident.report_to = incident.report_to.strip() or art73.DEFAULT_AUTHORITY
        incident.report_deadline = art73.report_deadline(incident.serious_kind,
                                                         incident.aware_at)


def _serious_data(incident: Incident, data: dict[str, Any], systems) -> dict[str, Any]:
    """`data` with the reporting fields a serious incident implies, judged on the incident as
    it will be after the change."""
    probe = Incident(**{f: data.get(f, getattr(incident, f)) for f in (
        "serious_kind", "aware_at", "report_to", "report_deadline", "reporting_needed")})
    if probe.serious_kind is None:
        probe.serious_kind = ""
    _serious(probe, systems)
    if probe.serious_kind:
        data.update(reporting_needed=probe.reporting_needed, report_to=probe.report_to,
                    report_deadline=probe.report_deadline)
    return data


@transaction.atomic
def incident_create(*, ctx: Ctx, data: dict[str, Any],
                    origin: models.Model | None = None) -> Incident:
    """Record an incident, optionally from another record (`origin`, or origin_kind +
    origin_id): a breached monitoring result, say, which also fills in what it can (the
    caller's values win). `data` holds model fields plus `ai_systems` (ids)."""
    ctx.require("improvement.raise")
    data = writes.only(data, (*INCIDENT_FIELDS, "ai_systems", "origin_kind", "origin_id"))
    origin = _origin(ctx, origin, data)
    if origin is not None:
        data = {**origins.incident_defaults(origin), **data}
    data = _incident_data(ctx, data)
    systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems", None) or [])
    data = _serious_data(Incident(), data, systems)
    incident = _numbered(ctx, Incident(org=ctx.org, **_origin_columns(origin), **data), "INC")
    writes.create(ctx=ctx, obj=incident, extra_changes={
        **created({"ai_systems": _system_labels(systems)}), **_origin_change(ctx, origin)})
    incident.ai_systems.set(systems)
    return incident


@transaction.atomic
def incident_update(*, ctx: Ctx, incident_id: uuid.UUID, data: dict[str, Any],
                    version: int | None) -> Incident:
    """Change an incident written at `version` (containment, communication, reporting, status,
    the linked nonconformity…)."""
    ctx.require("improvement.change")
    incident = writes.get_for_update(Incident, ctx=ctx, pk=incident_id, label="Incident")
    writes.check_version(incident, version)
    data = _incident_data(ctx, writes.only(data, (*INCIDENT_FIELDS, "ai_systems")))
    extra: dict[str, Any] = {}
    systems = None
    if "ai_systems" in data:
        systems = ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems") or [])
        before = _system_labels(incident.ai_systems.order_by("name"))
        if before != _system_labels(systems):
            extra["ai_systems"] = {"before": before, "after": _system_labels(systems)}
    data = _serious_data(incident, data, systems if systems is not None
                         else list(incident.ai_systems.all()))
    incident = writes.change(ctx=ctx, obj=incident, data=data, version=version,
                             extra_changes=extra)
    if systems is not None and extra:
        incident.ai_systems.set(systems)
    return incident


@transaction.atomic
def incident_delete(*, ctx: Ctx, incident_id: uuid.UUID, version: int | None) -> None:
    """Remove an incident recorded by mistake; its last values stay in the activity log."""
    ctx.require("improvement.change")
    incident = writes.get_for_update(Incident, ctx=ctx, pk=incident_id, label="Incident")
    writes.delete(ctx=ctx, obj=incident, version=version, extra_changes={
        "ai_systems": {"before": _system_labels(incident.ai_systems.order_by("name")),
                       "after": None}})


@transaction.atomic
def incident_raise_nonconformity(*, ctx: Ctx, incident_id: uuid.UUID,
                                 data: dict[str, Any] | None = None) -> Nonconformity:
    """Raise a nonconformity from an incident and link the two (one step)."""
    ctx.require("improvement.raise")
    incident = writes.get_for_update(Incident, ctx=ctx, pk=incident_id, label="Incident")
    if incident.nonconformity_id is not None:
        linked_nc = Nonconformity.objects.for_org(ctx.org).get(pk=incident.nonconformity_id)
        raise ValidationError({"nonconformity": [
            f"{incident.ref} is already dealt with by {linked_nc.ref}."]})
    return nonconformity_create(ctx=ctx, data=dict(data or {}), origin=incident)


# ---------------------------------------------------------------------------- nonconformities

NC_FIELDS = ("title", "source", "requirement", "description", "severity", "raised_on",
             "owner", "correction", "corrected_on", "rca_method", "whys", "analysis",
             "root_cause")


def requirement_by_ref(ref, field: str = "requirement") -> Requirement | None:
    """The ISO/IEC 42001 clause or control with reference `ref` (None for empty)."""
    if ref in (None, ""):
        return None
    if isinstance(ref, Requirement):
        return ref
    req = (Requirement.objects.filter(framework__code=ISO42001, ref=str(ref).strip())
           .first())
    if req is None:
        raise ValidationError({field: [f"No ISO/IEC 42001 clause or control “{ref}”; use a "
                                       "reference such as 9.2 or A.6.2.6."]})
    return req


def _nc_data(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    _owner(ctx, data)
    _strip(data, "title")
    if "requirement" in data:
        data["requirement"] = requirement_by_ref(data["requirement"])
    if "whys" in data:
        whys = data["whys"]
        if whys is None:
            whys = []
        if not isinstance(whys, (list, tuple)) or not all(isinstance(w, str) for w in whys):
            raise ValidationError({"whys": ["Give the whys as a list of answers, in order."]})
        # Trailing blanks are unused rows of the form, not answers.
        whys = [w.strip() for w in whys]
        while whys and not whys[-1]:
            whys.pop()
        if len(whys) > MAX_WHYS:
            raise ValidationError({"whys": [f"Give at most {MAX_WHYS} whys."]})
        data["whys"] = whys
    return data


def _refuse_if_closed(nc: Nonconformity, what: str) -> None:
    if nc.is_closed:
        raise ValidationError({"__all__": [
            f"{nc.ref} was closed on {timezone.localtime(nc.closed_at):%Y-%m-%d}: {what} is no "
            "longer possible. Raise a new nonconformity if the problem came back."]})


@transaction.atomic
def nonconformity_create(*, ctx: Ctx, data: dict[str, Any],
                         origin: models.Model | None = None) -> Nonconformity:
    """Raise a nonconformity, optionally from another record (`origin`, or origin_kind +
    origin_id: an audit line, an incident, a monitoring result, a management review…), which
    fills in what it can (the caller's values win). Raised from an incident without a
    nonconformity, the incident is linked to it."""
    ctx.require("improvement.raise")
    data = writes.only(data, (*NC_FIELDS, "origin_kind", "origin_id"))
    origin = _origin(ctx, origin, data)
    if origin is not None:
        data = {**origins.nonconformity_defaults(origin), **data}
    data = _nc_data(ctx, data)
    nc = _numbered(ctx, Nonconformity(org=ctx.org, raised_by=ctx.user,
                                      **_origin_columns(origin), **data), "NC")
    writes.create(ctx=ctx, obj=nc, extra_changes={
        **created({"requirement": nc.requirement.ref if nc.requirement_id else None}),
        **_origin_change(ctx, origin)})
    if isinstance(origin, Incident):
        incident = writes.get_for_update(Incident, ctx=ctx, pk=origin.pk, label="Incident")
        if incident.nonconformity_id is None:
            writes.change(ctx=ctx, obj=incident, data={"nonconformity": nc},
                          version=incident.version)
    return nc


@transaction.atomic
def nonconformity_update(*, ctx: Ctx, nc_id: uuid.UUID, data: dict[str, Any],
                         version: int | None) -> Nonconformity:
    """Change a nonconformity written at `version`: its facts, correction and root-cause
    analysis. A closed one is a record and is not changed."""
    ctx.require("improvement.change")
    nc = writes.get_for_update(Nonconformity, ctx=ctx, pk=nc_id, label="Nonconformity")
    writes.check_version(nc, version)
    _refuse_if_closed(nc, "changing it")
    data = _nc_data(ctx, writes.only(data, NC_FIELDS))
    return writes.change(ctx=ctx, obj=nc, data=data, version=version)


@transaction.atomic
def nonconformity_delete(*, ctx: Ctx, nc_id: uuid.UUID, version: int | None) -> None:
    """Remove a nonconformity raised by mistake: only while it has no corrective actions, no
    linked incident and is not closed; its last values stay in the activity log."""
    ctx.require("improvement.change")
    nc = writes.get_for_update(Nonconformity, ctx=ctx, pk=nc_id, label="Nonconformity")
    writes.check_version(nc, version)
    problems = []
    if nc.is_closed:
        problems.append(f"{nc.ref} is closed: it stays on record.")
    actions = list(Task.objects.for_org(ctx.org).filter(
        subject_kind=NC_KIND, subject_id=nc.pk).order_by("number").values_list("ref", flat=True))
    if actions:
        problems.append(f"It has tasks ({', '.join(actions)}): delete them first.")
    incidents = list(Incident.objects.for_org(ctx.org).filter(nonconformity=nc)
                     .order_by("number").values_list("ref", flat=True))
    if incidents:
        problems.append(f"Incidents point at it ({', '.join(incidents)}): unlink them first.")
    if problems:
        raise ValidationError({"__all__": problems})
    writes.delete(ctx=ctx, obj=nc, version=version)


ACTION_FIELDS = ("title", "description", "owner", "due_date", "priority")


@transaction.atomic
def nonconformity_action_create(*, ctx: Ctx, nc_id: uuid.UUID, data: dict[str, Any]) -> Task:
    """Plan a corrective action: a task of kind corrective_action about the nonconformity,
    with an owner and a due date."""
    ctx.require("improvement.change")
    nc = writes.get_for_update(Nonconformity, ctx=ctx, pk=nc_id, label="Nonconformity")
    _refuse_if_closed(nc, "adding actions")
    data = writes.only(data, ACTION_FIELDS)
    errors = {}
    if not data.get("owner"):
        errors["owner"] = ["A corrective action needs an owner who answers for it."]
    if not data.get("due_date"):
        errors["due_date"] = ["A corrective action needs a due date."]
    if errors:
        raise ValidationError(errors)
    return task_create(ctx=ctx, data={**data, "kind": TaskKind.CORRECTIVE_ACTION}, subject=nc,
                       perm="improvement.change")


@transaction.atomic
def nonconformity_action_complete(*, ctx: Ctx, nc_id: uuid.UUID, action_id: uuid.UUID,
                                  version: int | None, note: str = "") -> Task:
    """Mark a corrective action done (its owner, or anyone who manages nonconformities)."""
    nc = writes.get_for_update(Nonconformity, ctx=ctx, pk=nc_id, label="Nonconformity")
    action = action_get(ctx=ctx, nc=nc, action_id=action_id)
    return task_complete(ctx=ctx, task_id=action.pk, version=version, note=note,
                         perm="improvement.change")


def _last_completed(actions: list[Task]) -> Task | None:
    done = [(a.completed_at, a) for a in actions
            if a.status == TaskStatus.DONE and a.completed_at is not None]
    return max(done, key=lambda pair: pair[0])[1] if done else None


def _actions(ctx: Ctx, nc: Nonconformity) -> list[Task]:
    return list(corrective_actions(ctx).filter(subject_id=nc.pk).order_by("number"))


VERIFY_FIELDS = ("verified_on", "result", "notes", "evidence")


@transaction.atomic
def nonconformity_verify(*, ctx: Ctx, nc_id: uuid.UUID, data: dict[str, Any],
                         version: int | None) -> Nonconformity:
    """Record whether the corrective actions worked (who, when, result, notes; `evidence`
    ids are linked to the nonconformity). Only once every action is done. A not-effective
    result sends the nonconformity back to planning further actions."""
    ctx.require("improvement.verify")
    nc = writes.get_for_update(Nonconformity, ctx=ctx, pk=nc_id, label="Nonconformity")
    writes.check_version(nc, version)
    _refuse_if_closed(nc, "verifying it")
    data = writes.only(data, VERIFY_FIELDS)
    actions = _actions(ctx, nc)
    errors: dict[str, list[str]] = {}
    if not actions:
        errors["__all__"] = ["Plan and complete at least one corrective action before "
                             "verifying that the actions worked."]
    elif still_open := [a.ref for a in actions if a.status in OPEN_STATUSES]:
        errors["__all__"] = [f"Verify once every corrective action is done: "
                             f"{', '.join(still_open)} still open."]
    result = data.get("result")
    if result not in Effectiveness.values:
        errors["result"] = ["Say whether the actions were effective or not effective."]
    verified_on = data.get("verified_on") or timezone.localdate()
    if isinstance(verified_on, str):
        try:
            verified_on = datetime.date.fromisoformat(verified_on)
        except ValueError:
            errors["verified_on"] = ["Give the date as YYYY-MM-DD."]
    if isinstance(verified_on, datetime.date):
        last = _last_completed(actions)
        if verified_on > timezone.localdate():
            errors["verified_on"] = ["A verification cannot be dated in the future."]
        elif last and verified_on < timezone.localtime(last.completed_at).date():
            errors["verified_on"] = [
                f"The verification cannot come before the last action ({last.ref}) was "
                f"completed on {timezone.localtime(last.completed_at):%Y-%m-%d}."]
    notes = (data.get("notes") or "").strip()
    if result == Effectiveness.NOT_EFFECTIVE and not notes:
        errors["notes"] = ["Say what shows the actions did not work, so the next ones can."]
    if errors:
        raise ValidationError(errors)
    nc = writes.change(ctx=ctx, obj=nc, version=version, data={
        "verified_by": ctx.user, "verified_on": verified_on, "verification_result": result,
        "verification_notes": notes, "verification_recorded_at": timezone.now()},
        extra_changes={"verified_by": {"before": None, "after": ctx.actor_label}})
    for evidence_id in data.get("evidence") or []:
        evidence_link(ctx=ctx, evidence_id=evidence_id, subject=nc, perm="improvement.verify")
    return nc


def close_problems(ctx: Ctx, nc: Nonconformity) -> list[str]:
    """Everything that stops `nc` closing, in the words the person closing it reads."""
    problems = []
    if not nc.root_cause.strip():
        problems.append("Record the root cause: the root-cause analysis needs a statement of "
                        "the cause that, removed, stops the problem recurring.")
    actions = _actions(ctx, nc)
    if not actions:
        problems.append("Plan at least one corrective action that removes the root cause.")
    elif still_open := [a.ref for a in actions if a.status in OPEN_STATUSES]:
        problems.append(f"Complete the corrective actions still open: {', '.join(still_open)}.")
    last = _last_completed(actions)
    if nc.verification_result == "":
        problems.append("Record a positive effectiveness verification once the actions are "
                        "done.")
    elif nc.verification_result == Effectiveness.NOT_EFFECTIVE:
        problems.append("The latest effectiveness verification found the actions not "
                        "effective: plan and complete further actions, then verify again.")
    elif (last and last.completed_at and nc.verification_recorded_at
          and nc.verification_recorded_at <= last.completed_at):
        problems.append(f"The effectiveness verification of {nc.verified_on:%Y-%m-%d} was "
                        f"recorded before {last.ref} was completed: verify again.")
    return problems


@transaction.atomic
def nonconformity_close(*, ctx: Ctx, nc_id: uuid.UUID, version: int | None) -> Nonconformity:
    """Close a nonconformity. Refused, naming every missing item, unless it has a root cause,
    at least one corrective action, all of them done, and a positive effectiveness
    verification recorded after the last one was completed."""
    ctx.require("improvement.verify")
    nc = writes.get_for_update(Nonconformity, ctx=ctx, pk=nc_id, label="Nonconformity")
    writes.check_version(nc, version)
    _refuse_if_closed(nc, "closing it again")
    if problems := close_problems(ctx, nc):
        raise ValidationError({"__all__": problems})
    return writes.change(ctx=ctx, obj=nc, version=version,
                         data={"closed_at": timezone.now(), "closed_by": ctx.user},
                         extra_changes={"status": {"before": "verifying", "after": "closed"}})


# ---------------------------------------------------------------------------- improvement

IMPROVEMENT_FIELDS = ("title", "description", "source", "owner", "status", "benefit",
                      "target_date")


@transaction.atomic
def improvement_create(*, ctx: Ctx, data: dict[str, Any],
                       origin: models.Model | None = None) -> Improvement:
    """Record an improvement opportunity, optionally from another record (an audit line, a
    management review, a monitoring result, a nonconformity…)."""
    ctx.require("improvement.raise")
    data = writes.only(data, (*IMPROVEMENT_FIELDS, "origin_kind", "origin_id"))
    origin = _origin(ctx, origin, data)
    if origin is not None:
        data = {**origins.improvement_defaults(origin), **data}
    _owner(ctx, data)
    _strip(data, "title")
    item = _numbered(ctx, Improvement(org=ctx.org, **_origin_columns(origin), **data), "IMP")
    return writes.create(ctx=ctx, obj=item, extra_changes=_origin_change(ctx, origin))


@transaction.atomic
def improvement_update(*, ctx: Ctx, improvement_id: uuid.UUID, data: dict[str, Any],
                       version: int | None) -> Improvement:
    """Change an improvement opportunity written at `version` (its status, owner, dates…)."""
    ctx.require("improvement.change")
    item = writes.get_for_update(Improvement, ctx=ctx, pk=improvement_id,
                                 label="Improvement opportunity")
    data = writes.only(data, IMPROVEMENT_FIELDS)
    _owner(ctx, data)
    _strip(data, "title")
    return writes.change(ctx=ctx, obj=item, data=data, version=version)


@transaction.atomic
def improvement_delete(*, ctx: Ctx, improvement_id: uuid.UUID, version: int | None) -> None:
    """Remove an improvement opportunity recorded by mistake (rejecting it keeps it on
    record instead)."""
    ctx.require("improvement.change")
    item = writes.get_for_update(Improvement, ctx=ctx, pk=improvement_id,
                                 label="Improvement opportunity")
    writes.delete(ctx=ctx, obj=item, version=version)


def origin_get(*, ctx: Ctx, kind: str, pk: uuid.UUID | str) -> models.Model:
    """The origin record a page was asked to raise from; NotFound when it is not ctx.org's."""
    try:
        return record_get(ctx=ctx, kind=kind, pk=pk, field="origin_id")
    except ValidationError as exc:
        raise NotFound("Origin record not found.") from exc
