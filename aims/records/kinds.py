"""Any record of the AIMS addressed by a kind and an id: what tasks and evidence attach to.

Each app lists the kinds of record it lets others point at in `aims/<app>/records.py`
(`KINDS = [RecordKind(...)]`, see `aims.records.declarations`). A reference is stored as two
columns (`subject_kind`, `subject_id`, see `SubjectFields`), so an app can point at another's
records without a migration dependency; every lookup still goes through the organisation
scope.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.apps import apps
from django.db import models

from aims.core.errors import NotFound, ValidationError
from aims.core.lookup import get_scoped
from aims.core.models import TenantModel
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.records.declarations import declarations


@dataclass(frozen=True)
class RecordKind:
    """One kind of record others may link to."""

    key: str  # stored in subject_kind columns: never rename
    model: str  # "app_label.ModelName"
    label: str  # "Risk", shown next to the record's title
    url: Callable[[Any, str], str]  # (obj, org slug) -> the record's page
    title: Callable[[Any], str] = str
    select_related: tuple[str, ...] = ()

    @property
    def model_class(self) -> type[TenantModel]:
        # Only records an organisation owns are registered.
        return cast(type[TenantModel], apps.get_model(self.model))

    def queryset(self, org: Organization) -> models.QuerySet[TenantModel]:
        qs = self.model_class.objects.for_org(org)
        return qs.select_related(*self.select_related) if self.select_related else qs


@dataclass(frozen=True)
class Linked:
    """A resolved reference: what a page shows for it. `obj` is None once it was deleted."""

    kind: str
    id: uuid.UUID
    label: str
    title: str
    url: str
    obj: Any = None

    @property
    def exists(self) -> bool:
        return self.obj is not None


@cache
def kinds() -> dict[str, RecordKind]:
    """Every registered kind by key, gathered from each app's `records.py`."""
    found: dict[str, RecordKind] = {}
    for module in declarations():
        for kind in getattr(module, "KINDS", ()):
            if kind.key in found:
                raise RuntimeError(f"record kind {kind.key!r} registered twice")
            found[kind.key] = kind
    return found


@cache
def _by_model() -> dict[type[models.Model], RecordKind]:
    return {k.model_class: k for k in kinds().values()}


def kind_of(obj: models.Model) -> RecordKind:
    """The registered kind of `obj`; a programming error when its model is not registered."""
    try:
        return _by_model()[type(obj)]
    except KeyError:
        raise LookupError(f"{type(obj).__name__} is not a registered record kind") from None


def kind_get(key: str, *, field: str = "subject_kind") -> RecordKind:
    """The kind for `key`, or a 422 naming `field` and the kinds that exist."""
    try:
        return kinds()[key]
    except KeyError:
        raise ValidationError({field: [
            f"Unknown kind of record {key!r}; use one of: {', '.join(sorted(kinds()))}."]}) from None


def record_get(*, ctx: Ctx, kind: str, pk: uuid.UUID | str | None,
               field: str = "subject_id") -> models.Model:
    """The record of `kind` with `pk` in ctx.org; NotFound for a missing or foreign id alike."""
    rk = kind_get(kind, field=field.replace("_id", "_kind") if field.endswith("_id") else field)
    obj = get_scoped(rk.queryset(ctx.org), pk)
    if obj is None:
        raise NotFound(f"{rk.label} not found.")
    return obj


def linked(obj: models.Model, slug: str) -> Linked:
    """What a page shows for one record it already holds."""
    rk = kind_of(obj)
    return Linked(kind=rk.key, id=obj.pk, label=rk.label, title=rk.title(obj),
                  url=rk.url(obj, slug), obj=obj)


def resolve(*, ctx: Ctx, refs: Iterable[tuple[str, Any]]) -> dict[tuple[str, uuid.UUID], Linked]:
    """Resolve many references with one query per kind present; deleted or unknown
    records resolve to a `Linked` without `obj`, so a page still says what was there."""
    wanted: dict[str, set] = defaultdict(set)
    for key, pk in refs:
        if key and pk:
            wanted[key].add(pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk)))
    out: dict[tuple[str, uuid.UUID], Linked] = {}
    registry = kinds()
    for key, ids in wanted.items():
        rk = registry.get(key)
        found = {o.pk: o for o in rk.queryset(ctx.org).filter(pk__in=ids)} if rk else {}
        for pk in ids:
            obj = found.get(pk)
            out[(key, pk)] = (
                linked(obj, ctx.org.slug) if obj is not None else
                Linked(kind=key, id=pk, label=rk.label if rk else key,
                       title="(deleted record)", url=""))
    return out


def options(*, ctx: Ctx, kind: str, limit: int = 500) -> list[tuple[str, str]]:
    """(id, title) pairs of one kind for a picker, at most `limit` of them."""
    rk = kind_get(kind)
    return [(str(o.pk), rk.title(o)) for o in rk.queryset(ctx.org)[:limit]]


class SubjectFields(models.Model):
    """A reference to any registered record (see `RecordKind`)."""

    subject_kind = models.CharField(max_length=40, blank=True,
                                    help_text="The kind of record this relates to.")
    subject_id = models.UUIDField(null=True, blank=True,
                                  help_text="The record this relates to.")

    class Meta:
        abstract = True

    @property
    def subject_ref(self) -> tuple[str, uuid.UUID] | None:
        return (self.subject_kind, self.subject_id) if self.subject_kind and self.subject_id else None
