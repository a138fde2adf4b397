"""Reads of the activity log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from aims.activity.models import Event
from aims.orgs.context import Ctx


@dataclass(frozen=True)
class EventFilters:
    q: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def event_list(*, ctx: Ctx, filters: EventFilters | None = None) -> QuerySet[Event]:
    """ctx.org's events, newest first, filtered."""
    ctx.require("activity.view")
    f = filters or EventFilters()
    qs = Event.objects.filter(org=ctx.org)
    if f.q:
        qs = qs.filter(Q(object_repr__icontains=f.q) | Q(actor_label__icontains=f.q))
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.actor:
        qs = qs.filter(actor_label__iexact=f.actor)
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs.order_by("-seq")


def event_object_types(*, ctx: Ctx) -> list[str]:
    """The kinds of object that appear in ctx.org's log, for the filter."""
    return list(Event.objects.filter(org=ctx.org).order_by("object_type")
                .values_list("object_type", flat=True).distinct())
