"""Reads of AI objectives and their measurements, with the status derived from the latest one."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DecimalField,
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
from django.utils import timezone

from aims.activity.models import Event
from aims.activity.selectors import event_list
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.inventory.models import AISystem
from aims.objectives.models import (
    DECIMAL,
    Direction,
    Frequency,
    Measurement,
    Monitor,
    MonitorFrequency,
    MonitorResult,
    Objective,
    ObjectiveStatus,
    TrackStatus,
    monitor_allowed_gap,
)
from aims.objectives.tracking import overdue_cutoff
from aims.orgs.context import Ctx

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# The small trend chart of the list shows this many of the latest measurements.
RECENT_POINTS = 12

TRACK_FILTERS = {*TrackStatus.values, "overdue"}


@dataclass(frozen=True)
class ObjectiveFilters:
    q: str = ""
    policy_topic: str = ""
    owner: str = ""
    status: str = ""
    track: str = ""  # a TrackStatus value, or "overdue"
    ai_system: str = ""


def _overdue(frequencies: list[str], cutoff: Callable[[str], datetime.date],
             **pursued) -> Case:
    """True for a record matching `pursued` whose latest_on is before the cutoff of its
    frequency; one never measured is late once a whole period has passed since it was set."""
    late = []
    for freq in frequencies:
        day = cutoff(freq)
        late += [When(**pursued, frequency=freq, latest_on__lt=day, then=Value(True)),
                 When(**pursued, frequency=freq, latest_on__isnull=True,
                      created_at__date__lt=day, then=Value(True))]
    return Case(*late, default=Value(False), output_field=BooleanField())


class ObjectiveAnnotations(TypedDict):
    """What objective_list adds to each objective."""

    latest_value: Decimal | None
    latest_on: datetime.date | None
    track: str  # a TrackStatus value
    overdue: bool


def _annotated(ctx: Ctx, qs: QuerySet[Objective], today: datetime.date
               ) -> QuerySet[WithAnnotations[Objective, ObjectiveAnnotations]]:
    """Add latest_value, latest_on, track and overdue: one rule for lists, filters and pages."""
    latest = (Measurement.objects.for_org(ctx.org).filter(objective=OuterRef("pk"))
              .order_by("-measured_on", "-created_at"))
    return (
        qs.annotate(
            latest_value=Subquery(latest.values("value")[:1],
                                  output_field=DecimalField(**DECIMAL)),
            latest_on=Subquery(latest.values("measured_on")[:1], output_field=DateField()),
        )
        # The boundary counts as met: a target of "at most 5 %" is met by 5 %.
        .annotate(track=Case(
            When(latest_value__isnull=True, then=Value(TrackStatus.NO_DATA)),
            When(direction=Direction.HIGHER, latest_value__gte=F("target"),
                 then=Value(TrackStatus.ON_TRACK)),
            When(direction=Direction.LOWER, latest_value__lte=F("target"),
                 then=Value(TrackStatus.ON_TRACK)),
            default=Value(TrackStatus.OFF_TRACK), output_field=CharField()))
        # Only objectives still being pursued can fall behind on measuring.
        .annotate(overdue=_overdue(
            Frequency.values, lambda freq: overdue_cutoff(frequency=freq, today=today),
            status=ObjectiveStatus.ACTIVE))
    )


def objective_list(*, ctx: Ctx, filters: ObjectiveFilters | None = None,
                   today: datetime.date | None = None,
                   recent: bool = True
                   ) -> QuerySet[WithAnnotations[Objective, ObjectiveAnnotations]]:
    """ctx.org's objectives, filtered, with owner, AI systems, the latest measurement, the track
    status and (when `recent`) the last few measurements for the trend chart, in a fixed
    number of queries."""
    f = filters or ObjectiveFilters()
    today = today or timezone.localdate()
    base = Objective.objects.for_org(ctx.org).select_related("owner").prefetch_related(
        Prefetch("ai_systems", queryset=AISystem.objects.for_org(ctx.org).order_by("name")))
    if recent:
        last = (Measurement.objects.for_org(ctx.org)
                .order_by("-measured_on", "-created_at")[:RECENT_POINTS])
        base = base.prefetch_related(Prefetch("measurements", queryset=last,
                                              to_attr="recent_measurements"))
    qs = _annotated(ctx, base, today)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q)
                       | Q(metric__icontains=f.q) | Q(policy_reference__icontains=f.q))
    if f.policy_topic:
        qs = qs.filter(policy_topic=f.policy_topic)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)  # type: ignore[misc]  # uuid text is valid
    if f.status:
        qs = qs.filter(status=f.status)
    if f.track == "overdue":
        qs = qs.filter(overdue=True)
    elif f.track:
        qs = qs.filter(track=f.track)
    if f.ai_system:
        qs = qs.filter(ai_systems=f.ai_system)  # type: ignore[misc]  # uuid text is valid
    # Active objectives first, then the nearest deadline.
    order = Case(When(status=ObjectiveStatus.ACTIVE, then=Value(0)),
                 When(status=ObjectiveStatus.ACHIEVED, then=Value(1)),
                 default=Value(2), output_field=IntegerField())
    return qs.order_by(order, "due_date", "title", "pk")


def objective_get(*, ctx: Ctx, objective_id: uuid.UUID | str, today: datetime.date | None = None
                 ) -> Objective:
    """One objective of ctx.org with its derived status, or NotFound (also for another
    organisation's id)."""
    objective = get_scoped(objective_list(ctx=ctx, today=today, recent=False), objective_id)
    if objective is None:
        raise NotFound("Objective not found.")
    return objective


def measurement_list(*, ctx: Ctx, objective: Objective) -> QuerySet[Measurement]:
    """The objective's measurements, oldest first, with who recorded them."""
    return (Measurement.objects.for_org(ctx.org).filter(objective=objective)
            .select_related("objective", "recorded_by").order_by("measured_on", "created_at"))


def measurement_get(*, ctx: Ctx, objective: Objective, measurement_id: uuid.UUID | str
                   ) -> Measurement:
    """One measurement of `objective`, or NotFound (also for another objective's)."""
    measurement = get_scoped(measurement_list(ctx=ctx, objective=objective), measurement_id)
    if measurement is None:
        raise NotFound("Measurement not found.")
    return measurement


def objective_history(*, ctx: Ctx, objective: Objective) -> QuerySet[Event]:
    """Log entries about the objective and its measurements, deleted ones included, newest
    first. A measurement's events name the objective they belong to."""
    key = str(objective.pk)
    return event_list(ctx=ctx).filter(
        Q(object_type="objectives.objective", object_id=key)
        | Q(object_type="objectives.measurement", changes__objective__after=key)
        | Q(object_type="objectives.measurement", changes__objective__before=key))


# ------------------------------------------------------------------ monitoring (9.1)


@dataclass(frozen=True)
class MonitorFilters:
    q: str = ""
    indicator: str = ""
    ai_system: str = ""
    owner: str = ""
    state: str = ""  # "breached" (latest result), "overdue", "inactive", "" = active and all


class MonitorAnnotations(TypedDict):
    """What monitor_list adds to each monitor."""

    latest_value: Decimal | None
    latest_on: datetime.date | None
    latest_breached: bool | None
    overdue: bool


def monitor_list(*, ctx: Ctx, filters: MonitorFilters | None = None,
                 today: datetime.date | None = None
                 ) -> QuerySet[WithAnnotations[Monitor, MonitorAnnotations]]:
    """ctx.org's monitors with who measures and analyses, the AI system, the latest result
    (value, date, breached) and whether a result is overdue, in one query."""
    f = filters or MonitorFilters()
    today = today or timezone.localdate()
    latest = (MonitorResult.objects.for_org(ctx.org).filter(monitor=OuterRef("pk"))
              .order_by("-measured_on", "-created_at"))
    qs = (Monitor.objects.for_org(ctx.org).select_related("ai_system", "owner", "analyst")
          .annotate(latest_value=Subquery(latest.values("value")[:1],
                                          output_field=DecimalField(**DECIMAL)),
                    latest_on=Subquery(latest.values("measured_on")[:1],
                                       output_field=DateField()),
                    latest_breached=Subquery(latest.values("breached")[:1],
                                             output_field=BooleanField()))
          .annotate(overdue=_overdue(MonitorFrequency.values,
                                     lambda freq: today - monitor_allowed_gap(freq),
                                     active=True)))
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(method__icontains=f.q) | Q(ref__iexact=f.q))
    if f.indicator:
        qs = qs.filter(indicator=f.indicator)
    if f.ai_system:
        qs = qs.filter(ai_system_id=f.ai_system)  # type: ignore[misc]  # uuid text is valid
    if f.owner:
        qs = qs.filter(Q(owner_id=f.owner) | Q(analyst_id=f.owner))
    if f.state == "breached":
        qs = qs.filter(latest_breached=True)
    elif f.state == "overdue":
        qs = qs.filter(overdue=True)
    if f.state == "inactive":
        qs = qs.filter(active=False)
    elif f.state != "all":
        qs = qs.filter(active=True)
    return qs.order_by("number")


