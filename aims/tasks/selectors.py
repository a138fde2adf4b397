"""Reads of tasks, always from the organisation scope."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.orgs.context import Ctx
from aims.orgs.models import Membership
from aims.records.kinds import kind_of
from aims.tasks.models import CLOSED, OPEN_STATUSES, CalendarFeed, Task, TaskStatus

# How far ahead "due this week" looks on My tasks.
WEEK = datetime.timedelta(days=7)
RECENT_DAYS = 14
RECENT_SHOWN = 10


def _base(ctx: Ctx) -> models.QuerySet:
    return Task.objects.for_org(ctx.org).select_related("owner", "completed_by")


def task_get(*, ctx: Ctx, task_id: uuid.UUID | str) -> Task:
    """One task of ctx.org; NotFound for a missing or foreign id alike."""
    task = get_scoped(_base(ctx).select_related("created_by", "previous"), task_id)
    if task is None:
        raise NotFound("Task not found.")
    return task


def task_next(*, ctx: Ctx, task: Task) -> Task | None:
    """The occurrence that followed `task`, if any."""
    return Task.objects.for_org(ctx.org).filter(previous=task).first()


def can_work_on(*, ctx: Ctx, task: Task, perm: str = "tasks.change") -> bool:
    """Whether ctx may progress `task`: anyone with `perm`, and the task's owner whatever
    their role."""
    return ctx.can(perm) or (ctx.user is not None and task.owner_id == ctx.user.pk)


def tasks_for(*, ctx: Ctx, subject: models.Model) -> list[Task]:
    """The tasks about one record, open ones first by due date (one query)."""
    return sorted(
        _base(ctx).filter(subject_kind=kind_of(subject).key, subject_id=subject.pk),
        key=lambda t: (t.is_closed, t.due_date is None, t.due_date or t.created_at.date(),
                       t.number))


# ---------------------------------------------------------------------------- the board


ACTIVE, CLOSED_FILTER, ANY = "active", "closed", "all"


@dataclass(frozen=True)
class TaskFilters:
    """What the board and GET /tasks filter on. `owner` is a user id, "me" or "none";
    `status` is a status, "active" (open or in progress), "closed" or "" / "all" for any."""

    q: str = ""
    owner: str = ""
    kind: str = ""
    status: str = ""
    priority: str = ""
    overdue: bool = False
    subject_kind: str = ""
    subject_id: str = ""


def _owner_q(ctx: Ctx, owner: str) -> Q | None:
    """The owner condition; None when `owner` names nobody there can be (no rows match)."""
    if owner == "me":
        return Q(owner=ctx.user) if ctx.user is not None else None
    if owner == "none":
        return Q(owner__isnull=True)
    try:
        return Q(owner_id=uuid.UUID(owner))
    except ValueError:
        return None


def task_list(*, ctx: Ctx, filters: TaskFilters | None = None) -> models.QuerySet[Task]:
    """ctx.org's tasks, filtered: open work first, then by due date (undated last)."""
    f = filters or TaskFilters()
    qs = _base(ctx)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(ref__iexact=f.q) | Q(description__icontains=f.q))
    if f.owner:
        cond = _owner_q(ctx, f.owner)
        qs = qs.filter(cond) if cond is not None else qs.none()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status == ACTIVE:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status == CLOSED_FILTER:
        qs = qs.filter(status__in=CLOSED)
    elif f.status and f.status != ANY:
        qs = qs.filter(status=f.status)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if f.subject_kind:
        qs = qs.filter(subject_kind=f.subject_kind)
    if f.subject_id:
        try:
            qs = qs.filter(subject_id=uuid.UUID(str(f.subject_id)))
        except ValueError:
            qs = qs.none()
    return qs.order_by(
        Case(When(status__in=CLOSED, then=Value(1)), default=Value(0)),
        F("due_date").asc(nulls_last=True), "number")


# ---------------------------------------------------------------------------- my tasks


