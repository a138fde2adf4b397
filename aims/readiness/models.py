"""What readiness keeps: saved evaluations (for the trend), the implementation plan's link
between findings and tasks, and the certification cycle with the certification body's
findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aims.core.models import TenantModel
from aims.records.kinds import SubjectFields


class SnapshotKind(models.TextChoices):
    DAILY = "daily", "Daily"
    MANUAL = "manual", "Saved by hand"


class Snapshot(TenantModel):
    """One evaluation as it came out: verdict, scores and findings, kept for the trend and
    for "what changed since"."""

    as_of = models.DateField(help_text="The day the record was judged as of.")
    kind = models.CharField(max_length=10, choices=SnapshotKind.choices,
                            default=SnapshotKind.MANUAL)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    verdict = models.CharField(max_length=10)  # set by the engine, never typed in
    score = models.PositiveSmallIntegerField()
    result = models.JSONField(help_text="The evaluation as the API gives it.")

    # How the activity log names the verdict (the engine's codes: ready, not_ready).
    log_choices = {"verdict": (("ready", "Ready"), ("not_ready", "Not ready"))}

    class Meta:
        constraints = [
            # The automatic snapshot is taken once a day at most.
            models.UniqueConstraint(fields=["org", "as_of"], condition=models.Q(kind="daily"),
                                    name="readiness_one_daily_snapshot"),
        ]
        ordering = ["-created_at"]
        verbose_name = "readiness snapshot"

    def __str__(self) -> str:
        return f"Readiness as of {self.as_of:%Y-%m-%d}: {self.score}"


class Plan(TenantModel):
    """The implementation plan toward a certification date (one per organisation)."""

    target_date = models.DateField(
        verbose_name="target certification date",
        help_text="When the organisation means to be certified: the plan's tasks fall due "
                  "before it.")
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org"], name="readiness_one_plan")]
        verbose_name = "implementation plan"

    def __str__(self) -> str:
        return f"Implementation plan to {self.target_date:%Y-%m-%d}"


class PlanStep(TenantModel):
    """One finding of the plan and the task that resolves it: regenerating the plan finds the
    step by the finding's key and never adds a second task for it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=200, help_text="The finding's rule and record.")
    rule = models.CharField(max_length=60)
    phase = models.CharField(max_length=20)
    task = models.ForeignKey("tasks.Task", null=True, on_delete=models.SET_NULL,
                             related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When the rule stopped finding it.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "key"],
                                               name="readiness_one_step_per_finding")]
        ordering = ["created_at"]
        verbose_name = "plan step"

    def __str__(self) -> str:
        return self.key


class CertificationStatus(models.TextChoices):
    PREPARING = "preparing", "Preparing"
    CERTIFIED = "certified", "Certified"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class Certification(TenantModel):
    """The organisation's ISO/IEC 42001 certification with one certification body."""

    body = models.CharField(max_length=200, verbose_name="certification body",
                            help_text="The accredited body that audits and certifies.")
    scope_certified = models.TextField(
        blank=True, verbose_name="scope certified",
        help_text="The scope as the certificate states it.")
    certificate_number = models.CharField(max_length=100, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True,
                                   help_text="Three years after issue, usually.")
    status = models.CharField(max_length=12, choices=CertificationStatus.choices,
                              default=CertificationStatus.PREPARING)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "certification"

    def __str__(self) -> str:
        return f"{self.body}{f' {self.certificate_number}' if self.certificate_number else ''}"


class AuditKind(models.TextChoices):
    STAGE1 = "stage1", "Stage 1"
    STAGE2 = "stage2", "Stage 2"
    SURVEILLANCE = "surveillance", "Surveillance"
    RECERTIFICATION = "recertification", "Recertification"


class ExternalAudit(TenantModel):
    """An audit by the certification body."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE,
                                      related_name="audits")
    kind = models.CharField(max_length=16, choices=AuditKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    lead_auditor = models.CharField(max_length=200, blank=True)
    outcome = models.TextField(blank=True,
                               help_text="The body's conclusion, e.g. recommended for "
                                         "certification.")

    class Meta:
        ordering = ["start_date"]
        verbose_name = "external audit"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} audit {self.start_date:%Y-%m-%d}"


class Grade(models.TextChoices):
    MAJOR = "major", "Major nonconformity"
    MINOR = "minor", "Minor nonconformity"
    OFI = "ofi", "Opportunity for improvement"


class ExternalFinding(TenantModel, SubjectFields):
    """A finding of the certification body; it raises a nonconformity or an improvement
    (the raised record is its subject)."""

    audit = models.ForeignKey(ExternalAudit, on_delete=models.CASCADE, related_name="findings")
    grade = models.CharField(max_length=8, choices=Grade.choices)
    refs = models.CharField(max_length=200, blank=True,
                            help_text="The clauses or controls it concerns, e.g. 6.1.4, A.5.2.")
    description = models.TextField(help_text="The finding as the body wrote it.")

    class Meta:
        ordering = ["created_at"]
        verbose_name = "certification body finding"

    def __str__(self) -> str:
        return f"{self.get_grade_display()}: {self.description[:60]}"

    @property
    def title(self) -> str:
        """What a nonconformity or improvement raised from it is called."""
        first = (self.description.strip().splitlines() or [""])[0]
        return f"Certification body: {first}"
