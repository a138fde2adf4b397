"""Writes to tasks: create, change, complete (with the next occurrence), reopen, delete; answer an
evidence request; issue and revoke a member's calendar feed."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any, NamedTuple

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.evidence.services import evidence_create
from aims.evidence.storage import atomic_with_files
from aims.orgs.context import Ctx
from aims.orgs.permissions import PERMISSIONS, Role, refusal
from aims.orgs.selectors import member_list, member_user_get
from aims.records import writes
from aims.records.kinds import kind_of, linked, record_get
from aims.records.numbering import next_number
from aims.tasks.models import CalendarFeed, Task, TaskKind, TaskStatus
from aims.tasks.recurrence import next_due
from aims.tasks.selectors import can_work_on

EDITABLE = ("title", "description", "kind", "priority", "owner", "due_date",
            "recurrence_every", "recurrence_unit", "status")
# Who may hold an evidence request: whoever can add the evidence that answers it.
EVIDENCE_PERM = "evidence.change"


def _owner(ctx: Ctx, data: dict[str, Any]) -> None:
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")


def _subject(ctx: Ctx, subject: models.Model | None, data: dict[str, Any]) -> models.Model | None:
    """The record a task is about, given as an object or as subject_kind/subject_id."""
    kind, pk = data.pop("subject_kind", None), data.pop("subject_id", None)
    if subject is None and (kind or pk):
        if not kind or not pk:
            raise ValidationError({"subject_id" if kind else "subject_kind": [
                "Give both the kind of record and its id, or neither."]})
        subject = record_get(ctx=ctx, kind=kind, pk=pk)
    if subject is not None and getattr(subject, "org_id", None) != ctx.org.pk:
        raise ValidationError({"subject_id": ["Not a record of this organisation."]})
    return subject


def _roles_that_may(perm: str) -> str:
    names = [f"{r.label.lower()}s" for r in Role if r in PERMISSIONS[perm]]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


def _check_evidence_request(ctx: Ctx, *, kind: str, owner, has_subject: bool,
                            subject_field: str) -> None:
    """An evidence request is about a record, and goes to someone who can add evidence."""
    if kind != TaskKind.EVIDENCE_REQUEST:
        return
    errors: dict[str, list[str]] = {}
    if not has_subject:
        errors[subject_field] = [
            "An evidence request asks for evidence about a record: choose the control (or "
            "other record) the evidence is for."]
    if owner is not None:
        role = (member_list(ctx=ctx).filter(user_id=owner.pk)
                .values_list("role", flat=True).first())
        if not role or role not in PERMISSIONS[EVIDENCE_PERM]:
            errors["owner"] = [
                f"An evidence request must go to someone who can add evidence, and "
                f"{owner.display_name} is {'a ' + Role(role).label.lower() if role else 'not a member'}"
                f". Only {_roles_that_may(EVIDENCE_PERM)} can add evidence."]
    if errors:
        raise ValidationError(errors)


def _numbered(ctx: Ctx, task: Task) -> Task:
    task.number = next_number(Task, ctx=ctx)
    task.ref = f"T-{task.number:03d}"
    return task


@transaction.atomic
def task_create(*, ctx: Ctx, data: dict[str, Any], subject: models.Model | None = None,
                perm: str = "tasks.change") -> Task:
    """Create a task, optionally about one record (`subject`, or subject_kind + subject_id).
    An evidence request needs a subject and an owner who can add evidence."""
    ctx.require(perm)
    data = writes.only(data, (*EDITABLE, "subject_kind", "subject_id"))
    data.pop("status", None)  # new work starts open
    _owner(ctx, data)
    subject = _subject(ctx, subject, data)
    ref = ({"subject_kind": kind_of(subject).key, "subject_id": subject.pk}
           if subject is not None else {})
    task = _numbered(ctx, Task(org=ctx.org, created_by=ctx.user, **ref, **data))
    _check_evidence_request(ctx, kind=task.kind, owner=task.owner, has_subject=bool(ref),
                            subject_field="subject_kind")
    task.anchor_day = task.due_date.day if task.due_date else None
    extra = {}
    if subject is not None:
        item = linked(subject, ctx.org.slug)
        extra["subject"] = {"before": None, "after": f"{item.label}: {item.title}"}
    return writes.create(ctx=ctx, obj=task, extra_changes=extra)


def require_work_on(ctx: Ctx, task: Task, perm: str = "tasks.change") -> None:
    """Refuse (403) unless ctx may progress `task`: anyone with `perm` may; so may the task's
    owner, whatever their role."""
    if can_work_on(ctx=ctx, task=task, perm=perm):
        return
    raise PermissionDenied(
        f"{refusal(ctx.role, perm, ctx.org.name)} The task is not assigned to you either, "
        "so you cannot progress it as its owner.")


@transaction.atomic
def task_update(*, ctx: Ctx, task_id: uuid.UUID, data: dict[str, Any], version: int | None,
                perm: str = "tasks.change") -> Task:
    """Change a task; its owner may update the status of their own work (start, cancel,
    reopen). Completing goes through `task_complete` so the next occurrence of recurring work
    is created; cancelling ends a series; reopening a done task keeps the occurrence that
    already followed it."""
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    data = writes.only(data, EDITABLE)
    if ctx.can(perm):
        pass
    elif set(data) <= {"status"}:
        require_work_on(ctx, task, perm)
    else:
        ctx.require(perm)
    if data.get("status") == TaskStatus.DONE and task.status != TaskStatus.DONE:
        raise ValidationError({"status": ["Complete the task instead (it records who and "
                                          "when, and schedules recurring work)."]})
    _owner(ctx, data)
    if "kind" in data or "owner" in data:
        _check_evidence_request(ctx, kind=data.get("kind", task.kind),
                                owner=data.get("owner", task.owner),
                                has_subject=bool(task.subject_ref), subject_field="kind")
    if "due_date" in data and data["due_date"] != task.due_date:
        # A due date set by hand is the day the series falls on from now on.
        task.anchor_day = data["due_date"].day if data["due_date"] else None
    if task.status == TaskStatus.DONE and data.get("status", TaskStatus.DONE) != TaskStatus.DONE:
        # Reopening: the completion no longer stands.
        task.completed_at, task.completed_by, task.completion_note = None, None, ""
    return writes.change(ctx=ctx, obj=task, data=data, version=version)


@transaction.atomic
def task_complete(*, ctx: Ctx, task_id: uuid.UUID, version: int | None, note: str = "",
                  perm: str = "tasks.change") -> Task:
    """Mark a task done (by its owner or anyone with `perm`); a recurring task is followed
    by its next occurrence, due one interval after this one was due (not after it was done),
    unless it already has one (it was completed before and reopened). Returns the done task."""
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    require_work_on(ctx, task, perm)
    if task.is_closed:
        raise ValidationError({"status": [f"The task is already {task.get_status_display().lower()}."]})
    writes.check_version(task, version)
    task.completed_at, task.completed_by = timezone.now(), ctx.user
    task.completion_note = (note or "").strip()
    writes.change(ctx=ctx, obj=task, data={"status": TaskStatus.DONE}, version=version,
                  extra_changes={"completed_by": {"before": None, "after": ctx.actor_label},
                                 **({"completion_note": {"before": None,
                                                         "after": task.completion_note}}
                                    if task.completion_note else {})})
    followed = Task.objects.for_org(ctx.org).filter(previous=task).exists()
    every = task.recurrence_every  # set when the task recurs
    if task.recurs and every and task.due_date and not followed:
        nxt = Task(org=ctx.org, created_by=ctx.user, previous=task, title=task.title,
                   description=task.description, kind=task.kind, priority=task.priority,
                   owner=task.owner, subject_kind=task.subject_kind, subject_id=task.subject_id,
                   recurrence_every=task.recurrence_every, recurrence_unit=task.recurrence_unit,
                   anchor_day=task.anchor_day,
                   due_date=next_due(task.due_date, every, task.recurrence_unit,
                                     task.anchor_day))
        writes.create(ctx=ctx, obj=_numbered(ctx, nxt),
                      extra_changes={"follows": {"before": None, "after": task.ref}})
    return task


@transaction.atomic
def task_delete(*, ctx: Ctx, task_id: uuid.UUID, version: int | None, perm: str = "tasks.change"
               ) -> None:
    """Delete a task (its history stays in the activity log)."""
    ctx.require(perm)
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    writes.delete(ctx=ctx, obj=task, version=version)


class Answer(NamedTuple):
    """What answering an evidence request made: the done task and the new evidence."""

    task: Task
    evidence: Any


@atomic_with_files
def task_answer_with_evidence(*, ctx: Ctx, task_id: uuid.UUID, version: int | None,
                              data: dict[str, Any], upload: UploadedFile | None = None) -> Answer:
    """Answer an evidence request: add the evidence (a file, a link or a note) linked to the
    request's record and complete the request, in one transaction. Its owner or anyone with
    tasks.change may answer, provided they can add evidence."""
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    require_work_on(ctx, task)
    if task.kind != TaskKind.EVIDENCE_REQUEST:
        raise ValidationError({"kind": ["Only an evidence request is answered with evidence; "
                                        "complete this task instead."]})
    if task.is_closed:
        raise ValidationError({"status": [f"The request is already {task.get_status_display().lower()}."]})
    writes.check_version(task, version)
    if not task.subject_ref:
        raise ValidationError({"subject_id": ["The request names no record to attach the "
                                              "evidence to."]})
    try:
        subject = record_get(ctx=ctx, kind=task.subject_kind, pk=task.subject_id)
    except (NotFound, ValidationError) as exc:  # the record went away since the request
        raise ValidationError({"subject_id": [
            "The record this request is about no longer exists; cancel the request."]}) from exc
    data = dict(data)
    note = (data.pop("completion_note", "") or "").strip()
    data["title"] = (data.get("title") or "").strip() or task.title
    if ctx.user is not None:
        data.setdefault("owner", ctx.user.pk)
    evidence = evidence_create(ctx=ctx, data=data, upload=upload, links=[subject])
    answered = f"Answered with {evidence.ref} {evidence.title}."
    task = task_complete(ctx=ctx, task_id=task.pk, version=version,
                         note=f"{answered}\n{note}" if note else answered)
    return Answer(task=task, evidence=evidence)


# ---------------------------------------------------------------------------- calendar feeds


def feed_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, ctx: Ctx) -> str:
    """Issue the member's secret calendar address for ctx.org, replacing any earlier one (which
    stops working). Returns the secret, which is never stored: only its hash is."""
    ctx.require("org.view")
    if ctx.user is None:
        raise ValidationError("A calendar feed belongs to a signed-in member.")
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(org=ctx.org, user=ctx.user,
                                          defaults={"token_hash": feed_token_hash(raw)})
    return raw


@transaction.atomic
def calendar_feed_revoke(*, ctx: Ctx) -> bool:
    """Stop the member's calendar address for ctx.org; False when there was none."""
    ctx.require("org.view")
    if ctx.user is None:
        return False
    deleted, _ = CalendarFeed.objects.filter(org=ctx.org, user=ctx.user).delete()
    return bool(deleted)
