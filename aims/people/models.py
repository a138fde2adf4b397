"""AIMS roles and who holds them (5.3, A.3), the concern channel (A.3.3), and competence (7.2)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel


class AimsRole(TenantModel):
    """A named role in the AIMS: what its holders answer for, what they may decide, and
    which parts of the AIMS and which AI systems it covers."""

    # Its AI-specific competence requirements: set by selectors.competence_gaps' prefetch.
    ai_requirements: list[CompetenceRequirement]

    name = models.CharField(max_length=120, help_text="The role's name as people use it.")
    code = models.CharField(
        max_length=40, blank=True, editable=False,
        help_text="Set on the standard roles only, so other parts of aims can find them.")
    responsibilities = models.TextField(
        help_text="What holders of the role are answerable for, one duty per line.")
    authorities = models.TextField(
        blank=True, help_text="What holders may decide or approve on their own, and where "
                              "they must escalate.")
    areas = models.TextField(
        blank=True, verbose_name="areas covered",
        help_text="The parts of the AIMS or the business the role looks after, in words "
                  "(e.g. risk register, data pipelines, retail lending).")
    requirements = models.ManyToManyField(
        "catalog.Requirement", blank=True, related_name="+",
        limit_choices_to={"framework__code": "iso42001"},
        verbose_name="clauses and controls covered",
        help_text="The ISO/IEC 42001 clauses and Annex A controls the role looks after.")
    ai_systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="+", verbose_name="AI systems covered",
        help_text="The AI systems the role looks after; leave empty for an organisation-wide "
                  "role.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="aimsrole_unique_name_per_org"),
            models.UniqueConstraint(fields=["org", "code"], condition=~models.Q(code=""),
                                    name="aimsrole_unique_code_per_org"),
        ]
        ordering = ["name"]
        verbose_name = "AIMS role"

    def __str__(self) -> str:
        return self.name

    @property
    def is_standard(self) -> bool:
        return bool(self.code)


class RoleAssignment(TenantModel):
    """One member holding one AIMS role for a period. A member may hold several roles and a
    role may have several holders."""

    responsible_fields = ("member",)

    role = models.ForeignKey(AimsRole, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="holder",
        help_text="The member who holds the role (cleared if they leave the organisation).")
    since = models.DateField(default=timezone.localdate,
                             help_text="The day the member took on the role.")
    until = models.DateField(null=True, blank=True,
                             help_text="The last day they hold it; empty while it is open-ended.")
    note = models.CharField(max_length=300, blank=True,
                            help_text="Anything worth knowing: a deputy, a part-time share, "
                                      "the decision that appointed them.")

    class Meta:
        ordering = ["-since", "created_at"]
        verbose_name = "role assignment"

    def __str__(self) -> str:
        who = self.member.display_name if self.member is not None else "(former member)"
        role = self.role.name if self.role_id else "AIMS role"
        return f"{who} as {role}"

    def clean(self) -> None:
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": "The end date cannot be before the start date."})

    def is_current_on(self, day: datetime.date) -> bool:
        return (self.member_id is not None and self.since <= day
                and (self.until is None or self.until >= day))

    @property
    def is_current(self) -> bool:
        return self.is_current_on(timezone.localdate())


class CompetenceRequirement(TenantModel):
    """Something a holder of a role must know or be able to do, and how they show it."""

    role = models.ForeignKey(AimsRole, on_delete=models.CASCADE,
                             related_name="competence_requirements")
    title = models.CharField(
        max_length=300, verbose_name="competence",
        help_text="What a holder must know or be able to do, in one line.")
    description = models.TextField(blank=True,
                                   help_text="More detail: the level expected, the context.")
    ai_specific = models.BooleanField(
        default=True, verbose_name="AI-specific",
        help_text="Tick when it is about AI (how models fail, bias, AI risk and impact, AI "
                  "regulation) rather than general skill.")
    demonstrated_by = models.CharField(
        max_length=300, blank=True, verbose_name="how it is shown",
        help_text="What counts as proof: a course, a certificate, supervised practice, "
                  "a portfolio of past work.")

    class Meta:
        ordering = ["-ai_specific", "title"]
        verbose_name = "competence requirement"

    def __str__(self) -> str:
        return self.title


class TrainingStatus(models.TextChoices):
    CURRENT = "current", "Current"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"


def expiring_window() -> datetime.timedelta:
    """How far ahead an expiry counts as "expiring soon" (the evidence window)."""
    return datetime.timedelta(days=settings.AIMS_EVIDENCE_EXPIRING_DAYS)


class TrainingRecord(TenantModel):
    """Training taken or competence shown by one person. Its certificate, if any, is evidence
    linked to the record."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="person",
        help_text="Who took the training or showed the competence.")
    topic = models.CharField(max_length=200,
                             help_text="What it covered, e.g. “Bias testing of credit models”.")
    ai_specific = models.BooleanField(
        default=False, verbose_name="AI-specific",
        help_text="Tick when the training is about AI itself; only AI-specific records close "
                  "an AI competence gap.")
    completed_on = models.DateField(help_text="The day it was completed or shown.")
    expires_on = models.DateField(
        null=True, blank=True,
        help_text="When it must be renewed; leave empty when it does not lapse.")
    provider = models.CharField(max_length=200, blank=True,
                                help_text="Who gave it: a vendor, a university, an internal team.")
    notes = models.TextField(blank=True,
                             help_text="Anything else: the score, the hours, what it left out.")

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        verbose_name = "training record"

    def __str__(self) -> str:
        who = self.member.display_name if self.member is not None else "(former member)"
        return f"{self.topic} — {who}"

    def clean(self) -> None:
        errors = {}
        if self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = ("Record training once it is completed: the date cannot "
                                      "be in the future.")
        if self.expires_on and self.completed_on and self.expires_on < self.completed_on:
            errors["expires_on"] = "The expiry date cannot be before the completion date."
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: datetime.date) -> str:
        if self.expires_on is None or self.expires_on > day + expiring_window():
            return TrainingStatus.CURRENT
        if self.expires_on >= day:
            return TrainingStatus.EXPIRING
        return TrainingStatus.EXPIRED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return TrainingStatus(self.status).label


class ConcernChannel(TenantModel):
    """How staff and others raise concerns about the organisation's AI systems (A.3.3). One
    per organisation; each change is a new version, its history in the activity log."""

    channels = models.TextField(
        verbose_name="how to raise a concern",
        help_text="The ways open to staff, contractors, customers and the public: a mailbox, "
                  "a form, a hotline, a named person. One per line.")
    recipients = models.TextField(
        verbose_name="who receives and handles them",
        help_text="Who reads concerns, who investigates them, and where they escalate.")
    confidentiality = models.TextField(
        verbose_name="confidentiality and protection",
        help_text="How the reporter's identity is protected, whether anonymous reports are "
                  "accepted, and the commitment that nobody is penalised for raising a concern "
                  "in good faith.")
    response_times = models.TextField(
        verbose_name="response times",
        help_text="How soon a concern is acknowledged, looked into and answered.")
    notes = models.TextField(blank=True,
                             help_text="Anything else: how the channel is publicised, reports.")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org"], name="concernchannel_one_per_org"),
        ]
        verbose_name = "concern channel"

    def __str__(self) -> str:
        return "Reporting of concerns"
