"""Which frameworks an organisation reports against, besides ISO/IEC 42001."""

from __future__ import annotations

from django.db import models

from aims.core.models import TenantModel


class ReportingChoice(TenantModel):
    """The organisation's choice of frameworks to report against (one row per organisation)."""

    frameworks = models.JSONField(
        default=list, blank=True,
        help_text="Codes of the frameworks the organisation reports against, besides "
                  "ISO/IEC 42001 (e.g. eu-ai-act, nist-ai-rmf, iso27001).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org"], name="reporting_choice_one_per_org"),
        ]
        verbose_name = "frameworks reported against"

    def __str__(self) -> str:
        return "Frameworks reported against"
