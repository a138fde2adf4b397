"""Clause 4: the AIMS scope (versioned), internal and external issues, interested parties."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aims.core.justification import justification_problem
from aims.core.models import TenantModel


class ScopeVersion(TenantModel):
    """One version of the scope statement. Append-only: a change is a new version."""

    number = models.PositiveIntegerField()
    statement = models.TextField(
        help_text="The scope in a few sentences: which activities, AI systems and roles the AIMS covers.")
    boundaries = models.TextField(
        blank=True, help_text="Organisational, physical and technical boundaries of the AIMS.")
    included_units = models.TextField(
        blank=True, help_text="Business units, sites or functions inside the scope, one per line.")
    excluded_units = models.TextField(
        blank=True, help_text="Units left out, one per line, each with the reason.")
    exclusion_rationale = models.TextField(
        blank=True, help_text="Why the exclusions do not affect the AIMS's ability to meet its aims.")
    systems_snapshot = models.JSONField(
        default=dict, help_text="Names of AI systems inside and outside the scope when saved.")
    change_note = models.CharField(max_length=300, blank=True,
                                   help_text="What changed from the previous version, and why.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="scope_unique_number_per_org"),
        ]
        ordering = ["-number"]
        verbose_name = "scope version"

    def __str__(self) -> str:
        return f"AIMS scope v{self.number}"

    def clean(self) -> None:
        if self.excluded_units.strip() and (
                problem := justification_problem(self.exclusion_rationale)):
            raise ValidationError({"exclusion_rationale": (
                f"Leaving units out of the scope needs a reason. {problem}")})


class IssueKind(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class ContextIssue(TenantModel):
    kind = models.CharField(max_length=10, choices=IssueKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(
        max_length=100, blank=True,
        help_text="e.g. legal and regulatory, technological, market, cultural, organisational.")
    effect = models.TextField(blank=True,
                              help_text="How it affects what the AIMS must achieve.")
    is_active = models.BooleanField(default=True, help_text="Still relevant to the AIMS.")

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = "context issue"

    def __str__(self) -> str:
        return self.title


class InterestedParty(TenantModel):
    name = models.CharField(max_length=200)
    category = models.CharField(
        max_length=100, blank=True,
        help_text="e.g. customers, regulators, employees, affected individuals, suppliers.")
    needs = models.TextField(help_text="What they need or expect from your use of AI.")
    requirements = models.TextField(
        blank=True, help_text="Which of those needs the AIMS adopts as requirements "
                              "(legal, contractual, voluntary commitments).")
    how_addressed = models.TextField(blank=True, help_text="Where the AIMS addresses them.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "interested party"
        verbose_name_plural = "interested parties"
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="party_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name
