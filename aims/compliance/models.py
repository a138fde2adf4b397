"""ComplianceItem: the one join between an organisation and a catalog requirement."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aims.core.justification import justification_problem
from aims.core.models import TenantModel


class InclusionReason(models.TextChoices):
    RISK_TREATMENT = "risk_treatment", "Risk treatment"
    LEGAL = "legal", "Legal or regulatory"
    CONTRACTUAL = "contractual", "Contractual"
    BUSINESS = "business", "Business requirement"
    OTHER = "other", "Other"


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    PARTIAL = "partial", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"


class ComplianceItem(TenantModel):
    responsible_fields = ("owner",)

    requirement = models.ForeignKey("catalog.Requirement", on_delete=models.PROTECT,
                                    related_name="+")
    applicable = models.BooleanField(
        null=True, blank=True,
        help_text="Whether the control applies to your AIMS. Empty means not yet decided.",
    )
    inclusion_reason = models.CharField(
        max_length=20, choices=InclusionReason.choices, blank=True,
        help_text="Why an applicable control is included.",
    )
    justification = models.TextField(
        blank=True,
        help_text="Why the control is included or, for an exclusion, why it does not apply. "
                  "An exclusion needs a reason an auditor can check.",
    )
    status = models.CharField(max_length=20, choices=ImplementationStatus.choices,
                              default=ImplementationStatus.NOT_STARTED,
                              help_text="How far the control is implemented.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for the control.")
    notes = models.TextField(blank=True, help_text="How the control is implemented, where to look.")
    last_reviewed = models.DateField(null=True, blank=True,
                                     help_text="When this decision was last reviewed.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "requirement"],
                                    name="compliance_item_unique_per_org"),
        ]
        verbose_name = "compliance item"

    def __str__(self) -> str:
        return f"{self.requirement.ref} {self.requirement.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.applicable is False:
            if problem := justification_problem(self.justification):
                errors["justification"] = f"Excluding a control needs a justification. {problem}"
            if self.inclusion_reason:
                errors["inclusion_reason"] = "An excluded control has no reason for inclusion."
        elif self.applicable is True and not self.inclusion_reason:
            errors["inclusion_reason"] = "Required when the control is applicable: say why it is included."
        if errors:
            raise ValidationError(errors)