def my_open_tasks(*, ctx: Ctx) -> models.QuerySet[Task]:
    """The open tasks ctx's member owns, soonest due first, undated last."""
    return (_base(ctx).filter(owner=ctx.user, status__in=OPEN_STATUSES)
            .order_by(F("due_date").asc(nulls_last=True), "number"))


def my_recently_done(*, ctx: Ctx) -> list[Task]:
    """Tasks the member owned or completed that were done in the last two weeks."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return list(_base(ctx).filter(Q(owner=ctx.user) | Q(completed_by=ctx.user),
                                  status=TaskStatus.DONE, completed_at__gte=since)
                .order_by("-completed_at")[:RECENT_SHOWN])


@dataclass
class DueGroups:
    """Open work split by when it is due."""

    overdue: list
    this_week: list
    later: list
    no_date: list

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.later) + len(self.no_date)


def group_by_due(items: Iterable, today: datetime.date | None = None) -> DueGroups:
    """Split anything with a `due_date` into overdue / due within a week / later / undated."""
    today = today or timezone.localdate()
    groups = DueGroups([], [], [], [])
    for item in items:
        due = item.due_date
        if due is None:
            groups.no_date.append(item)
        elif due < today:
            groups.overdue.append(item)
        elif due < today + WEEK:
            groups.this_week.append(item)
        else:
            groups.later.append(item)
    return groups


# ---------------------------------------------------------------------------- calendar feeds


def calendar_feed_of(*, ctx: Ctx) -> CalendarFeed | None:
    """The member's calendar feed in ctx.org, if they have one."""
    if ctx.user is None:
        return None
    return CalendarFeed.objects.filter(org=ctx.org, user=ctx.user).first()


def calendar_feed_user(*, slug: str, token_hash: str):
    """The user whose feed of organisation `slug` has this token hash, while they are still a
    member; None otherwise (a wrong, revoked or former member's address alike)."""
    feed = (CalendarFeed.objects.select_related("user", "org")
            .filter(org__slug=slug, token_hash=token_hash).first())
    if feed is None or not feed.user.is_active:
        return None
    if not Membership.objects.current().filter(org=feed.org, user=feed.user).exists():
        return None
    return feed.user


def feed_tasks(*, ctx: Ctx) -> list[Task]:
    """The member's open tasks that have a due date, for their calendar."""
    return list(my_open_tasks(ctx=ctx).filter(due_date__isnull=False))


@dataclass(frozen=True)
class TaskSummary:
    """Counts for a dashboard tile."""

    open: int
    overdue: int
    mine_open: int
    mine_overdue: int


def task_summary(*, ctx: Ctx) -> TaskSummary:
    """Open and overdue tasks of ctx.org, and of ctx's member; one query."""
    late = Q(due_date__lt=timezone.localdate())
    mine = Q(owner=ctx.user) if ctx.user is not None else Q(pk__in=[])
    counts = Task.objects.for_org(ctx.org).filter(status__in=OPEN_STATUSES).aggregate(
        open=models.Count("pk"), overdue=models.Count("pk", filter=late),
        mine_open=models.Count("pk", filter=mine),
        mine_overdue=models.Count("pk", filter=mine & late))
    return TaskSummary(**counts)


def tasks_about(*, ctx: Ctx, kind: str, subject_kind: str, subject_ids: Iterable[uuid.UUID],
                created_before: datetime.datetime) -> models.QuerySet[Task]:
    """Tasks of `kind` about records of `subject_kind` among `subject_ids`, created before
    `created_before`, by due date (owners loaded)."""
    return (_base(ctx).filter(kind=kind, subject_kind=subject_kind,
                              subject_id__in=list(subject_ids), created_at__lt=created_before)
            .order_by("due_date", "number"))


def tasks_by_ids(*, ctx: Ctx, ids: Iterable[uuid.UUID]) -> list[Task]:
    """The tasks of ctx.org among `ids` (ids of other organisations drop out)."""
    return list(Task.objects.for_org(ctx.org).filter(pk__in=list(ids)))
