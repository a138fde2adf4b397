"""AI objectives (6.2) and the measurements that show whether they are being met (9.1)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel


class DecimalShape(TypedDict):
    """The size of every stored value (DecimalField's arguments)."""

    max_digits: int
    decimal_places: int


# Fifteen digits, four after the point: SQLite keeps 15 significant digits, so every value
# reads back exactly as it was written (and as the activity log recorded it).
DECIMAL: DecimalShape = {"max_digits": 15, "decimal_places": 4}
QUANTUM = Decimal(1).scaleb(-DECIMAL["decimal_places"])


class PolicyTopic(models.TextChoices):
    FAIRNESS = "fairness", "Fairness and non-discrimination"
    TRANSPARENCY = "transparency", "Transparency and explainability"
    HUMAN_OVERSIGHT = "human_oversight", "Human oversight"
    ROBUSTNESS = "robustness", "Robustness and reliability"
    SAFETY = "safety", "Safety"
    SECURITY = "security", "Security"
    PRIVACY = "privacy", "Privacy and data protection"
    ACCOUNTABILITY = "accountability", "Accountability"
    COMPETENCE = "competence", "Competence and AI literacy"
    SUSTAINABILITY = "sustainability", "Environmental sustainability"
    OTHER = "other", "Other"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Half-yearly"
    YEARLY = "yearly", "Yearly"


# How long after one measurement the next is due, in days: the period plus two weeks to
# collect and record the figures. Days rather than months, so "due" and "overdue" are the
# same sum read both ways (month arithmetic at month ends is not).
GRACE_DAYS = 14
PERIOD_DAYS: dict[str, int] = {
    Frequency.MONTHLY: 31,
    Frequency.QUARTERLY: 92,
    Frequency.HALF_YEARLY: 183,
    Frequency.YEARLY: 366,
}


def format_value(value: Decimal | None) -> str:
    """A stored value as people write it: no trailing zeros, never in exponent form."""
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def with_unit(value: Decimal | None, unit: str) -> str:
    """The value followed by its unit, e.g. 97.5 %."""
    if value is None:
        return "—"
    return f"{format_value(value)} {unit}".strip()


def allowed_gap(frequency: str) -> datetime.timedelta:
    """The longest a measurement of `frequency` may stand before the next one is overdue."""
    return datetime.timedelta(days=PERIOD_DAYS[frequency] + GRACE_DAYS)


class ObjectiveStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    ABANDONED = "abandoned", "Abandoned"


class TrackStatus(models.TextChoices):
    """Derived from the latest measurement; never stored."""

    ON_TRACK = "on_track", "On track"
    OFF_TRACK = "off_track", "Off track"
    NO_DATA = "no_data", "No data yet"


class Objective(TenantModel):
    responsible_fields = ("owner",)

    title = models.CharField(max_length=200, help_text="The objective in one line, as people "
                             "will quote it, e.g. “Keep approval-rate gaps between groups small”.")
    description = models.TextField(
        blank=True, help_text="Why it matters and what achieving it changes for the people affected.")
    policy_topic = models.CharField(
        max_length=20, choices=PolicyTopic.choices, verbose_name="AI policy topic",
        help_text="The commitment of your AI policy this objective puts into practice.")
    policy_reference = models.CharField(
        max_length=200, blank=True, verbose_name="Policy reference",
        help_text="Where the policy says it, e.g. “AI policy §4.2”. Required for Other: name "
                  "the commitment.")
    metric = models.TextField(
        help_text="What is measured and how: data source, calculation, sample and who "
                  "produces the figure.")
    target = models.DecimalField(**DECIMAL, help_text="The value that counts as met.")
    unit = models.CharField(max_length=40, help_text="What the numbers are in, e.g. %, ratio, "
                            "score out of 5, hours.")
    direction = models.CharField(max_length=10, choices=Direction.choices,
                                 default=Direction.HIGHER,
                                 help_text="Whether the objective is met at or above the target "
                                           "(higher) or at or below it (lower).")
    baseline = models.DecimalField(**DECIMAL, null=True, blank=True,
                                   help_text="Where you started, if known: progress is counted "
                                             "from here toward the target.")
    frequency = models.CharField(max_length=20, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY, verbose_name="Measurement frequency",
                                 help_text="How often a new measurement is expected. One is "
                                           "overdue two weeks after a period has passed.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member accountable for reaching the objective.")
    due_date = models.DateField(help_text="When the target should be reached.")
    ai_systems = models.ManyToManyField("inventory.AISystem", blank=True, related_name="+",
                                        verbose_name="AI systems",
                                        help_text="The AI systems the objective is about, if any.")
    status = models.CharField(max_length=20, choices=ObjectiveStatus.choices,
                              default=ObjectiveStatus.ACTIVE)

    class Meta:
        ordering = ["title"]
        verbose_name = "AI objective"

    def __str__(self) -> str:
        return self.title

    @property
    def comparator(self) -> str:
        """The sign a value must bear to the target to meet it: ≥ or ≤."""
        return "≥" if self.direction == Direction.HIGHER else "≤"

    def meets_target(self, value: Decimal) -> bool:
        if self.direction == Direction.HIGHER:
            return value >= self.target
        return value <= self.target

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.policy_topic == PolicyTopic.OTHER and not (self.policy_reference or "").strip():
            errors["policy_reference"] = ("Name the policy commitment this objective serves "
                                          "when the topic is Other.")
        if errors:
            raise ValidationError(errors)


class Measurement(TenantModel):
    """One value of an objective's metric. A record: corrected by deleting it and recording
    the right value, both in the activity log, never edited in place."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE,
                                  related_name="measurements")
    measured_on = models.DateField(
        verbose_name="Measured on",
        help_text="The date the value describes; for a period, its last day.")
    value = models.DecimalField(**DECIMAL, help_text="The measured value, in the objective's unit.")
    note = models.TextField(blank=True, help_text="Sample size, data source, or anything that "
                            "explains the value.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["objective", "measured_on"],
                                    name="measurement_one_per_objective_and_date"),
        ]
        ordering = ["measured_on", "created_at"]

    def __str__(self) -> str:
        return (f"{self.objective.title}: {with_unit(self.value, self.objective.unit)} "
                f"on {self.measured_on.isoformat()}")

    def clean(self) -> None:
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": "A measurement cannot describe a future date."})


# ------------------------------------------------------------------ monitoring (9.1)


class Indicator(models.TextChoices):
    ACCURACY = "accuracy", "Accuracy or error rate"
    BIAS = "bias", "Bias or fairness indicator"
    DRIFT = "drift", "Data or model drift"
    COMPLAINTS = "complaints", "Complaints"
    HUMAN_OVERRIDE = "human_override", "Human override rate"
    AVAILABILITY = "availability", "Availability or latency"
    INCIDENTS = "incidents", "Incidents"
    OTHER = "other", "Other"


class MonitorFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Half-yearly"
    YEARLY = "yearly", "Yearly"


# Days between results, plus a grace period (a quarter of the period, at least one day) before
# a missing result counts as overdue.
MONITOR_PERIOD_DAYS: dict[str, int] = {
    MonitorFrequency.DAILY: 1, MonitorFrequency.WEEKLY: 7, MonitorFrequency.MONTHLY: 31,
    MonitorFrequency.QUARTERLY: 92, MonitorFrequency.HALF_YEARLY: 183,
    MonitorFrequency.YEARLY: 366,
}


def monitor_allowed_gap(frequency: str) -> datetime.timedelta:
    days = MONITOR_PERIOD_DAYS[frequency]
    return datetime.timedelta(days=days + max(1, days // 4))


class Monitor(TenantModel):
    """Something the organisation watches (9.1): what, how, how often, who measures and who
    analyses, and the thresholds that call for action."""

    responsible_fields = ("owner", "analyst")

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    name = models.CharField(max_length=200, help_text="What is watched, e.g. “Scorecard "
                            "approval-rate gap between age groups”.")
    indicator = models.CharField(max_length=20, choices=Indicator.choices,
                                 help_text="The kind of indicator.")
    ai_system = models.ForeignKey("inventory.AISystem", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name="AI system",
                                  help_text="The AI system it is about; empty for the AIMS as "
                                            "a whole (e.g. complaints across all systems).")
    method = models.TextField(help_text="How it is measured: data source, calculation, tool, "
                              "sample, so two people would get the same figure.")
    frequency = models.CharField(max_length=20, choices=MonitorFrequency.choices,
                                 default=MonitorFrequency.MONTHLY,
                                 help_text="How often a result is expected.")
    unit = models.CharField(max_length=40, help_text="What the numbers are in, e.g. %, count, "
                            "PSI, ms.")
    lower_threshold = models.DecimalField(
        **DECIMAL, null=True, blank=True,
        help_text="A result below this is a breach. Leave empty when only high values matter.")
    upper_threshold = models.DecimalField(
        **DECIMAL, null=True, blank=True,
        help_text="A result above this is a breach. Leave empty when only low values matter.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name="measured by",
                              help_text="The member who produces and records the results.")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name="analysed by",
                                help_text="The member who analyses and evaluates the results "
                                          "and decides what a breach calls for.")
    active = models.BooleanField(default=True,
                                 help_text="Untick when it is no longer monitored; its results "
                                           "stay on record.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="monitor_unique_number"),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}"

    def clean(self) -> None:
        if (self.lower_threshold is not None and self.upper_threshold is not None
                and self.lower_threshold > self.upper_threshold):
            raise ValidationError({"upper_threshold": "The upper threshold must not be below "
                                                      "the lower one."})

    def breaches(self, value: Decimal) -> bool:
        return ((self.lower_threshold is not None and value < self.lower_threshold)
                or (self.upper_threshold is not None and value > self.upper_threshold))

    @property
    def threshold_text(self) -> str:
        lo, hi = self.lower_threshold, self.upper_threshold
        if lo is not None and hi is not None:
            return f"{format_value(lo)} – {format_value(hi)} {self.unit}".strip()
        if lo is not None:
            return f"≥ {with_unit(lo, self.unit)}"
        if hi is not None:
            return f"≤ {with_unit(hi, self.unit)}"
        return "No threshold"


class MonitorResult(TenantModel):
    """One recorded result of a monitor. A record: corrected by deleting it and recording the
    right one. Whether it breached is fixed when recorded, against the thresholds then."""

    monitor = models.ForeignKey(Monitor, on_delete=models.CASCADE, related_name="results")
    measured_on = models.DateField(help_text="The date the result describes; for a period, "
                                   "its last day.")
    value = models.DecimalField(**DECIMAL, help_text="The result, in the monitor's unit.")
    note = models.TextField(blank=True, help_text="Sample, data source, anything unusual.")
    analysis = models.TextField(blank=True, help_text="What the result means and what, if "
                                "anything, it calls for.")
    breached = models.BooleanField(default=False, editable=False,
                                   help_text="Outside the thresholds when recorded.")
    thresholds = models.CharField(max_length=120, blank=True, editable=False,
                                  help_text="The thresholds it was judged against.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["monitor", "measured_on"],
                                    name="monitor_result_one_per_date"),
        ]
        ordering = ["-measured_on", "-created_at"]

    def __str__(self) -> str:
        name = self.monitor.name if self.monitor_id else "Monitor"
        return f"{name}: {format_value(self.value)} on {self.measured_on.isoformat()}"

    def clean(self) -> None:
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": "A result cannot describe a future date."})
