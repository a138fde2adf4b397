from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aims.orgs.permissions import Role

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    "Use 1–50 lowercase letters, digits or hyphens, starting and ending with a letter or digit.",
)


class Organization(models.Model):
    """A tenant: one AIMS. Its activity-log head lets verification spot a removed last event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    reassessment_interval_months = models.PositiveSmallIntegerField(
        default=12, help_text="How often each AI system's impact assessment is redone.")
    require_mfa = models.BooleanField(
        default=False, help_text="Members must use two-factor authentication to open it.")
    log_head_seq = models.PositiveBigIntegerField(default=0)
    log_head_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships that grant access on `on` (today): started and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on),
                           Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Membership(models.Model):
    """A person's role in an organisation, granted on the days from `starts_on` to `ends_on`
    (inclusive; empty: open). Outside those days it grants nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    starts_on = models.DateField(null=True, blank=True,
                                 help_text="First day the membership grants access.")
    ends_on = models.DateField(null=True, blank=True,
                               help_text="Last day the membership grants access.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "user"], name="membership_unique_user_per_org"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts"),
        ]
        ordering = ["org__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.org} ({self.role})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        """Whether the membership grants access on `on` (today)."""
        on = on or timezone.localdate()
        return ((self.starts_on is None or self.starts_on <= on)
                and (self.ends_on is None or on <= self.ends_on))

    @property
    def is_time_boxed(self) -> bool:
        return self.starts_on is not None or self.ends_on is not None
