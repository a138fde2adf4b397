"""Incidents (A.8), nonconformities with their corrective actions (10.2) and improvement
opportunities (10.1).

Each may come from another record (an audit finding, a monitoring result, a management
review…): `SubjectFields` holds that origin. A nonconformity's corrective actions are tasks
(aims.tasks) of kind "corrective_action" about it; its status is derived from them and from
its effectiveness verification (see aims.improvement.selectors), never stored, so completing
a task anywhere moves the nonconformity on without a second write.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel
from aims.improvement.art73 import SeriousKind, days_left
from aims.records.kinds import SubjectFields

MAX_WHYS = 5


# ---------------------------------------------------------------------------- incidents


class IncidentType(models.TextChoices):
    BIAS = "bias", "Bias or unfair outcome"
    DRIFT = "drift", "Drift or degraded performance"
    SECURITY = "security", "Security"
    SAFETY = "safety", "Safety"
    PRIVACY = "privacy", "Privacy"
    MISUSE = "misuse", "Misuse"
    AVAILABILITY = "availability", "Availability"
    OTHER = "other", "Other"


class IncidentSeverity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONTAINED = "contained", "Contained"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Incident(TenantModel, SubjectFields):
    """Something that went wrong with, or because of, an AI system."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200, help_text="What happened, in a few words.")
    incident_type = models.CharField(max_length=20, choices=IncidentType.choices,
                                     verbose_name="type")
    ai_systems = models.ManyToManyField(
        "inventory.AISystem", blank=True, related_name="incidents", verbose_name="AI systems",
        help_text="The AI systems involved or affected.")
    occurred_at = models.DateTimeField(verbose_name="occurred at",
                                       help_text="When it happened (or began), as far as known.")
    detected_at = models.DateTimeField(verbose_name="detected at",
                                       help_text="When someone noticed it; not before it "
                                                 "occurred.")
    severity = models.CharField(max_length=10, choices=IncidentSeverity.choices,
                                default=IncidentSeverity.MEDIUM)
    description = models.TextField(
        help_text="What happened, who or what was affected and how it came to light.")
    containment = models.TextField(
        blank=True, help_text="What was done to stop or limit the harm (switching a model off, "
                              "a manual fallback, a rollback…). Needed once it is contained.")
    status = models.CharField(max_length=10, choices=IncidentStatus.choices,
                              default=IncidentStatus.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who handles the incident.")
    # Communication to the people affected (A.8.3).
    communication_needed = models.BooleanField(
        default=False, verbose_name="affected parties must be told",
        help_text="Tick when the people affected (customers, applicants, staff) should be "
                  "informed.")
    communicated_at = models.DateTimeField(null=True, blank=True,
                                           verbose_name="affected parties told at")
    communication_method = models.CharField(
        max_length=200, blank=True, verbose_name="told how",
        help_text="E-mail, letter, call, notice in the app…")
    communication_note = models.TextField(blank=True, verbose_name="what they were told")
    # Reporting to authorities or others outside (A.8.4).
    reporting_needed = models.BooleanField(
        default=False, verbose_name="external reporting needed",
        help_text="Tick when a regulator, a customer under contract or another body must be "
                  "told.")
    report_to = models.CharField(max_length=200, blank=True, verbose_name="report to",
                                 help_text="Who must be told, e.g. the market surveillance "
                                           "authority.")
    report_deadline = models.DateTimeField(
        null=True, blank=True, verbose_name="reporting deadline",
        help_text="By when, as the law or contract requires (you set it).")
    reported_at = models.DateTimeField(null=True, blank=True, verbose_name="reported at")
    report_reference = models.CharField(max_length=200, blank=True,
                                        verbose_name="report reference",
                                        help_text="The receiver's case or ticket number.")
    # A serious incident under the EU AI Act (Art. 73): its kind sets the reporting deadline,
    # counted from awareness; the services derive report_deadline from the two.
    serious_kind = models.CharField(
        max_length=20, choices=SeriousKind.choices, blank=True,
        verbose_name="serious incident (EU AI Act)",
        help_text="Only for an incident on a high-risk AI system that led, or may have led, to "
                  "death, serious harm to health, serious damage to property or the "
                  "environment, a serious disruption of critical infrastructure or a breach of "
                  "fundamental rights obligations. The kind sets the reporting period: 2, 10 or "
                  "15 days. Leave empty when it is not serious in that sense.")
    aware_at = models.DateTimeField(
        null=True, blank=True, verbose_name="aware since",
        help_text="When your organisation knew, or could reasonably suspect, that the AI "
                  "system was involved: the reporting clock starts here.")
    nonconformity = models.ForeignKey(
        "Nonconformity", null=True, blank=True, on_delete=models.PROTECT,
        related_name="incidents", help_text="The nonconformity raised to deal with its causes.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="incident_unique_number"),
        ]
        indexes = [models.Index(fields=["org", "subject_kind", "subject_id"])]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def reporting_overdue(self) -> bool:
        """External reporting is due, its deadline has passed and it has not been done."""
        return bool(self.reporting_needed and self.reported_at is None
                    and self.report_deadline is not None
                    and self.report_deadline < timezone.now())

    @property
    def is_serious(self) -> bool:
        return bool(self.serious_kind)

    @property
    def report_days_left(self) -> int | None:
        """Days until the report deadline of a serious incident not yet reported (negative:
        days overdue); None otherwise."""
        if not self.serious_kind or self.reported_at or self.report_deadline is None:
            return None
        return days_left(self.report_deadline)

    @property
    def communication_pending(self) -> bool:
        return self.communication_needed and self.communicated_at is None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        now = timezone.now()
        if self.occurred_at and self.occurred_at > now:
            errors["occurred_at"] = "An incident cannot have occurred in the future."
        if self.detected_at and self.detected_at > now:
            errors["detected_at"] = "An incident cannot be detected in the future."
        if self.occurred_at and self.detected_at and self.detected_at < self.occurred_at:
            errors["detected_at"] = ("It cannot have been detected before it occurred: check "
                                     "both times.")
        if not self.communication_needed and (self.communicated_at or self.communication_method
                                              or self.communication_note.strip()):
            errors["communication_needed"] = ("Tick “affected parties must be told” to record "
                                              "that they were told, or clear those fields.")
        if self.communicated_at and self.occurred_at and self.communicated_at < self.occurred_at:
            errors["communicated_at"] = "People cannot have been told before it occurred."
        if self.reporting_needed:
            if not self.report_to.strip():
                errors["report_to"] = "Say who must be told when external reporting is needed."
            if self.report_deadline is None:
                errors["report_deadline"] = ("Set the reporting deadline the law or contract "
                                             "gives, so an overdue report shows.")
        elif self.report_to.strip() or self.report_deadline or self.reported_at \
                or self.report_reference.strip():
            errors["reporting_needed"] = ("Tick “external reporting needed” to record a report, "
                                          "or clear the reporting fields.")
        if self.reported_at and self.occurred_at and self.reported_at < self.occurred_at:
            errors["reported_at"] = "It cannot have been reported before it occurred."
        if self.serious_kind:
            if self.aware_at is None:
                errors["aware_at"] = ("Say when your organisation became aware of it: the "
                                      "reporting deadline of a serious incident counts from "
                                      "then.")
            elif self.aware_at > now:
                errors["aware_at"] = "Awareness cannot be in the future."
            elif self.occurred_at and self.aware_at < self.occurred_at:
                errors["aware_at"] = ("Your organisation cannot have become aware of it before "
                                      "it occurred.")
        elif self.aware_at is not None:
            errors["serious_kind"] = ("Choose the kind of serious incident to record an "
                                      "awareness date, or clear it.")
        # An unknown status is the field's own error (clean_fields); judge only known ones.
        if (self.status in IncidentStatus.values and self.status != IncidentStatus.OPEN
                and not self.containment.strip()):
            errors["containment"] = (f"Say how it was contained before marking it "
                                     f"{IncidentStatus(self.status).label.lower()}.")
        if self.status == IncidentStatus.CLOSED:
            if self.reporting_needed and self.reported_at is None:
                errors["reported_at"] = (f"An incident cannot close while the report to "
                                         f"{self.report_to or 'the authority'} is outstanding.")
            if self.communication_needed and self.communicated_at is None:
                errors["communicated_at"] = ("An incident cannot close while the affected "
                                             "parties have not been told.")
        if bool(self.subject_kind) != bool(self.subject_id):
            errors["subject_id"] = "Give both the kind of the origin record and its id, or neither."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------- nonconformities


class NcSource(models.TextChoices):
    AUDIT_FINDING = "audit_finding", "Audit finding"
    INCIDENT = "incident", "Incident"
    MONITORING = "monitoring", "Monitoring result"
    COMPLAINT = "complaint", "Complaint"
    MANAGEMENT_REVIEW = "management_review", "Management review"
    EXTERNAL_AUDIT = "external_audit", "Certification body audit"
    OTHER = "other", "Other"


class NcSeverity(models.TextChoices):
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"


class NcStatus(models.TextChoices):
    """Derived (see selectors): never stored."""

    OPEN = "open", "Open"
    ACTION_PLANNED = "action_planned", "Action planned"
    VERIFYING = "verifying", "Verifying effectiveness"
    CLOSED = "closed", "Closed"


class RcaMethod(models.TextChoices):
    FIVE_WHYS = "five_whys", "Five whys"
    FREE_TEXT = "free_text", "Free text"


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", "Effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"


class Nonconformity(TenantModel, SubjectFields):
    """A requirement not met: its correction, causes, corrective actions and the check that
    they worked."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200, help_text="The nonconformity in a few words.")
    source = models.CharField(max_length=20, choices=NcSource.choices,
                              help_text="Where it was found.")
    requirement = models.ForeignKey(
        "catalog.Requirement", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name="requirement affected",
        help_text="The clause or Annex A control that is not met, when one is.")
    description = models.TextField(
        help_text="What is wrong, where it was seen and what shows it (the facts, not yet "
                  "the causes).")
    severity = models.CharField(
        max_length=10, choices=NcSeverity.choices, default=NcSeverity.MINOR,
        help_text="Major when a requirement is not met at all or the AIMS cannot achieve its "
                  "intended results; minor for an isolated lapse.")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", editable=False)
    raised_on = models.DateField(default=timezone.localdate,
                                 help_text="When it was raised; ageing counts from this day.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who sees it through to closure.")
    correction = models.TextField(
        blank=True, verbose_name="correction taken",
        help_text="What was done straight away to fix the instance found (not its causes).")
    corrected_on = models.DateField(null=True, blank=True, verbose_name="corrected on")
    rca_method = models.CharField(max_length=10, choices=RcaMethod.choices, blank=True,
                                  verbose_name="root-cause method")
    whys = models.JSONField(default=list, blank=True, verbose_name="five whys",
                            help_text="Up to five answers, each asking why the one before "
                                      "happened.")
    analysis = models.TextField(blank=True, verbose_name="analysis",
                                help_text="The root-cause analysis in your own words.")
    root_cause = models.TextField(
        blank=True, verbose_name="root cause",
        help_text="The cause that, removed, stops it happening again. Needed to close.")
    # The latest effectiveness verification; earlier ones are in the activity log.
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    editable=False)
    verified_on = models.DateField(null=True, blank=True, editable=False)
    verification_result = models.CharField(max_length=15, choices=Effectiveness.choices,
                                           blank=True, editable=False)
    verification_notes = models.TextField(blank=True, editable=False)
    verification_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="nonconformity_unique_number"),
        ]
        indexes = [models.Index(fields=["org", "subject_kind", "subject_id"])]
        ordering = ["-number"]
        verbose_name = "nonconformity"
        verbose_name_plural = "nonconformities"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def days_open(self, today: datetime.date | None = None) -> int:
        end = timezone.localtime(self.closed_at).date() if self.closed_at else \
            (today or timezone.localdate())
        return max((end - self.raised_on).days, 0) if self.raised_on else 0

    def clean(self) -> None:
        errors: dict[str, str] = {}
        whys = self.whys
        if not isinstance(whys, list) or not all(isinstance(w, str) for w in whys):
            errors["whys"] = "Give the whys as a list of answers, in order."
        elif len(whys) > MAX_WHYS:
            errors["whys"] = f"Give at most {MAX_WHYS} whys."
        elif self.whys and [w for w in whys if not w.strip()]:
            errors["whys"] = "Leave out empty answers: each why needs an answer."
        elif whys and self.rca_method != RcaMethod.FIVE_WHYS:
            errors["whys"] = "Whys belong to the five-whys method: choose it, or clear them."
        if self.raised_on and self.raised_on > timezone.localdate():
            errors["raised_on"] = "A nonconformity cannot be raised in the future."
        if self.corrected_on and not self.correction.strip():
            errors["correction"] = "Say what the correction was."
        if self.corrected_on and self.corrected_on > timezone.localdate():
            errors["corrected_on"] = "Record a correction once it has been made, not ahead."
        if bool(self.subject_kind) != bool(self.subject_id):
            errors["subject_id"] = "Give both the kind of the origin record and its id, or neither."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------- improvement


class ImprovementSource(models.TextChoices):
    AUDIT = "audit", "Audit"
    MANAGEMENT_REVIEW = "management_review", "Management review"
    MONITORING = "monitoring", "Monitoring"
    NONCONFORMITY = "nonconformity", "Nonconformity"
    EXTERNAL_AUDIT = "external_audit", "Certification body audit"
    SUGGESTION = "suggestion", "Suggestion"
    OTHER = "other", "Other"


class ImprovementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    REJECTED = "rejected", "Rejected"


class Improvement(TenantModel, SubjectFields):
    """An opportunity to make the AIMS or an AI system better (10.1)."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200, help_text="The idea in a few words.")
    description = models.TextField(blank=True, help_text="What could be done, and where.")
    source = models.CharField(max_length=20, choices=ImprovementSource.choices,
                              default=ImprovementSource.SUGGESTION,
                              help_text="Where the idea came from.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who takes it forward.")
    status = models.CharField(max_length=12, choices=ImprovementStatus.choices,
                              default=ImprovementStatus.PROPOSED)
    benefit = models.TextField(blank=True, help_text="What it would improve, and for whom.")
    target_date = models.DateField(null=True, blank=True,
                                   help_text="When it should be in place.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="improvement_unique_number"),
        ]
        indexes = [models.Index(fields=["org", "subject_kind", "subject_id"])]
        ordering = ["-number"]
        verbose_name = "improvement opportunity"
        verbose_name_plural = "improvement opportunities"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def clean(self) -> None:
        if bool(self.subject_kind) != bool(self.subject_id):
            raise ValidationError({"subject_id": "Give both the kind of the origin record and "
                                                 "its id, or neither."})
