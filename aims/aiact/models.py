"""Classifications of AI systems under the EU AI Act: one numbered, append-only version per
save, each with the answers, the class and the trace the classifier gave."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aims.aiact.obligations import OPERATOR_ROLES
from aims.core.justification import justification_problem
from aims.core.models import TenantModel


class AiActClass(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", "Outside the AI Act"
    PROHIBITED = "prohibited", "Prohibited practice"
    HIGH = "high", "High risk"
    LIMITED = "limited", "Limited risk (transparency)"
    MINIMAL = "minimal", "Minimal risk"


class ClassificationVersion(TenantModel):
    """One saved classification of an AI system. Append-only: a new save is a new version, so
    the record shows what was answered, by whom and when."""

    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.PROTECT,
                                  related_name="+", verbose_name="AI system")
    number = models.PositiveIntegerField(help_text="1 for the first classification, then up.")
    answers = models.JSONField(default=dict, help_text="{question id: answer}.")
    result_class = models.CharField(max_length=20, choices=AiActClass.choices,
                                    verbose_name="class")
    trace = models.JSONField(
        default=list, help_text="[{step, question_id, question, answer, article, outcome}]: "
                                "the legal path the classifier walked.")
    facts = models.JSONField(default=dict, help_text="What the obligations are derived from.")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ai_system", "number"],
                                    name="classification_unique_number"),
        ]
        ordering = ["-number"]
        verbose_name = "EU AI Act classification"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        return f"EU AI Act classification of {name}, version {self.number}"


class ObligationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Statuses that close an obligation: neither counts as overdue once its date has passed.
CLOSED = (ObligationStatus.MET, ObligationStatus.NOT_APPLICABLE)


class ObligationItem(TenantModel):
    """One EU AI Act obligation of the organisation for one AI system, in one operator role,
    as its classification brought it: an item of the EU AI Act framework that a member owns,
    works on and evidences, like an SoA item. Made and refreshed when the system is
    classified; one a later classification no longer brings is kept, marked as ended."""

    responsible_fields = ("owner",)

    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.PROTECT,
                                  related_name="+", verbose_name="AI system")
    requirement = models.ForeignKey("catalog.Requirement", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text="The article or annex in the EU AI Act framework.")
    ref = models.CharField(max_length=30, verbose_name="article",
                           help_text="The article or annex that creates the obligation.")
    role = models.CharField(max_length=30, choices=list(OPERATOR_ROLES.items()),
                            help_text="The organisation's operator role toward "
                                                     "the system the obligation falls on.")
    rule = models.CharField(max_length=40, help_text="The condition of the classification that "
                                                     "brings it (see data/obligations.json).")
    duty = models.TextField(help_text="What to do, in short.")
    applies_from = models.DateField(help_text="The date it applies from on the amended "
                                              "timeline.")
    timeline_key = models.CharField(max_length=40)
    applies = models.BooleanField(
        default=True, help_text="Whether the system's latest classification still brings it.")
    ended_on = models.DateField(
        null=True, blank=True, verbose_name="no longer applies since",
        help_text="When a new classification stopped bringing it (kept as history).")
    status = models.CharField(
        max_length=20, choices=ObligationStatus.choices, default=ObligationStatus.NOT_STARTED,
        help_text="How far the organisation is in meeting it. “Met” when the work is done and "
                  "evidenced; “Not applicable” only with the reason it does not bind you.")
    status_reason = models.TextField(
        blank=True, verbose_name="why it does not apply",
        help_text="For “Not applicable”: why the obligation does not bind the organisation for "
                  "this system (e.g. an exemption, a role you do not hold). An auditor or a "
                  "regulator must be able to check it.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for meeting it.")
    notes = models.TextField(blank=True,
                             help_text="How the organisation meets it, and where to look.")
    last_reviewed = models.DateField(null=True, blank=True,
                                     help_text="When someone last checked how it stands.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ai_system", "ref", "role", "rule"],
                                    name="obligation_item_unique_per_system"),
        ]
        indexes = [models.Index(fields=["org", "applies", "applies_from"],
                                name="obligation_item_calendar")]
        ordering = ["applies_from", "ref"]
        verbose_name = "EU AI Act obligation"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        return f"{self.ref} for {name}"

    def clean(self) -> None:
        if (self.status == ObligationStatus.NOT_APPLICABLE
                and (problem := justification_problem(self.status_reason))):
            raise ValidationError({"status_reason": (
                f"Saying an obligation does not apply needs the reason. {problem}")})

    def overdue_on(self, day) -> bool:
        """It applies, its date has passed and it is neither met nor set aside."""
        return self.applies and self.applies_from <= day and self.status not in CLOSED
