"""AI system impact assessments (6.1.4, 8.4, A.5): versioned per AI system, with their impacts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel
from aims.records.approval import Approvable

# Days before the due date from which an assessment counts as "due soon".
DUE_SOON_DAYS = 60


class Trigger(models.TextChoices):
    INITIAL = "initial", "Initial assessment"
    INTERVAL = "interval", "Planned interval"
    SIGNIFICANT_CHANGE = "significant_change", "Significant change"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    NEEDS_REASSESSMENT = "needs_reassessment", "Needs re-assessment"
    SUPERSEDED = "superseded", "Superseded"


# The assessment that currently stands for its system: at most one per system.
CURRENT_STATUSES = (Status.APPROVED, Status.NEEDS_REASSESSMENT)
# Work in progress: at most one per system, so there is never a question which draft counts.
OPEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW)

# The written sections, in the order an assessment reads.
SECTIONS = ("intended_purpose", "context_of_use", "foreseeable_misuse", "affected_individuals",
            "affected_groups", "societal_effects", "conclusion")
# The fundamental rights impact assessment (EU AI Act, Art. 27) a deployer of certain high-risk
# systems must do: what the assessment does not already hold. The people affected, the risks of
# harm and the human oversight come from the assessment and the system record.
FRIA_FIELDS = ("fria_required", "fria_process", "fria_period", "fria_measures",
               "fria_notified_on")
FRIA_TEXTS = ("fria_process", "fria_period", "fria_measures")


class ImpactAssessment(Approvable, TenantModel):
    """One version of the impact assessment of one AI system."""

    ai_system = models.ForeignKey("inventory.AISystem", on_delete=models.PROTECT,
                                  related_name="impact_assessments", verbose_name="AI system")
    number = models.PositiveIntegerField(
        verbose_name="assessment version",
        help_text="1 for the system's first assessment, then one more for each new one.")
    trigger = models.CharField(max_length=20, choices=Trigger.choices,
                               help_text="Why this assessment is being done now.")
    trigger_note = models.TextField(
        blank=True, verbose_name="what prompted it",
        help_text="Optional: the change, incident, complaint or request behind it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    intended_purpose = models.TextField(
        blank=True, verbose_name="intended purpose",
        help_text="What the system is for, what it produces and which decisions rely on it.")
    context_of_use = models.TextField(
        blank=True, verbose_name="context of use",
        help_text="Where, by whom and under what conditions it is used, including how people "
                  "oversee it.")
    foreseeable_misuse = models.TextField(
        blank=True, verbose_name="reasonably foreseeable misuse",
        help_text="Ways people could plausibly use it beyond or against its purpose.")
    affected_individuals = models.TextField(
        blank=True, verbose_name="affected individuals",
        help_text="The people its outputs reach directly, and how.")
    affected_groups = models.TextField(
        blank=True, verbose_name="affected groups",
        help_text="Groups that could be affected differently from others.")
    societal_effects = models.TextField(
        blank=True, verbose_name="effects on society",
        help_text="Wider effects beyond the people it touches directly.")
    conclusion = models.TextField(
        blank=True, help_text="The overall judgement: is the remaining impact acceptable, and "
                              "under which conditions?")

    fria_required = models.BooleanField(
        default=False, verbose_name="fundamental rights impact assessment needed",
        help_text="Tick when your organisation deploys this high-risk system as a public body, "
                  "a private body providing public services, or to assess creditworthiness or "
                  "price life and health insurance: the EU AI Act then asks for a fundamental "
                  "rights impact assessment before first use.")
    fria_process = models.TextField(
        blank=True, verbose_name="your process that uses the system",
        help_text="The business process in which your organisation uses the system, in line "
                  "with its intended purpose: who uses it, at which step, for which decisions.")
    fria_period = models.TextField(
        blank=True, verbose_name="period and frequency of use",
        help_text="From when and for how long the system will be used, and how often (e.g. "
                  "every application, a daily batch, a seasonal campaign).")
    fria_measures = models.TextField(
        blank=True, verbose_name="what happens if the risks materialise",
        help_text="The measures you will take if harm occurs: internal governance, who decides, "
                  "how people can complain and get redress.")
    fria_notified_on = models.DateField(
        null=True, blank=True, verbose_name="authority notified on",
        help_text="When the market surveillance authority was told the results (leave empty "
                  "until done).")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name="submitted for review")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="submitted by")
    # Everyone who wrote this version since it was last sent back (the author aside): none of
    # them may approve it. Bounded by the organisation's members; reset when it is returned.
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                          verbose_name="edited by")
    review_comment = models.TextField(
        blank=True, verbose_name="reviewer's comment",
        help_text="The reviewer's note with the last decision: what to fix, or conditions of "
                  "the approval.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    next_due = models.DateField(
        null=True, blank=True, verbose_name="re-assessment due",
        help_text="The approval date plus the organisation's re-assessment interval.")
    reassessment_reason = models.TextField(
        blank=True, verbose_name="why re-assessment is needed",
        help_text="Set when a significant change to the system is recorded.")
    flagged_change = models.ForeignKey(
        "inventory.SystemChange", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="significant change")
    pending_change_note = models.TextField(
        blank=True, verbose_name="changes recorded while open",
        help_text="Significant changes to the system recorded while this version was a draft "
                  "or in review: the approver must confirm the assessment takes them into "
                  "account.")

    def clean(self) -> None:
        super().clean()
        if self.fria_notified_on and self.fria_notified_on > timezone.localdate():
            raise ValidationError({"fria_notified_on": (
                "The authority cannot have been notified in the future.")})

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ai_system", "number"],
                                    name="impact_assessment_unique_number_per_system"),
        ]
        ordering = ["-created_at"]
        verbose_name = "impact assessment"

    def __str__(self) -> str:
        name = self.ai_system.name if self.ai_system_id else "AI system"
        return f"Impact assessment v{self.number} of {name}"

    @property
    def is_editable(self) -> bool:
        """Only a draft changes; anything later is the record of what was reviewed."""
        return self.status == Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    @property
    def is_overdue(self) -> bool:
        """A standing assessment past its re-assessment date (computed, never stored)."""
        return (self.is_current and self.next_due is not None
                and self.next_due < timezone.localdate())

    @property
    def is_due_soon(self) -> bool:
        today = timezone.localdate()
        return (self.is_current and self.next_due is not None
                and today <= self.next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS))

    @property
    def needs_reassessment(self) -> bool:
        """Flagged by a significant change, or past its due date."""
        return self.status == Status.NEEDS_REASSESSMENT or self.is_overdue

    @property
    def state(self) -> str:
        """The status people act on: an approved assessment past its due date needs redoing."""
        return Status.NEEDS_REASSESSMENT if self.needs_reassessment else self.status

    @property
    def state_label(self) -> str:
        return Status(self.state).label

    @property
    def state_tone(self) -> str:
        """The badge class for the state."""
        tones: dict[str, str] = {
            Status.APPROVED: "ok", Status.NEEDS_REASSESSMENT: "bad", Status.IN_REVIEW: "warn",
            Status.SUPERSEDED: "muted"}
        return tones.get(self.state, "")


class Area(models.TextChoices):
    FAIRNESS = "fairness", "Fairness and non-discrimination"
    PRIVACY = "privacy", "Privacy"
    SAFETY = "safety", "Safety and health"
    RIGHTS = "fundamental_rights", "Fundamental rights"
    AUTONOMY = "autonomy", "Autonomy and human oversight"
    TRANSPARENCY = "transparency", "Transparency"
    EMPLOYMENT = "employment", "Employment"
    ECONOMIC = "economic", "Economic"
    ENVIRONMENT = "environment", "Environment"
    ACCESSIBILITY = "accessibility", "Accessibility"
    OTHER = "other", "Other"


class Nature(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"


class Severity(models.IntegerChoices):
    NEGLIGIBLE = 1, "1 – Negligible"
    MINOR = 2, "2 – Minor"
    MODERATE = 3, "3 – Moderate"
    MAJOR = 4, "4 – Major"
    SEVERE = 5, "5 – Severe"


class Likelihood(models.IntegerChoices):
    RARE = 1, "1 – Rare"
    UNLIKELY = 2, "2 – Unlikely"
    POSSIBLE = 3, "3 – Possible"
    LIKELY = 4, "4 – Likely"
    ALMOST_CERTAIN = 5, "5 – Almost certain"


class Reversibility(models.TextChoices):
    REVERSIBLE = "reversible", "Reversible"
    HARD = "hard_to_reverse", "Hard to reverse"
    IRREVERSIBLE = "irreversible", "Irreversible"


class Scale(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"
    SOCIETY = "society", "Society"


class ImpactRating(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Impact(TenantModel):
    """One foreseeable effect of the system, rated before and after its mitigations."""

    assessment = models.ForeignKey(ImpactAssessment, on_delete=models.CASCADE,
                                   related_name="impacts")
    area = models.CharField(max_length=30, choices=Area.choices,
                            help_text="The kind of interest the impact touches.")
    nature = models.CharField(max_length=10, choices=Nature.choices, default=Nature.NEGATIVE,
                              verbose_name="positive or negative")
    description = models.TextField(
        help_text="Who is affected, how, and in which situation.")
    severity = models.PositiveSmallIntegerField(
        choices=Severity.choices,
        help_text="How much it would matter to those affected, before mitigations (for a "
                  "positive impact: how large the benefit is).")
    likelihood = models.PositiveSmallIntegerField(
        choices=Likelihood.choices, help_text="How likely it is to happen, before mitigations.")
    reversibility = models.CharField(max_length=20, choices=Reversibility.choices,
                                     help_text="Whether the harm or benefit can be undone.")
    scale = models.CharField(max_length=20, choices=Scale.choices,
                             help_text="How widely it reaches: one person, a group, society.")
    mitigations = models.TextField(
        blank=True, help_text="What reduces a negative impact or secures a positive one: "
                              "design choices, controls, human review, redress.")
    residual_rating = models.CharField(
        max_length=10, choices=ImpactRating.choices, blank=True, verbose_name="residual rating",
        help_text="How serious the impact remains with the mitigations in place.")
    linked_risk = models.ForeignKey(
        # PROTECT: a risk that an assessment relies on is not deleted behind its back.
        "risks.Risk", null=True, blank=True, on_delete=models.PROTECT, related_name="impacts",
        verbose_name="linked risk", help_text="The risk in the register that tracks this impact.")

    class Meta:
        ordering = ["created_at"]
        verbose_name = "impact"

    def __str__(self) -> str:
        text = self.description.strip().splitlines()[0] if self.description.strip() else ""
        return f"{self.get_area_display()}: {text[:80]}"

    def clean(self) -> None:
        if self.nature == Nature.NEGATIVE and not self.residual_rating:
            raise ValidationError({"residual_rating": (
                "Rate what remains of a negative impact once its mitigations are in place.")})
