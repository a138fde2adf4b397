"""Internal audits (9.2): the programme of a cycle, its audits, their checklists and findings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from aims.core.dates import add_months
from aims.core.models import TenantModel

DEFAULT_CRITERIA = "ISO/IEC 42001:2023 and the organisation's AIMS documentation"


class AuditProgramme(TenantModel):
    """The internal audits planned for one cycle, so that every clause and applicable control
    is audited within it."""

    responsible_fields = ("owner",)

    name = models.CharField(max_length=200,
                            help_text="How people refer to the cycle, e.g. “Internal audit "
                                      "programme 2026”.")
    start_date = models.DateField(help_text="First day of the cycle.")
    months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(36)],
        verbose_name="length in months",
        help_text="How long the cycle runs; every clause and applicable control should be "
                  "audited within it (usually 12 months).")
    objectives = models.TextField(
        blank=True, verbose_name="objectives and notes",
        help_text="What the programme sets out to achieve, priorities (areas of high risk, "
                  "results of earlier audits) and how audits are reported.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who manages the programme.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="audit_programme_unique_name"),
        ]
        ordering = ["-start_date", "name"]
        verbose_name = "audit programme"

    def __str__(self) -> str:
        return self.name

    @property
    def end_date(self) -> datetime.date | None:
        """Last day of the cycle."""
        if not self.start_date or not self.months:
            return None
        return add_months(self.start_date, self.months) - datetime.timedelta(days=1)


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    REPORTED = "reported", "Reported"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


# An audit whose report is issued counts as done for coverage; its checklist is frozen.
COMPLETED = (AuditStatus.REPORTED, AuditStatus.CLOSED)
OPEN = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)
FROZEN = (*COMPLETED, AuditStatus.CANCELLED)


class Audit(TenantModel):
    responsible_fields = ("lead_auditor",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200,
                             help_text="What is audited, e.g. “Risk management and AI system "
                                       "life cycle”.")
    programme = models.ForeignKey(AuditProgramme, on_delete=models.PROTECT,
                                  related_name="audits",
                                  help_text="The cycle this audit belongs to.")
    requirements = models.ManyToManyField(
        "catalog.Requirement", blank=True, related_name="+", verbose_name="requirements in scope",
        help_text="The clauses and Annex A controls the audit checks.")
    ai_systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="audits", verbose_name="AI systems",
        help_text="The AI systems whose records the audit samples.")
    units = models.TextField(
        blank=True, verbose_name="units, sites and processes",
        help_text="The parts of the organisation, sites or processes the audit visits.")
    criteria = models.TextField(
        default=DEFAULT_CRITERIA,
        help_text="What the audit compares the record against.")
    lead_auditor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     help_text="The member who leads the audit and issues "
                                               "the report.")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                  verbose_name="audit team",
                                  help_text="Further members who audit with the lead.")
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=AuditStatus.choices,
                              default=AuditStatus.PLANNED)
    summary = models.TextField(blank=True, verbose_name="report summary",
                               help_text="What was audited, how (interviews, samples, records "
                                         "read) and the main results.")
    conclusion = models.TextField(
        blank=True, help_text="The audit's judgement: does the AIMS conform in the areas "
                              "audited, and is it effectively implemented and maintained?")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", editable=False)
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="audit_unique_number"),
        ]
        ordering = ["-number"]
        verbose_name = "audit"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN

    @property
    def is_completed(self) -> bool:
        return self.status in COMPLETED

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "The planned end cannot be before the planned start."
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = "The audit cannot end before it started."
        if errors:
            raise ValidationError(errors)


class LineResult(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    CONFORMING = "conforming", "Conforming"
    MAJOR_NC = "major_nc", "Major nonconformity"
    MINOR_NC = "minor_nc", "Minor nonconformity"
    OBSERVATION = "observation", "Observation"
    OFI = "ofi", "Opportunity for improvement"


# Results that are findings: listed, reported and (for nonconformities) raised for action.
FINDINGS = (LineResult.MAJOR_NC, LineResult.MINOR_NC, LineResult.OBSERVATION, LineResult.OFI)


class AuditLine(TenantModel):
    """One line of an audit's checklist: a requirement in scope, for the organisation or for
    one AI system in scope, with the questions asked and what the auditor found."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="lines")
    requirement = models.ForeignKey("catalog.Requirement", on_delete=models.PROTECT,
                                    related_name="+")
    ai_system = models.ForeignKey("inventory.AISystem", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name="AI system",
                                  help_text="Set when the line checks one AI system.")
    questions = models.JSONField(default=list,
                                 help_text="The audit questions, as they stood when the line "
                                           "was generated.")
    result = models.CharField(max_length=20, choices=LineResult.choices,
                              default=LineResult.NOT_ASSESSED)
    notes = models.TextField(blank=True,
                             help_text="What was seen: records sampled, people interviewed, "
                                       "and for a finding what is missing or could be better.")
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+",
                                      help_text="Evidence the auditor relied on.")
    sort_key = models.CharField(max_length=200, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "requirement"],
                                    condition=Q(ai_system__isnull=True),
                                    name="audit_line_unique_requirement"),
            models.UniqueConstraint(fields=["audit", "requirement", "ai_system"],
                                    condition=Q(ai_system__isnull=False),
                                    name="audit_line_unique_requirement_system"),
        ]
        ordering = ["sort_key"]
        verbose_name = "audit checklist line"

    def __str__(self) -> str:
        ref = self.requirement.ref if self.requirement_id else "?"
        system = f" · {self.ai_system.name}" if self.ai_system is not None else ""
        audit = self.audit.ref if self.audit_id else ""
        return f"{audit} {ref}{system}".strip()

    @property
    def is_finding(self) -> bool:
        return self.result in FINDINGS

    def clean(self) -> None:
        if self.result in FINDINGS and not self.notes.strip():
            raise ValidationError({"notes": (
                f"A finding ({LineResult(self.result).label.lower()}) needs notes saying what "
                "was seen, so the auditee and the reader of the report can act on it.")})
