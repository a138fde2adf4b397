"""Reads of the activity log."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
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


def log_head(*, ctx: Ctx) -> tuple[int, str] | None:
    """(seq, hash) of ctx.org's latest event, None before the first: every write to its
    record changes it, as each is logged in the write's transaction (one query, on the
    (org, seq) index). For readers that keep what they computed from the record."""
    return (Event.objects.filter(org=ctx.org).order_by("-seq")
            .values_list("seq", "hash").first())


def event_object_types(*, ctx: Ctx) -> list[str]:
    """The kinds of object that appear in ctx.org's log, for the filter."""
    return list(Event.objects.filter(org=ctx.org).order_by("object_type")
                .values_list("object_type", flat=True).distinct())


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: object
    after: object

    @property
    def wording(self) -> str:
        """How the change reads: "set", "cleared" or "changed" (both values shown)."""
        empty_before = self.before is None or self.before == ""
        empty_after = self.after is None or self.after == ""
        if empty_before and empty_after:
            return "unchanged"
        if empty_before:
            return "set"
        if empty_after:
            return "cleared"
        return "changed"


def _field(model, name: str):
    """The model field a log key names; None for extra keys and reverse relations (which a
    log line describes in its own words)."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None
    return field if field is None or not field.auto_created or field.concrete else None


@cache
def _kind_models() -> dict[str, type[models.Model]]:
    """Record kind keys as the log stores them ("management_review", "ai_system") → model:
    a kind key is its model's name with words split by "_"."""
    return {m._meta.model_name or "": m for m in apps.get_models()}


def _kind_title(value) -> str | None:
    """"management_review" → "Management review" when it names a model, else None."""
    if not isinstance(value, str) or not value or value != value.lower():
        return None
    model = _kind_models().get(value.replace("_", ""))
    return capfirst(str(model._meta.verbose_name)) if model is not None else None


@dataclass
class _Names:
    """Names for the ids a page of events holds: people by id, records by (model, id)."""

    people: dict[str, str]
    records: dict[tuple[type, str], str]

    def record(self, model, value) -> str | None:
        if model is None:
            return None
        name = self.records.get((model, str(value)))
        if name is not None:
            return name
        if _as_key(model, str(value)) is None:
            return value  # already a label ("T-012"), not an id
        return f"a {model._meta.verbose_name} no longer on record"


