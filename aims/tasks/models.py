"""Owned work with a due date: evidence requests, reviews, treatment and corrective actions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel
from aims.records.kinds import SubjectFields


class TaskKind(models.TextChoices):
    EVIDENCE_REQUEST = "evidence_request", "Evidence request"
    REVIEW = "review", "Review"
    TREATMENT_ACTION = "treatment_action", "Treatment action"
    CORRECTIVE_ACTION = "corrective_action", "Corrective action"
    REVIEW_ACTION = "review_action", "Management review action"
    PLAN_STEP = "plan_step", "Implementation plan step"
    OTHER = "other", "Other"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


CLOSED = (TaskStatus.DONE, TaskStatus.CANCELLED)
OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
RECURRENCE_MAX = 365


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class RecurrenceUnit(models.TextChoices):
    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"
    MONTHS = "months", "Months"


class Task(TenantModel, SubjectFields):
    """One piece of owned work. A recurring task, once completed, is followed by the next."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200, help_text="What needs doing, in a few words.")
    description = models.TextField(blank=True,
                                   help_text="Details: what done looks like, where to look.")
    kind = models.CharField(max_length=20, choices=TaskKind.choices, default=TaskKind.OTHER)
    status = models.CharField(max_length=12, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)
    priority = models.CharField(max_length=8, choices=Priority.choices,
                                default=Priority.NORMAL)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who does it (or makes sure it is done).")
    due_date = models.DateField(null=True, blank=True, help_text="When it must be done by.")
    recurrence_every = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name="repeat every",
        validators=[
            MinValueValidator(1, "Repeat at least every 1 day, week or month."),
            MaxValueValidator(RECURRENCE_MAX, f"Repeat at most every {RECURRENCE_MAX} days, "
                                              "weeks or months; use a longer unit instead."),
        ],
        help_text="Leave empty for one-off work. Completing a recurring task creates the next "
                  "one, due this many days, weeks or months after the completed one was due.")
    recurrence_unit = models.CharField(max_length=8, choices=RecurrenceUnit.choices,
                                       blank=True, verbose_name="repeat unit")
    anchor_day = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False,
        help_text="The day of the month a monthly series falls on, so a series due on the "
                  "31st comes back to the 31st after a shorter month.")
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="next", editable=False,
                                    help_text="The occurrence this one follows.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     editable=False)
    completion_note = models.TextField(blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="task_unique_number"),
        ]
        indexes = [
            models.Index(fields=["org", "subject_kind", "subject_id"]),
            models.Index(fields=["org", "owner", "status"]),
        ]
        ordering = ["due_date", "number"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if bool(self.recurrence_every) != bool(self.recurrence_unit):
            errors["recurrence_unit" if self.recurrence_every else "recurrence_every"] = (
                "Give both how often (a number) and the unit (days, weeks or months), or "
                "neither for one-off work.")
        if self.recurrence_every and not self.due_date:
            errors["due_date"] = "A recurring task needs a due date to count from."
        if bool(self.subject_kind) != bool(self.subject_id):
            errors["subject_id"] = "Give both the kind of record and its id, or neither."
        if errors:
            raise ValidationError(errors)

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def overdue(self) -> bool:
        return (not self.is_closed and self.due_date is not None
                and self.due_date < timezone.localdate())

    @property
    def recurs(self) -> bool:
        return bool(self.recurrence_every and self.recurrence_unit)


class CalendarFeed(models.Model):
    """A member's secret calendar address for one organisation. A personal credential, like
    an API token, not part of the AIMS record: only the SHA-256 of the secret is stored, and
    the feed answers only while the user is still a member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "user"], name="calendar_feed_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id} in {self.org_id}"


class ReminderLog(TenantModel):
    """That one member was sent their reminder digest for one organisation on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    sent_on = models.DateField()
    items = models.PositiveIntegerField(help_text="How many tasks and actions it listed.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "user", "sent_on"],
                                    name="reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"reminder to {self.user_id} on {self.sent_on}"
