"""Writes to tasks: create, change, complete (with the next occurrence), reopen, delete."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aims.core import writes
from aims.core.errors import PermissionDenied, ValidationError
from aims.core.numbering import next_number
from aims.core.records import kind_of, linked, record_get
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.tasks.models import Task, TaskStatus
from aims.tasks.recurrence import next_due

EDITABLE = ("title", "description", "kind", "priority", "owner", "due_date",
            "recurrence_every", "recurrence_unit", "status")


def _owner(ctx: Ctx, data: dict[str, Any]) -> None:
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")


def _subject(ctx: Ctx, subject: models.Model | None, data: dict[str, Any]) -> dict[str, Any]:
    """The subject columns for a record given as an object or as subject_kind/subject_id."""
    kind, pk = data.pop("subject_kind", None), data.pop("subject_id", None)
    if subject is None and (kind or pk):
        if not kind or not pk:
            raise ValidationError({"subject_id" if kind else "subject_kind": [
                "Give both the kind of record and its id, or neither."]})
        subject = record_get(ctx=ctx, kind=kind, pk=pk)
    if subject is None:
        return {}
    if getattr(subject, "org_id", None) != ctx.org.pk:
        raise ValidationError({"subject_id": ["Not a record of this organisation."]})
    return {"subject_kind": kind_of(subject).key, "subject_id": subject.pk}


def _numbered(ctx: Ctx, task: Task) -> Task:
    task.number = next_number(Task, ctx=ctx)
    task.ref = f"T-{task.number:03d}"
    return task


@transaction.atomic
def task_create(*, ctx: Ctx, data: dict[str, Any], subject: models.Model | None = None,
                perm: str = "tasks.change") -> Task:
    """Create a task, optionally about one record (`subject`, or subject_kind + subject_id)."""
    ctx.require(perm)
    data = writes.only(data, (*EDITABLE, "subject_kind", "subject_id"))
    data.pop("status", None)  # new work starts open
    _owner(ctx, data)
    ref = _subject(ctx, subject, data)
    task = _numbered(ctx, Task(org=ctx.org, created_by=ctx.user, **ref, **data))
    extra = {}
    if ref:
        item = linked(record_get(ctx=ctx, kind=ref["subject_kind"], pk=ref["subject_id"]),
                      ctx.org.slug) if subject is None else linked(subject, ctx.org.slug)
        extra["subject"] = {"before": None, "after": f"{item.label}: {item.title}"}
    return writes.create(ctx=ctx, obj=task, extra_changes=extra)


def _may_work_on(ctx: Ctx, task: Task, perm: str) -> None:
    """Anyone with `perm` may; so may the task's owner, whatever their role."""
    if ctx.can(perm) or (ctx.user is not None and task.owner_id == ctx.user.pk):
        return
    raise PermissionDenied(
        f"Your role ({ctx.role}) in {ctx.org.name} does not allow this ({perm}), and the "
        "task is not assigned to you.")


@transaction.atomic
def task_update(*, ctx: Ctx, task_id, data: dict[str, Any], version: int | None,
                perm: str = "tasks.change") -> Task:
    """Change a task; its owner may update the status of their own work. Completing goes
    through `task_complete` so the next occurrence of recurring work is created."""
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    data = writes.only(data, EDITABLE)
    if ctx.can(perm):
        pass
    elif set(data) <= {"status"}:
        _may_work_on(ctx, task, perm)
    else:
        ctx.require(perm)
    if data.get("status") == TaskStatus.DONE and task.status != TaskStatus.DONE:
        raise ValidationError({"status": ["Complete the task instead (it records who and "
                                          "when, and schedules recurring work)."]})
    _owner(ctx, data)
    if task.status == TaskStatus.DONE and data.get("status", TaskStatus.DONE) != TaskStatus.DONE:
        # Reopening: the completion no longer stands.
        task.completed_at, task.completed_by, task.completion_note = None, None, ""
    return writes.change(ctx=ctx, obj=task, data=data, version=version)


@transaction.atomic
def task_complete(*, ctx: Ctx, task_id, version: int | None, note: str = "",
                  perm: str = "tasks.change") -> Task:
    """Mark a task done (by its owner or anyone with `perm`); a recurring task is followed
    by its next occurrence, due one interval after this one was due. Returns the done task."""
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    _may_work_on(ctx, task, perm)
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
    if task.recurs:
        nxt = Task(org=ctx.org, created_by=ctx.user, previous=task, title=task.title,
                   description=task.description, kind=task.kind, priority=task.priority,
                   owner=task.owner, subject_kind=task.subject_kind, subject_id=task.subject_id,
                   recurrence_every=task.recurrence_every, recurrence_unit=task.recurrence_unit,
                   due_date=next_due(task.due_date, task.recurrence_every, task.recurrence_unit))
        writes.create(ctx=ctx, obj=_numbered(ctx, nxt),
                      extra_changes={"follows": {"before": None, "after": task.ref}})
    return task


@transaction.atomic
def task_delete(*, ctx: Ctx, task_id, version: int | None, perm: str = "tasks.change") -> None:
    """Delete a task (its history stays in the activity log)."""
    ctx.require(perm)
    task = writes.get_for_update(Task, ctx=ctx, pk=task_id, label="Task")
    writes.delete(ctx=ctx, obj=task, version=version)


