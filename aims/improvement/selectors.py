"""Reads of incidents, nonconformities and improvement opportunities, from the tenant scope.

A nonconformity's status is derived here, in the database, from its corrective actions (tasks
of kind "corrective_action" about it) and its latest effectiveness verification. Lists, filters,
pages and the API all read it from `nonconformity_list`, so there is one rule:

- closed           once closed (the only stored state);
- open             no corrective action yet (cancelled ones do not count);
- action_planned   some action still open, or the latest verification found the actions not
                   effective after the last one was completed (so new ones are needed);
- verifying        every action done, effectiveness not yet confirmed (or confirmed and ready
                   to close).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.improvement.models import (
    Effectiveness,
    Improvement,
    ImprovementStatus,
    Incident,
    NcSeverity,
    NcStatus,
    Nonconformity,
)
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.records.kinds import SubjectFields
from aims.tasks.models import OPEN_STATUSES, Task, TaskKind, TaskStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

M = TypeVar("M", bound=SubjectFields)

NC_KIND = "nonconformity"  # the record kind tasks point at (aims.improvement.records)
AGE_BUCKETS = {"0-30": (0, 30), "31-90": (31, 90), "90+": (91, None)}
AGE_LABELS = {"0-30": "0–30 days", "31-90": "31–90 days", "90+": "More than 90 days"}


# ---------------------------------------------------------------------------- actions


def corrective_actions(ctx: Ctx) -> QuerySet[Task]:
    """Every corrective action about a nonconformity of ctx.org that still counts (cancelled
    ones are left out: they neither block closing nor show as planned)."""
    return (Task.objects.for_org(ctx.org)
            .filter(subject_kind=NC_KIND, kind=TaskKind.CORRECTIVE_ACTION)
            .exclude(status=TaskStatus.CANCELLED))


def action_list(*, ctx: Ctx, nc: Nonconformity, include_cancelled: bool = True) -> list[Task]:
    """One nonconformity's corrective actions, open ones first by due date (one query)."""
    qs = Task.objects.for_org(ctx.org).filter(subject_kind=NC_KIND, subject_id=nc.pk,
                                              kind=TaskKind.CORRECTIVE_ACTION)
    if not include_cancelled:
        qs = qs.exclude(status=TaskStatus.CANCELLED)
    return sorted(qs.select_related("owner", "completed_by"),
                  key=lambda t: (t.is_closed, t.due_date is None,
                                 t.due_date or datetime.date.max, t.number))


def action_get(*, ctx: Ctx, nc: Nonconformity, action_id: uuid.UUID | str) -> Task:
    """One corrective action of `nc`; NotFound for anything else."""
    task = get_scoped(Task.objects.for_org(ctx.org).filter(
        subject_kind=NC_KIND, subject_id=nc.pk, kind=TaskKind.CORRECTIVE_ACTION)
        .select_related("owner", "completed_by"), action_id)
    if task is None:
        raise NotFound("Corrective action not found.")
    return task


