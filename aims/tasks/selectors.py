"""Reads of tasks, always from the organisation scope."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.core.records import kind_of
from aims.orgs.context import Ctx
from aims.tasks.models import Task


def _base(ctx: Ctx) -> models.QuerySet:
    return Task.objects.for_org(ctx.org).select_related("owner", "completed_by")


def task_get(*, ctx: Ctx, task_id) -> Task:
    """One task of ctx.org; NotFound for a missing or foreign id alike."""
    task = get_scoped(_base(ctx), task_id)
    if task is None:
        raise NotFound("Task not found.")
    return task


def tasks_for(*, ctx: Ctx, subject: models.Model) -> list[Task]:
    """The tasks about one record, open ones first by due date (one query)."""
    return sorted(
        _base(ctx).filter(subject_kind=kind_of(subject).key, subject_id=subject.pk),
        key=lambda t: (t.is_closed, t.due_date is None, t.due_date or t.created_at.date(),
                       t.number))


def tasks_for_many(*, ctx: Ctx, subjects: Iterable[models.Model]
                   ) -> dict[tuple[str, uuid.UUID], list[Task]]:
    """Tasks per record for many records, by (kind, id); one query."""
    wanted: dict[str, set] = defaultdict(set)
    for s in subjects:
        wanted[kind_of(s).key].add(s.pk)
    out: dict[tuple[str, uuid.UUID], list[Task]] = defaultdict(list)
    if not wanted:
        return out
    q = models.Q()
    for key, ids in wanted.items():
        q |= models.Q(subject_kind=key, subject_id__in=ids)
    for task in _base(ctx).filter(q):
        out[(task.subject_kind, task.subject_id)].append(task)
    return out