def _show(field, value, names: _Names, *, key: str = "", model=None, subject_model=None):
    if value is None:
        return None
    if field is not None and field.is_relation and str(value) in names.people:
        return names.people[str(value)]
    if field is not None and field.is_relation and field.related_model is not User:
        return names.record(field.related_model, value)
    if subject_model is not None:  # a `subject_id` beside its `subject_kind`
        return names.record(subject_model, value)
    # Choices the field does not declare (a list kept as JSON, an AI system's roles; a code
    # the model sets itself, a snapshot's verdict): the model says which, as `log_choices`.
    choices = getattr(model, "log_choices", {}).get(field.name) if field is not None else None
    if choices:
        labels = dict(choices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if field is not None and field.choices and not isinstance(value, list):
        return dict(field.flatchoices).get(value, value)
    if key.endswith("kind") and (title := _kind_title(value)):
        return title
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return readable_mapping(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


_ENUM_WORD = re.compile(r"^[a-z]+(?:_[a-z]+)+$")


def readable_mapping(value: dict) -> str:
    """A structured value kept as JSON (a readiness snapshot's result, say) in words for the
    log: `key: value` pairs, internal names spaced out, nested parts counted, not dumped."""
    parts = []
    for key, item in value.items():
        if isinstance(item, dict | list):
            shown = f"{len(item)} entr{'y' if len(item) == 1 else 'ies'}"
        elif isinstance(item, bool):
            shown = "yes" if item else "no"
        elif isinstance(item, str) and _ENUM_WORD.match(item):
            shown = item.replace("_", " ")
        else:
            shown = str(item)
        parts.append(f"{str(key).replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _subject_model(changes: dict, name: str):
    """The model a `…subject_id` change points at, from the `…subject_kind` beside it."""
    if not name.endswith("subject_id"):
        return None
    kind = changes.get(name[:-2] + "kind")
    if not isinstance(kind, dict):
        return None
    key = kind.get("after") or kind.get("before")
    return _kind_models().get(str(key).replace("_", "")) if key else None


def _references(events) -> tuple[set[uuid.UUID], dict[type, set[str]]]:
    """Ids the events' changes hold: of users, and of other records by model."""
    users: set[uuid.UUID] = set()
    records: dict[type, set[str]] = {}
    for e in events:
        model = _model(e.object_type)
        for name, change in e.changes.items():
            if not isinstance(change, dict):
                continue
            field = _field(model, name)
            target = (getattr(field, "related_model", None) if field is not None
                      and field.is_relation else _subject_model(e.changes, name))
            if target is None:
                continue
            for value in (change.get("before"), change.get("after")):
                if value in (None, ""):
                    continue
                if target is User:
                    try:
                        users.add(uuid.UUID(str(value)))
                    except ValueError:
                        continue
                else:
                    records.setdefault(target, set()).add(str(value))
    return users, records


def _as_key(model, value: str):
    """`value` as the model's primary key, or None when it is not one (some log lines name
    the record by its reference, "T-012", rather than its id)."""
    try:
        return model._meta.pk.to_python(value)
    except (DjangoValidationError, ValueError, TypeError):
        return None


def _record_names(model, ids: set[str], org_ids: set) -> dict[tuple[type, str], str]:
    """Readable names of `model` records: "ref title" or their name, without calling
    __str__ (which may read further tables). One query per model."""
    fields = {f.name for f in model._meta.concrete_fields}
    wanted = [f for f in ("ref", "title", "name") if f in fields]
    if not wanted:
        return {}
    keys = [k for k in (_as_key(model, v) for v in ids) if k is not None]
    if not keys:
        return {}
    qs = model._base_manager.filter(pk__in=keys)
    if "org" in fields:
        qs = qs.filter(org_id__in=org_ids)
    out = {}
    rows = list(qs.values_list("pk", *wanted))
    for pk, *values in rows:
        parts = dict(zip(wanted, values, strict=True))
        text = " ".join(v for v in (parts.get("ref"), parts.get("title") or parts.get("name"))
                        if v)
        out[(model, str(pk))] = text or str(pk)
    return out


def event_change_lines(events) -> dict[int, list[ChangeLine]]:
    """Each event's changes for people to read: field labels, choice labels, the names of
    people and records instead of their ids, record kinds by their titles.

    One query resolves every user on the page, and one per kind of record the changes name,
    whatever the number of events.
    """
    events = list(events)
    user_ids, record_ids = _references(events)
    people = {str(pk): name or email for pk, name, email in
              User.objects.filter(pk__in=user_ids).values_list("pk", "full_name", "email")
              } if user_ids else {}
    org_ids = {e.org_id for e in events}
    records: dict[tuple[type, str], str] = {}
    for target, ids in record_ids.items():
        records.update(_record_names(target, ids, org_ids))
    names = _Names(people, records)
    out: dict[int, list[ChangeLine]] = {}
    for e in events:
        model = _model(e.object_type)
        lines = []
        for name, change in e.changes.items():
            if not isinstance(change, dict):
                continue
            field = _field(model, name)
            if name.endswith("subject_id") and _subject_model(e.changes, name) is not None:
                label = "Record"
            else:
                label = capfirst(str(field.verbose_name)) if field is not None else \
                    name.replace("_", " ").capitalize()
            if name.endswith("subject_kind"):
                label = "Kind of record"
            subject = _subject_model(e.changes, name)
            lines.append(ChangeLine(
                label,
                _show(field, change.get("before"), names, key=name, model=model,
                      subject_model=subject),
                _show(field, change.get("after"), names, key=name, model=model,
                      subject_model=subject)))
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
    `also` names (records, or ids of records of the same kind), or of `events` when the record's app finds them itself, newest first, each
    with its change lines: two queries, the second for the people the changes name."""
    if record is None:
        return History("", [])
    key = str(record.pk)
    if events is None:
        # By type and id, so the log's (org, object type, object id) index finds them.
        own = f"{record._meta.app_label}.{record._meta.model_name}"
        wanted: dict[str, set[str]] = {own: {key}}
        for other in also:
            if isinstance(other, models.Model):
                wanted.setdefault(f"{other._meta.app_label}.{other._meta.model_name}",
                                  set()).add(str(other.pk))
            else:  # a bare id: a record of the same kind
                wanted[own].add(str(other))
        about = Q()
        for object_type, ids in wanted.items():
            about |= Q(object_type=object_type, object_id__in=sorted(ids))
        events = event_list(ctx=ctx).filter(about)
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
