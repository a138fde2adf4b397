"""Reads of the activity log."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

from aims.accounts.models import User
from aims.activity.models import Event
from aims.orgs.context import Ctx
from aims.orgs.models import Organization


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


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: object
    after: object


def _field(model, name: str):
    """The model field a log key names; None for extra keys and reverse relations (which a
    log line describes in its own words)."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None
    return field if field is None or not field.auto_created or field.concrete else None


def _show(field, value, people: dict[str, str]):
    if value is None:
        return None
    if field is not None and field.is_relation and str(value) in people:
        return people[str(value)]
    if field is not None and field.choices and not isinstance(value, list):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _user_ids(events) -> set[uuid.UUID]:
    """Values of user foreign keys in the events' changes (nothing else is looked up)."""
    ids: set[uuid.UUID] = set()
    for e in events:
        model = _model(e.object_type)
        for name, change in e.changes.items():
            field = _field(model, name)
            if not isinstance(change, dict) or field is None or \
                    getattr(field, "related_model", None) is not User:
                continue
            for value in (change.get("before"), change.get("after")):
                try:
                    ids.add(uuid.UUID(str(value)))
                except ValueError:
                    continue
    return ids


def event_change_lines(events) -> dict[int, list[ChangeLine]]:
    """Each event's changes for people to read: field labels, choice labels, user names.

    One query resolves every user on the page, whatever the number of events.
    """
    ids = _user_ids(events)
    people = {str(pk): name or email for pk, name, email in
              User.objects.filter(pk__in=ids).values_list("pk", "full_name", "email")} if ids else {}
    out: dict[int, list[ChangeLine]] = {}
    for e in events:
        model = _model(e.object_type)
        lines = []
        for name, change in e.changes.items():
            if not isinstance(change, dict):
                continue
            field = _field(model, name)
            label = capfirst(str(field.verbose_name)) if field is not None else \
                name.replace("_", " ").capitalize()
            lines.append(ChangeLine(label, _show(field, change.get("before"), people),
                                    _show(field, change.get("after"), people)))
        out[e.pk] = lines
    return out


@dataclass(frozen=True)
class HistoryRow:
    event: Event
    lines: list[ChangeLine]
    about: str  # the name of the record the event is about, when it is not the page's own


@dataclass(frozen=True)
class History:
    """The History panel of one record's page (`activity/_history.html`)."""

    object_id: str  # the record's own id: its entries in the activity log
    rows: list[HistoryRow]

    @property
    def mixed(self) -> bool:
        """Whether the panel also shows entries about other records (a risk's actions)."""
        return any(row.about for row in self.rows)


def record_history(*, ctx: Ctx, record, limit: int, also: Iterable = (),
                   events: QuerySet[Event] | None = None) -> History:
    """The latest `limit` log entries about `record` (or None: no entries) and the records
    `also` names, or of `events` when the record's app finds them itself, newest first, each
    with its change lines: two queries, the second for the people the changes name."""
    if record is None:
        return History("", [])
    key = str(record.pk)
    if events is None:
        events = event_list(ctx=ctx).filter(object_id__in=[key, *map(str, also)])
    found = list(events[:limit])
    lines = event_change_lines(found)
    return History(key, [HistoryRow(e, lines[e.pk], e.object_repr if e.object_id != key else "")
                         for e in found])


def object_type_label(object_type: str) -> str:
    """'compliance.complianceitem' → 'Compliance item' (the raw type if the model is gone)."""
    model = _model(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def events_about(*, ctx: Ctx, object_type: str, after: datetime.datetime | None,
                 before: datetime.datetime, limit: int = 200) -> list[Event]:
    """ctx.org's events on records of `object_type` ("context.contextissue") dated in
    [after, before), oldest first, at most `limit`."""
    qs = event_list(ctx=ctx).filter(object_type=object_type, at__lt=before)
    if after is not None:
        qs = qs.filter(at__gte=after)
    return list(qs.order_by("at")[:limit])


def orgs_with_unsealed_events() -> list[Organization]:
    """Organisations (all of the instance: an operator's read) whose log still holds events
    written before keyed sealing."""
    ids = Event.objects.filter(key_id="").values("org_id").distinct()
    return list(Organization.objects.filter(pk__in=ids).order_by("slug"))
