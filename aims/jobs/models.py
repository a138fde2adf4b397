"""Background jobs: long work done by a worker, with its progress and its result file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from aims.core.models import TenantModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(TenantModel):
    """One run of a job kind (see aims.jobs.kinds) for one organisation.

    A worker claims a queued job (attempt + 1) and keeps `heartbeat_at` fresh while it runs;
    a job whose heartbeat stops (the worker died) is queued again or, after its last
    attempt, failed with the reason. `period` is set for scheduled work only: one job per
    organisation, kind and period, whatever the number of workers."""

    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    period = models.CharField(max_length=32, blank=True, default="")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True, default="")
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=2)
    worker = models.CharField(max_length=100, blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result_path = models.CharField(max_length=500, blank=True, default="")
    result_name = models.CharField(max_length=200, blank=True, default="")
    result_type = models.CharField(max_length=100, blank=True, default="")
    result_size = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "-created_at"], name="job_org_recent"),
                   models.Index(fields=["status", "heartbeat_at"], name="job_status_beat")]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "period"], condition=~Q(period=""),
                                    name="job_once_per_period"),
            models.CheckConstraint(condition=Q(status__in=list(JobStatus.values)),
                                   name="job_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return 100 if self.status == JobStatus.DONE else None
        return min(100, self.progress_done * 100 // self.progress_total)
