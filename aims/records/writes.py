"""The three shapes every service write takes: create, change under a version check, delete.

Each validates, saves and appends its activity event in the caller's transaction, so a
failure leaves neither a half-written record nor a log entry for a write that did not happen.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction

from aims.activity.services import record
from aims.core.api import MAX_TEXT
from aims.core.errors import Conflict, NotFound, ValidationError
from aims.core.fields import concrete_field, created, deleted, diff, snapshot
from aims.core.models import TenantModel
from aims.orgs.context import Ctx

M = TypeVar("M", bound=TenantModel)


def audited_fields(model: type[models.Model]) -> list[str]:
    """The concrete, editable fields the log and conflict responses describe (a model's
    `unlogged_fields`, such as a secret's hash, are left out)."""
    skip = {"id", "org", "created_at", "updated_at", *getattr(model, "unlogged_fields", ())}
    return [
        f.name for f in model._meta.concrete_fields
        if f.name not in skip and not f.primary_key
    ]


def only(data: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """A copy of `data`, refusing (422, per field) any key a service does not accept."""
    if unknown := sorted(set(data) - set(allowed)):
        raise ValidationError({k: ["Unknown field."] for k in unknown})
    return dict(data)


def get_for_update(model: type[M], *, ctx: Ctx, pk: uuid.UUID | str | None,
                   label: str | None = None) -> M:
    """Lock one row of ctx.org for writing; NotFound for a missing or foreign id alike."""
    try:
        obj = model.objects.for_org(ctx.org).select_for_update().filter(pk=pk).first()
    except (DjangoValidationError, ValueError):
        obj = None
    if obj is None:
        raise NotFound(f"{label or str(model._meta.verbose_name).capitalize()} not found.")
    return obj


def _unbounded_text_check(obj: models.Model) -> None:
    """Text columns without a length of their own take at most MAX_TEXT characters, whichever
    door the value came through (web form, API, CLI, import)."""
    too_long = {
        f.name: [f"At most {MAX_TEXT} characters (this is {len(value)})."]
        for f in obj._meta.concrete_fields
        if isinstance(f, models.TextField | models.CharField) and not f.max_length
        and isinstance(value := getattr(obj, f.attname, None), str) and len(value) > MAX_TEXT}
    if too_long:
        raise ValidationError(too_long)


def full_clean(obj: models.Model, exclude: Iterable[str] | None = None) -> None:
    _unbounded_text_check(obj)
    try:
        obj.full_clean(exclude=list(exclude or []), validate_constraints=True)
    except DjangoValidationError as exc:
        raise ValidationError.from_django(exc) from exc


def require_version(version: int | None) -> int:
    """The version a write quotes; a 422 naming the field when it is missing."""
    if version is None:
        raise ValidationError(
            {"version": ["Required: send the version you read, so concurrent edits are caught."]}
        )
    return int(version)


def check_version(obj: TenantModel, version: int | None) -> None:
    """Refuse a write based on another version than the one stored (409 with current values)."""
    if require_version(version) != obj.version:
        raise Conflict(
            f"{obj} was changed by someone else since you opened it "
            f"(you edited version {version}, it is now version {obj.version}). "
            "Review the current values and apply your change again.",
            current={"id": str(obj.pk), "version": obj.version,
                     **snapshot(obj, audited_fields(type(obj)))},
        )


def check_based_on(*, latest: models.Model | None, based_on: int | None, what: str,
                   fields: Iterable[str]) -> int:
    """The number of a new version in a numbered series (scope, risk methodology) written on
    top of version `based_on` (0 or None for the first); 409 with the latest version's values
    when someone saved another since."""
    latest_number = latest.number if latest is not None else 0  # type: ignore[attr-defined]
    if (based_on or 0) != latest_number:
        raise Conflict(
            f"{what} was changed by someone else (you edited version {based_on or 0}, the "
            f"latest is version {latest_number}). Review it and apply your change again.",
            current={"number": latest_number,
                     **({k: getattr(latest, k) for k in fields} if latest is not None else {})})
    return latest_number + 1


def create(*, ctx: Ctx, obj: M, exclude: Iterable[str] | None = None,
           extra_changes: dict[str, Any] | None = None) -> M:
    """Validate and insert `obj`, logging every field as created (plus `extra_changes`,
    e.g. many-to-many links the caller sets right after, in the same event)."""
    assert transaction.get_connection().in_atomic_block, "call from inside a service transaction"
    full_clean(obj, exclude)
    try:
        with transaction.atomic():  # a savepoint, so the caller's transaction stays usable
            obj.save(force_insert=True)
    except IntegrityError as exc:
        # Two people creating the same thing at once: the loser is told, not shown a 500.
        raise Conflict(f"{obj} was just created by someone else. Reload and try again.") from exc
    fields = audited_fields(type(obj))
    after = snapshot(obj, [f for f in fields if f != "version"])
    record(ctx=ctx, action="create", obj=obj,
           changes={**created(after),
                    **(extra_changes or {})})
    return obj


def change(*, ctx: Ctx, obj: M, data: dict[str, Any], version: int | None,
           extra_changes: dict[str, Any] | None = None) -> M:
    """Apply `data` to a locked `obj` written at `version`; log only what changed."""
    assert transaction.get_connection().in_atomic_block, "call from inside a service transaction"
    check_version(obj, version)
    fields = [f for f in audited_fields(type(obj)) if f != "version"]
    before = snapshot(obj, fields)
    for key, value in data.items():
        if key not in fields:
            raise ValidationError({key: ["This field cannot be changed."]})
        field = concrete_field(obj, key)
        # JSON null on a NOT NULL text column means "empty": full_clean skips blank fields,
        # so None would otherwise reach the database as an IntegrityError (a 500).
        if value is None and not field.null and field.empty_strings_allowed:
            value = ""
        setattr(obj, key, value)
    full_clean(obj)
    changes = diff(before, snapshot(obj, fields))
    if extra_changes:
        changes.update(extra_changes)
    if not changes:
        return obj
    obj.version += 1
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"{obj} clashes with a change someone else just saved. "
                       "Reload and try again.") from exc
    record(ctx=ctx, action="update", obj=obj, changes=changes)
    return obj


def delete(*, ctx: Ctx, obj: TenantModel, version: int | None,
           extra_changes: dict[str, Any] | None = None) -> None:
    """Delete a locked `obj` written at `version`, keeping its last values in the log (plus
    `extra_changes`, e.g. the dependent rows that go with it)."""
    assert transaction.get_connection().in_atomic_block, "call from inside a service transaction"
    check_version(obj, version)
    fields = [f for f in audited_fields(type(obj)) if f != "version"]
    before = snapshot(obj, fields)
    record(ctx=ctx, action="delete", obj=obj,
           changes={**deleted(before),
                    **(extra_changes or {})})
    obj.delete()
