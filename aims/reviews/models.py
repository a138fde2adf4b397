"""Management reviews (9.3): the meeting, its agenda of required inputs, minutes and decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from aims.core.models import TenantModel


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


class ManagementReview(TenantModel):
    """One management review meeting. Until it is held its agenda inputs are refreshed from the
    live record as of the meeting date; once held, they stay as they were presented."""

    responsible_fields = ("chair",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200, help_text="E.g. “AIMS management review, H1”.")
    meeting_date = models.DateField(
        help_text="The day of the meeting. The agenda's inputs describe the record as of this "
                  "day.")
    period_start = models.DateField(
        null=True, blank=True, verbose_name="reviewing since",
        help_text="Start of the period the review looks back on; defaults to the previous "
                  "review's meeting date.")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member of top management who chairs it.")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                       help_text="Members who attend. Top management must be "
                                                 "among them.")
    other_attendees = models.TextField(blank=True,
                                       help_text="Anyone else present who is not a member, "
                                                 "with their role (one per line).")
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.PLANNED, editable=False)
    conclusions = models.TextField(
        blank=True, help_text="Top management's conclusion on whether the AIMS remains "
                              "suitable, adequate and effective, and why.")
    held_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="review_unique_number"),
        ]
        ordering = ["-meeting_date", "-number"]
        verbose_name = "management review"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def clean(self) -> None:
        if self.period_start and self.meeting_date and self.period_start > self.meeting_date:
            raise ValidationError({"period_start": "The period cannot start after the meeting."})

    @property
    def is_held(self) -> bool:
        return self.status == ReviewStatus.HELD


class AgendaItem(TenantModel):
    """One agenda item: a required input with what the record said, and the minutes on it."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=40, help_text="Which input this is (stable code).")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    inputs = models.JSONField(default=dict, help_text="What the record said, as of the meeting.")
    minutes = models.TextField(blank=True, help_text="What was discussed and concluded.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="agenda_item_unique_key"),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class DecisionKind(models.TextChoices):
    IMPROVEMENT = "improvement", "Opportunity for improvement"
    CHANGE = "change", "Change to the AIMS"
    RESOURCES = "resources", "Resource need"
    OTHER = "other", "Other decision"


class Decision(TenantModel):
    """A decision taken in the review; one that needs doing becomes an owned task."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE,
                               related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices,
                            default=DecisionKind.OTHER)
    text = models.TextField(verbose_name="decision", help_text="What was decided.")
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", editable=False,
                             help_text="The action that carries it out.")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first[:100]