def monitor_get(*, ctx: Ctx, monitor_id: uuid.UUID | str) -> Monitor:
    """One monitor of ctx.org with its latest result, or NotFound (also for a foreign id)."""
    monitor = get_scoped(monitor_list(ctx=ctx, filters=MonitorFilters(state="all")), monitor_id)
    if monitor is None:
        raise NotFound("Monitor not found.")
    return monitor


def monitor_result_list(*, ctx: Ctx, monitor: Monitor) -> QuerySet[MonitorResult]:
    """The monitor's results, newest first, with who recorded them."""
    return (MonitorResult.objects.for_org(ctx.org).filter(monitor=monitor)
            .select_related("monitor", "recorded_by").order_by("-measured_on", "-created_at"))


def monitor_result_get(*, ctx: Ctx, result_id: uuid.UUID | str) -> MonitorResult:
    """One result of ctx.org, or NotFound (also for a foreign id)."""
    result = get_scoped(MonitorResult.objects.for_org(ctx.org)
                        .select_related("monitor", "monitor__ai_system", "recorded_by"),
                        result_id)
    if result is None:
        raise NotFound("Result not found.")
    return result


def monitor_results_between(*, ctx: Ctx, start: datetime.date | None, end: datetime.date,
                            breached_only: bool = False) -> QuerySet[MonitorResult]:
    """Results measured in (start, end], newest first — what a management review reads."""
    qs = MonitorResult.objects.for_org(ctx.org).filter(measured_on__lte=end)
    if start is not None:
        qs = qs.filter(measured_on__gt=start)
    if breached_only:
        qs = qs.filter(breached=True)
    return qs.select_related("monitor", "monitor__ai_system").order_by("-measured_on")


