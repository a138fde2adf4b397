"""Helpers to describe model field values for the activity log and conflict responses."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value that survives a database round trip unchanged.

    Numbers other than int and bool become text: PostgreSQL's jsonb may hand back 1e100 as an
    integer, and a value that changes shape would break the activity log's hashes."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal, float, datetime.timedelta)):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def concrete_field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    """The field `name` of `model` that is stored on its rows (a column or a many-to-many);
    FieldDoesNotExist for a reverse relation or a generic key as for an unknown name."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(f"{model._meta.label} has no concrete field named {name!r}")
    return field


def snapshot(obj: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Values of the named concrete fields (foreign keys by id)."""
    out: dict[str, Any] = {}
    for name in fields:
        out[name] = plain(getattr(obj, concrete_field(obj, name).attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields whose value changed, as {field: {"before": x, "after": y}}."""
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in after
        if before.get(k) != after.get(k)
    }


def created(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Log changes for values that came into being: each from nothing to its value."""
    return {k: {"before": None, "after": v} for k, v in values.items()}


def deleted(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Log changes for values that went away: each from its value to nothing."""
    return {k: {"before": v, "after": None} for k, v in values.items()}
