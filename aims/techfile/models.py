"""Public links to an AI system's transparency notice (ISO/IEC 42001 A.8.2, EU AI Act
Art. 50): the notice itself is drafted from the AI system record each time it is opened; a
link only says who may open it without signing in, until it is revoked."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aims.core.models import TenantModel


class NoticeLink(TenantModel):
    unlogged_fields = ("token_hash",)
    # The full token, on the link notice_link_create returns only: the one time it is known.
    raw_token: str = ""

    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.CASCADE,
                                  related_name="+", verbose_name="AI system")
    # Only the SHA-256 of the unguessable part of the public address is kept (like API
    # tokens): the address is shown once, when the link is made, and a copy of the database
    # or of the log opens no notice.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, blank=True, editable=False,
                                  help_text="The address's first characters, to recognise it.")
    contact = models.TextField(
        verbose_name="How people reach you",
        help_text="Shown on the notice: where people ask questions about the system, ask for "
                  "a human to look at a decision, or complain (an address, a form, a phone "
                  "line).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name="revoked at")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "transparency notice link"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        return f"Public transparency notice of {name}"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def clean(self) -> None:
        if not (self.contact or "").strip():
            raise ValidationError({"contact": "Say how people reach you about the system: the "
                                              "notice must give them a way to ask or object."})