def _count(qs: QuerySet[Task]) -> Coalesce:
    sub = (qs.filter(subject_id=OuterRef("pk")).order_by().values("subject_id")
           .annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


# ---------------------------------------------------------------------------- nonconformities


@dataclass(frozen=True)
class NcFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    severity: str = ""
    owner: str = ""
    overdue: bool = False  # only those with an overdue corrective action
    age: str = ""  # an AGE_BUCKETS key: open ones raised that many days ago

    @property
    def active(self) -> bool:
        return any(v not in ("", None, False) for v in self.__dict__.values())


class NcAnnotations(TypedDict):
    """What _annotated adds to each nonconformity."""

    actions_total: int
    actions_open: int
    actions_overdue: int
    last_completed: datetime.datetime | None
    status: str  # an NcStatus value


def _annotated(ctx: Ctx, qs: QuerySet[Nonconformity], today: datetime.date
               ) -> QuerySet[WithAnnotations[Nonconformity, NcAnnotations]]:
    actions = corrective_actions(ctx)
    open_actions = actions.filter(status__in=OPEN_STATUSES)
    done = actions.filter(status=TaskStatus.DONE, subject_id=OuterRef("pk"))
    qs = qs.annotate(
        actions_total=_count(actions),
        actions_open=_count(open_actions),
        actions_overdue=_count(open_actions.filter(due_date__lt=today)),
        last_completed=Subquery(done.order_by("-completed_at").values("completed_at")[:1],
                                output_field=DateTimeField()),
    )
    return qs.annotate(status=Case(
        When(closed_at__isnull=False, then=Value(NcStatus.CLOSED)),
        When(actions_total=0, then=Value(NcStatus.OPEN)),
        When(actions_open__gt=0, then=Value(NcStatus.ACTION_PLANNED)),
        When(verification_result=Effectiveness.NOT_EFFECTIVE,
             verification_recorded_at__gt=F("last_completed"),
             then=Value(NcStatus.ACTION_PLANNED)),
        default=Value(NcStatus.VERIFYING), output_field=CharField()))


def nonconformity_list(*, ctx: Ctx, filters: NcFilters | None = None,
                       today: datetime.date | None = None
                       ) -> QuerySet[WithAnnotations[Nonconformity, NcAnnotations]]:
    """ctx.org's nonconformities, newest first, with their requirement, owner, action counts
    and derived status, filtered (one query whatever the size)."""
    f = filters or NcFilters()
    today = today or timezone.localdate()
    qs = _annotated(ctx, Nonconformity.objects.for_org(ctx.org).select_related(
        "owner", "requirement", "raised_by", "verified_by", "closed_by"), today)
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(ref__iexact=q) | Q(root_cause__icontains=q)
                       | Q(requirement__ref__iexact=q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.owner:
        try:
            qs = qs.filter(owner_id=uuid.UUID(str(f.owner)))
        except ValueError:
            return qs.none()
    if f.overdue:
        qs = qs.filter(actions_overdue__gt=0)
    if f.age in AGE_BUCKETS:
        low, high = AGE_BUCKETS[f.age]
        qs = qs.filter(closed_at__isnull=True, raised_on__lte=today - datetime.timedelta(low))
        if high is not None:
            qs = qs.filter(raised_on__gte=today - datetime.timedelta(high))
    return qs.order_by("-number")


def nonconformity_get(*, ctx: Ctx, nc_id: uuid.UUID | str
                      ) -> WithAnnotations[Nonconformity, NcAnnotations]:
    """One nonconformity of ctx.org with its derived status; NotFound for missing or foreign."""
    nc = get_scoped(nonconformity_list(ctx=ctx), nc_id)
    if nc is None:
        raise NotFound("Nonconformity not found.")
    return nc


def ageing(*, ctx: Ctx, today: datetime.date | None = None) -> list[dict]:
    """Open nonconformities per age bucket, with how many have overdue actions (one query)."""
    today = today or timezone.localdate()
    qs = _annotated(ctx, Nonconformity.objects.for_org(ctx.org).filter(closed_at__isnull=True),
                    today)
    aggregates = {}
    for key, (low, high) in AGE_BUCKETS.items():
        cond = Q(raised_on__lte=today - datetime.timedelta(low))
        if high is not None:
            cond &= Q(raised_on__gte=today - datetime.timedelta(high))
        aggregates[f"n_{key}"] = Count("pk", filter=cond)
        aggregates[f"o_{key}"] = Count("pk", filter=cond & Q(actions_overdue__gt=0))
    got = qs.aggregate(**aggregates)
    return [{"key": key, "label": AGE_LABELS[key], "count": got[f"n_{key}"],
             "with_overdue": got[f"o_{key}"]} for key in AGE_BUCKETS]


def overdue_actions(*, ctx: Ctx, today: datetime.date | None = None
                   ) -> list[tuple[Task, Nonconformity]]:
    """Open corrective actions past their due date, oldest due first, each with its
    nonconformity (two queries)."""
    today = today or timezone.localdate()
    tasks = list(corrective_actions(ctx).filter(status__in=OPEN_STATUSES, due_date__lt=today)
                 .select_related("owner").order_by("due_date", "number"))
    ncs = {nc.pk: nc for nc in Nonconformity.objects.for_org(ctx.org)
           .filter(pk__in={t.subject_id for t in tasks}).select_related("owner")}
    return [(t, ncs[t.subject_id]) for t in tasks if t.subject_id in ncs]


def nonconformity_summary(*, ctx: Ctx, today: datetime.date | None = None) -> dict[str, int]:
    """Counts per derived status, open ones with overdue actions and open major ones (one
    query): for the dashboard and the management review."""
    today = today or timezone.localdate()
    qs = _annotated(ctx, Nonconformity.objects.for_org(ctx.org), today)
    got = qs.aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in NcStatus.values},
        with_overdue_actions=Count("pk", filter=Q(closed_at__isnull=True,
                                                  actions_overdue__gt=0)),
        major_open=Count("pk", filter=Q(closed_at__isnull=True, severity=NcSeverity.MAJOR)))
    return got


