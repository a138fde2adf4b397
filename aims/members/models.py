"""Invitations: how a person comes to belong to an organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aims.core.models import TenantModel
from aims.orgs.permissions import Role


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Revoked"


class Invitation(TenantModel):
    """An offer of a role in an organisation, sent to an e-mail address. It grants nothing
    until the person signed in with that address accepts it; only the SHA-256 of its link's
    token is stored."""

    email = models.EmailField(help_text="Who is invited (compared without regard to case).")
    role = models.CharField(max_length=20, choices=Role.choices)
    starts_on = models.DateField(null=True, blank=True,
                                 help_text="First day the membership grants access.")
    ends_on = models.DateField(null=True, blank=True,
                               help_text="Last day the membership grants access.")
    status = models.CharField(max_length=20, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(help_text="After this the link no longer works.")
    sent_at = models.DateTimeField()
    send_count = models.PositiveSmallIntegerField(default=1)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["org", "email"],
                                    condition=Q(status=InvitationStatus.PENDING),
                                    name="invitation_one_pending_per_email"),
        ]
        indexes = [models.Index(fields=["email", "status"], name="invitation_email_status")]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.role}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """The status as a person reads it: a pending invitation past its date is expired."""
        if self.status == InvitationStatus.PENDING and self.is_expired:
            return "expired"
        return self.status

    @property
    def is_open(self) -> bool:
        """Pending and not expired: it can still be accepted or declined."""
        return self.status == InvitationStatus.PENDING and not self.is_expired
