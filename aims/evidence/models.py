"""Evidence: files (content-addressed), links and notes, and what each one supports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel
from aims.records.kinds import Linked, SubjectFields


class Blob(TenantModel):
    """The bytes of one uploaded file, stored once per organisation under their SHA-256."""

    sha256 = models.CharField(max_length=64, verbose_name="SHA-256")
    size = models.PositiveBigIntegerField(help_text="Size in bytes.")
    name = models.CharField(max_length=300, help_text="Where the storage keeps it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "sha256"], name="blob_unique_hash_per_org"),
        ]

    def __str__(self) -> str:
        return f"sha256:{self.sha256[:12]}… ({self.size} bytes)"


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"
    NOTE = "note", "Note"


class Freshness(models.TextChoices):
    CURRENT = "current", "Current"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"


def expiring_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.AIMS_EVIDENCE_EXPIRING_DAYS)


class Evidence(TenantModel):
    """One piece of evidence. Its content never changes: a newer file is new evidence."""

    responsible_fields = ("owner",)
    # What each link points at: set by selectors.with_linked on the items it returns.
    linked: list[Linked]

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200,
                             help_text="What it is, as an auditor would ask for it.")
    description = models.TextField(blank=True,
                                   help_text="What it shows and how it was produced.")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices,
                            default=EvidenceKind.FILE)
    blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", editable=False)
    file_name = models.CharField(max_length=255, blank=True, editable=False,
                                 help_text="The uploaded file's name, cleaned; used for download.")
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    url = models.URLField(max_length=2000, blank=True, verbose_name="link",
                          help_text="For a link: where the evidence lives (ticket, dashboard, "
                                    "repository, shared drive).")
    note = models.TextField(blank=True,
                            help_text="For a note: what was observed, by whom, and where.")
    effective_from = models.DateField(
        null=True, blank=True, verbose_name="covers from",
        help_text="First day of the period the evidence is about (not the upload date), so "
                  "it lands in the right audit period.")
    effective_to = models.DateField(null=True, blank=True, verbose_name="covers to",
                                    help_text="Last day of the period it is about.")
    valid_until = models.DateField(
        null=True, blank=True,
        help_text="When it goes stale and must be replaced (e.g. a yearly access review). "
                  "Leave empty when it does not expire.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who keeps it current.")
    source = models.CharField(max_length=200, blank=True,
                              help_text="Where it came from: a system, report, team or person.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="evidence_unique_number"),
        ]
        # Lapsed evidence by day, answered from the index alone (the readiness coverage of
        # controls reads it over the whole register).
        indexes = [models.Index(fields=["org", "valid_until", "id"], name="evidence_validity")]
        ordering = ["-number"]
        verbose_name = "evidence"
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == EvidenceKind.FILE and not self.blob_id:
            errors["file"] = "File evidence needs a file."
        if self.kind == EvidenceKind.LINK and not self.url:
            errors["url"] = "Link evidence needs the address it points to."
        if self.kind == EvidenceKind.NOTE and not self.note.strip():
            errors["note"] = "Note evidence needs the note itself."
        if (self.effective_from and self.effective_to
                and self.effective_to < self.effective_from):
            errors["effective_to"] = "The period cannot end before it starts."
        if errors:
            raise ValidationError(errors)

    def freshness_on(self, day: datetime.date) -> str:
        if self.valid_until is None:
            return Freshness.CURRENT
        if self.valid_until < day:
            return Freshness.EXPIRED
        if self.valid_until <= day + expiring_window():
            return Freshness.EXPIRING
        return Freshness.CURRENT

    @property
    def freshness(self) -> str:
        return self.freshness_on(timezone.localdate())

    @property
    def freshness_label(self) -> str:
        return Freshness(self.freshness).label


class EvidenceLink(TenantModel, SubjectFields):
    """That one piece of evidence supports one record (a control, a risk, an AI system…)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "subject_kind", "subject_id"],
                                    name="evidence_link_unique"),
        ]
        # With the evidence last, counts per record are answered from the index alone.
        indexes = [models.Index(fields=["org", "subject_kind", "subject_id", "evidence"],
                                name="evidence_link_subject")]

    def __str__(self) -> str:
        return f"{self.evidence_id} → {self.subject_kind}:{self.subject_id}"