# ---------------------------------------------------------------------------- incidents


@dataclass(frozen=True)
class IncidentFilters:
    q: str = ""
    status: str = ""
    incident_type: str = ""
    severity: str = ""
    owner: str = ""
    ai_system: str = ""
    reporting_overdue: bool = False

    @property
    def active(self) -> bool:
        return any(v not in ("", None, False) for v in self.__dict__.values())


def _systems_prefetch(ctx: Ctx) -> Prefetch:
    return Prefetch("ai_systems", queryset=AISystem.objects.for_org(ctx.org).order_by("name"))


def incident_list(*, ctx: Ctx, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    """ctx.org's incidents, newest first, with owner, nonconformity and AI systems (two
    queries whatever the size)."""
    f = filters or IncidentFilters()
    qs = (Incident.objects.for_org(ctx.org).select_related("owner", "nonconformity")
          .prefetch_related(_systems_prefetch(ctx)))
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(ref__iexact=q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.incident_type:
        qs = qs.filter(incident_type=f.incident_type)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    for name in ("owner", "ai_system"):
        value = getattr(f, name)
        if not value:
            continue
        try:
            pk = uuid.UUID(str(value))
        except ValueError:
            return qs.none()
        qs = qs.filter(owner_id=pk) if name == "owner" else qs.filter(
            pk__in=Incident.ai_systems.through.objects.filter(aisystem_id=pk)
            .values("incident_id"))
    if f.reporting_overdue:
        qs = qs.filter(reporting_needed=True, reported_at__isnull=True,
                       report_deadline__lt=timezone.now())
    return qs.order_by("-number")


def incident_get(*, ctx: Ctx, incident_id: uuid.UUID | str) -> Incident:
    """One incident of ctx.org; NotFound for a missing or foreign id alike."""
    incident = get_scoped(incident_list(ctx=ctx), incident_id)
    if incident is None:
        raise NotFound("Incident not found.")
    return incident


def incidents_for_system(*, ctx: Ctx, system: AISystem, limit: int = 25) -> list[Incident]:
    """The newest incidents involving one AI system (at most `limit`, two queries)."""
    return list(incident_list(ctx=ctx, filters=IncidentFilters(ai_system=str(system.pk)))
                [:limit])


# ---------------------------------------------------------------------------- improvement


@dataclass(frozen=True)
class ImprovementFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    owner: str = ""

    @property
    def active(self) -> bool:
        return any(v not in ("", None) for v in self.__dict__.values())


def improvement_list(*, ctx: Ctx, filters: ImprovementFilters | None = None
                     ) -> QuerySet[Improvement]:
    """ctx.org's improvement opportunities, newest first, filtered (one query)."""
    f = filters or ImprovementFilters()
    qs = Improvement.objects.for_org(ctx.org).select_related("owner")
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(benefit__icontains=q) | Q(ref__iexact=q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.owner:
        try:
            qs = qs.filter(owner_id=uuid.UUID(str(f.owner)))
        except ValueError:
            return qs.none()
    return qs.order_by("-number")


def improvement_get(*, ctx: Ctx, improvement_id: uuid.UUID | str) -> Improvement:
    """One improvement opportunity of ctx.org; NotFound for a missing or foreign id alike."""
    item = get_scoped(improvement_list(ctx=ctx), improvement_id)
    if item is None:
        raise NotFound("Improvement opportunity not found.")
    return item


# ---------------------------------------------------------------------------- raised from


@dataclass
class Raised:
    """What was raised from one origin record."""

    incidents: list[Incident]
    nonconformities: list[Nonconformity]
    improvements: list[Improvement]

    def __bool__(self) -> bool:
        return bool(self.incidents or self.nonconformities or self.improvements)


def raised_from_kind(*, ctx: Ctx, kind: str, ids: Iterable[uuid.UUID] | None = None
                     ) -> dict[uuid.UUID, Raised]:
    """Per origin id of `kind`, the incidents, nonconformities and improvements raised from it
    (three queries; all origins of the kind when `ids` is None)."""
    out: dict[uuid.UUID, Raised] = defaultdict(lambda: Raised([], [], []))
    wanted = None if ids is None else list(ids)

    def of_kind(qs: QuerySet[M]) -> QuerySet[M]:
        qs = qs.filter(subject_kind=kind)
        return qs if wanted is None else qs.filter(subject_id__in=wanted)

    ncs = _annotated(ctx, of_kind(Nonconformity.objects.for_org(ctx.org)), timezone.localdate())
    for attr, qs in (("incidents", of_kind(Incident.objects.for_org(ctx.org))),
                     ("nonconformities", ncs),
                     ("improvements", of_kind(Improvement.objects.for_org(ctx.org)))):
        for obj in qs.order_by("number"):
            if obj.subject_id is not None:  # filtered by kind, so it points somewhere
                getattr(out[obj.subject_id], attr).append(obj)
    return out


# ---------------------------------------------------------------------------- as of a date


def nonconformities_open_during(*, ctx: Ctx, as_of: datetime.date,
                                closed_since: datetime.datetime | None) -> list[Nonconformity]:
    """Nonconformities raised on or before `as_of` that were not yet closed at
    `closed_since` (all of them when None), oldest first, with their owners."""
    qs = Nonconformity.objects.for_org(ctx.org).filter(raised_on__lte=as_of)
    if closed_since is not None:
        qs = qs.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=closed_since))
    return list(qs.select_related("owner").order_by("raised_on", "number"))


def incidents_between(*, ctx: Ctx, after: datetime.datetime | None,
                      before: datetime.datetime) -> QuerySet[Incident]:
    """Incidents that occurred in [after, before), oldest first."""
    qs = Incident.objects.for_org(ctx.org).filter(occurred_at__lt=before)
    if after is not None:
        qs = qs.filter(occurred_at__gte=after)
    return qs.order_by("occurred_at")


def improvements_open(*, ctx: Ctx, created_before: datetime.datetime) -> QuerySet[Improvement]:
    """Opportunities on record before `created_before` and neither implemented nor rejected,
    by number, with their owners."""
    return (Improvement.objects.for_org(ctx.org).filter(created_at__lt=created_before)
            .exclude(status__in=[ImprovementStatus.IMPLEMENTED, ImprovementStatus.REJECTED])
            .select_related("owner").order_by("number"))


@dataclass(frozen=True)
class NcFacts:
    id: Any
    ref: str
    title: str
    raised_on: datetime.date
    closed: bool
    root_cause: bool  # a root cause is recorded
    actions_overdue: int
    verified_effective: bool


def nonconformity_facts(*, ctx: Ctx, on: datetime.date) -> list[NcFacts]:
    """Every nonconformity raised on or before `on`, oldest first, with its corrective actions
    overdue on that day (one query)."""
    rows = (nonconformity_list(ctx=ctx, today=on).filter(raised_on__lte=on)
            .order_by("raised_on", "number")
            .values_list("id", "ref", "title", "raised_on", "closed_at", "root_cause",
                         "actions_overdue", "verification_result"))
    return [NcFacts(id=pk, ref=ref, title=title, raised_on=raised, closed=closed is not None,
                    root_cause=bool((cause or "").strip()), actions_overdue=overdue,
                    verified_effective=verdict == Effectiveness.EFFECTIVE)
            for pk, ref, title, raised, closed, cause, overdue, verdict in rows]


@dataclass(frozen=True)
class LateReport:
    id: uuid.UUID
    ref: str
    title: str
    report_to: str
    deadline: datetime.datetime


def late_reports(*, ctx: Ctx, before: datetime.datetime) -> list[LateReport]:
    """Incidents that had to be reported and were not by their deadline, which passed before
    `before` (one query)."""
    rows = (Incident.objects.for_org(ctx.org)
            .filter(reporting_needed=True, reported_at__isnull=True,
                    report_deadline__lt=before).order_by("report_deadline")
            .values_list("id", "ref", "title", "report_to", "report_deadline"))
    # report_deadline__lt excludes the rows without a deadline.
    return [LateReport(pk, ref, title, report_to, deadline)
            for pk, ref, title, report_to, deadline in rows if deadline is not None]
