"""Base models: uuid keys, timestamps, an optimistic-lock version, and the tenant scope."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db import models

_T = TypeVar("_T", bound="TenantModel")


class UnscopedQueryError(RuntimeError):
    """Raised when tenant-owned rows are queried without an organisation."""


class TenantManager(models.Manager[_T]):
    """`Model.objects` for tenant rows: refuses to run unless scoped with `for_org`."""

    def get_queryset(self) -> models.QuerySet[_T]:
        raise UnscopedQueryError(
            f"{self.model.__name__}.objects must be scoped: use .for_org(org)"
        )

    # `org` is an aims.orgs Organization; core imports nothing of aims, so it is named by
    # its base class here.
    def for_org(self, org: models.Model) -> models.QuerySet[_T]:
        return super().get_queryset().filter(org=org)


class TimestampedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Incremented on every change.")

    class Meta:
        abstract = True


class TenantModel(TimestampedModel):
    """A row owned by one organisation. Reverse relations use `all_orgs`, reads use `objects`."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")

    # User foreign keys that name who is accountable now (not history such as an author):
    # cleared, and logged, when that person leaves the organisation.
    responsible_fields: tuple[str, ...] = ()

    # Declared first so it is the default manager Django uses for related lookups
    # (those are already scoped by the parent row); `objects` is what code calls.
    all_orgs = models.Manager()
    objects = TenantManager()

    class Meta:
        abstract = True
