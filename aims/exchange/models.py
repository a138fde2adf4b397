"""Imports of registers from spreadsheets: each one previewed or applied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from aims.core.models import TenantModel


class ImportState(models.TextChoices):
    CHECKING = "checking", "Being checked"
    PREVIEWED = "previewed", "Previewed, waiting for confirmation"
    IMPORTING = "importing", "Being imported"
    IMPORTED = "imported", "Imported"
    REFUSED = "refused", "Refused: nothing imported"


class ImportRun(TenantModel):
    """One spreadsheet brought into a register. Until it is confirmed, the uploaded file is
    kept here (in the database, so it goes and comes with the rows it explains) under this
    row's id, for its organisation and uploader only, until `expires_at`; the confirmation
    imports exactly that file, and only if its diff is still the one previewed (`digest`).
    Once imported or refused the file is dropped and the report kept."""

    kind = models.CharField(max_length=32)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    content = models.BinaryField(default=b"", editable=False)
    state = models.CharField(max_length=16, choices=ImportState.choices,
                             default=ImportState.PREVIEWED)
    rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    refused_count = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True, default="")
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    job_id = models.UUIDField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "-created_at"], name="importrun_org_recent")]
        constraints = [models.CheckConstraint(
            condition=Q(state__in=list(ImportState.values)), name="importrun_state_known")]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.kind})"