def objectives_active(*, ctx: Ctx, created_before: datetime.datetime) -> list[Objective]:
    """The active objectives ctx.org had before `created_before`, by title."""
    return list(Objective.objects.for_org(ctx.org)
                .filter(created_at__lt=created_before, status=ObjectiveStatus.ACTIVE)
                .order_by("title"))


def latest_measurements(*, ctx: Ctx, on_or_before: datetime.date) -> dict:
    """{objective id: its last measurement taken on or before `on_or_before`}."""
    latest: dict = {}
    for m in (Measurement.objects.for_org(ctx.org).filter(measured_on__lte=on_or_before)
              .order_by("objective_id", "measured_on", "created_at")):
        latest[m.objective_id] = m
    return latest


def measurements_until(*, ctx: Ctx, on_or_before: datetime.date) -> QuerySet[Measurement]:
    """The measurements of objectives ctx.org took up to `on_or_before`."""
    return Measurement.objects.for_org(ctx.org).filter(measured_on__lte=on_or_before)


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class MonitorFacts:
    id: Any
    ref: str
    name: str
    overdue: bool  # a result is overdue on the day


@dataclass(frozen=True)
class BreachFacts:
    id: Any  # the result's
    monitor_id: Any
    monitor: str  # "MON-003 Approval-rate gap"
    measured_on: datetime.date
    analysed: bool  # the analyst said what it means and what follows


def monitor_facts(*, ctx: Ctx, on: datetime.date) -> list[MonitorFacts]:
    """Active monitors with whether a result is overdue on `on` (one query)."""
    return [MonitorFacts(*row) for row in monitor_list(ctx=ctx, today=on)
            .values_list("id", "ref", "name", "overdue")]


def breaches(*, ctx: Ctx, since: datetime.date, on: datetime.date) -> list[BreachFacts]:
    """Results outside their thresholds measured in (since, on], newest first (one query)."""
    return [BreachFacts(id=pk, monitor_id=monitor, monitor=f"{ref} {name}", measured_on=day,
                        analysed=bool((analysis or "").strip()))
            for pk, monitor, ref, name, day, analysis in
            monitor_results_between(ctx=ctx, start=since, end=on, breached_only=True)
            .values_list("id", "monitor_id", "monitor__ref", "monitor__name", "measured_on",
                         "analysis")]
