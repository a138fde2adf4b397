"""Reads of AI objectives and their measurements, with the status derived from the latest one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
    Objective,
    ObjectiveStatus,
    TrackStatus,
)
from aims.objectives.tracking import overdue_cutoff
from aims.orgs.context import Ctx

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


def _annotated(ctx: Ctx, qs: QuerySet[Objective], today: datetime.date) -> QuerySet[Objective]:
    """Add latest_value, latest_on, track and overdue: one rule for lists, filters and pages."""
    latest = (Measurement.objects.for_org(ctx.org).filter(objective=OuterRef("pk"))
              .order_by("-measured_on", "-created_at"))
    qs = qs.annotate(
        latest_value=Subquery(latest.values("value")[:1], output_field=DecimalField(**DECIMAL)),
        latest_on=Subquery(latest.values("measured_on")[:1], output_field=DateField()),
    )
    # The boundary counts as met: a target of "at most 5 %" is met by 5 %.
    qs = qs.annotate(track=Case(
        When(latest_value__isnull=True, then=Value(TrackStatus.NO_DATA)),
        When(direction=Direction.HIGHER, latest_value__gte=F("target"),
             then=Value(TrackStatus.ON_TRACK)),
        When(direction=Direction.LOWER, latest_value__lte=F("target"),
             then=Value(TrackStatus.ON_TRACK)),
        default=Value(TrackStatus.OFF_TRACK), output_field=CharField()))
    # Only objectives still being pursued can fall behind on measuring; one never measured is
    # late once a whole period has passed since it was set.
    late = []
    for freq in Frequency.values:
        cutoff = overdue_cutoff(frequency=freq, today=today)
        late += [When(status=ObjectiveStatus.ACTIVE, frequency=freq, latest_on__lt=cutoff,
                      then=Value(True)),
                 When(status=ObjectiveStatus.ACTIVE, frequency=freq, latest_on__isnull=True,
                      created_at__date__lt=cutoff, then=Value(True))]
    return qs.annotate(overdue=Case(*late, default=Value(False), output_field=BooleanField()))


def objective_list(*, ctx: Ctx, filters: ObjectiveFilters | None = None,
                   today: datetime.date | None = None,
                   recent: bool = True) -> QuerySet[Objective]:
    """ctx.org's objectives, filtered, with owner, AI systems, the latest measurement, the track
    status and (when `recent`) the last few measurements for the trend chart, in a fixed
    number of queries."""
    f = filters or ObjectiveFilters()
    today = today or timezone.localdate()
    qs = Objective.objects.for_org(ctx.org).select_related("owner").prefetch_related(
        Prefetch("ai_systems", queryset=AISystem.objects.for_org(ctx.org).order_by("name")))
    if recent:
        last = (Measurement.objects.for_org(ctx.org)
                .order_by("-measured_on", "-created_at")[:RECENT_POINTS])
        qs = qs.prefetch_related(Prefetch("measurements", queryset=last,
                                          to_attr="recent_measurements"))
    qs = _annotated(ctx, qs, today)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q)
                       | Q(metric__icontains=f.q) | Q(policy_reference__icontains=f.q))
    if f.policy_topic:
        qs = qs.filter(policy_topic=f.policy_topic)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.track == "overdue":
        qs = qs.filter(overdue=True)
    elif f.track:
        qs = qs.filter(track=f.track)
    if f.ai_system:
        qs = qs.filter(ai_systems=f.ai_system)
    # Active objectives first, then the nearest deadline.
    order = Case(When(status=ObjectiveStatus.ACTIVE, then=Value(0)),
                 When(status=ObjectiveStatus.ACHIEVED, then=Value(1)),
                 default=Value(2), output_field=IntegerField())
    return qs.order_by(order, "due_date", "title", "pk")


def objective_get(*, ctx: Ctx, objective_id, today: datetime.date | None = None) -> Objective:
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


def measurement_get(*, ctx: Ctx, objective: Objective, measurement_id) -> Measurement:
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
