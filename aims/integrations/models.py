"""Integration tokens: what a CI pipeline or another tool holds to push evidence into one
organisation, and nothing else."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel


class IntegrationToken(TenantModel):
    """A secret a machine presents to push evidence. Only its SHA-256 is stored; the secret is
    shown once, when it is created. It belongs to the organisation, not to a person, so it
    keeps working when the member who made it leaves."""

    unlogged_fields = ("token_hash",)

    name = models.CharField(max_length=100,
                            help_text="What holds it: the pipeline, repository or tool.")
    prefix = models.CharField(max_length=16, editable=False,
                              help_text="First characters, to recognise the token.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    controls = models.JSONField(
        default=list, blank=True,
        help_text="Requirement refs (A.6.2.4…) it may link evidence to; empty: any control.")
    systems = models.JSONField(
        default=list, blank=True,
        help_text="Ids of the AI systems it may link evidence to; empty: any AI system.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    expires_at = models.DateTimeField(null=True, blank=True,
                                      help_text="After this the token stops working.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def actor_label(self) -> str:
        """How the activity log names the token when it acts: its name and id."""
        return f"integration token “{self.name}” ({self.pk})"

    @property
    def created_by_email(self) -> str | None:
        return self.created_by.email if self.created_by is not None else None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @property
    def is_active(self) -> bool:
        return self.state == "active"
