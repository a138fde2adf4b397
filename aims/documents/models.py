"""Documented information (7.5, 5.2, A.2): controlled documents and their versions.

A document is the lasting record (reference, title, kind, owner, review cycle, the
requirements it satisfies); its text lives in numbered versions. A version is written as a
draft, reviewed, approved by a second person and then never changes again: the next change
is a new version, and approving it supersedes the one before.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from aims.core.models import TenantModel
from aims.records.approval import Approvable

# Days before the review date from which a document counts as "review due soon".
REVIEW_SOON_DAYS = 30
MAX_REVIEW_INTERVAL_MONTHS = 60


class DocumentKind(models.TextChoices):
    AI_POLICY = "ai_policy", "AI policy"
    TOPIC_POLICY = "topic_policy", "Topic-specific policy"
    PROCEDURE = "procedure", "Procedure"
    METHODOLOGY = "methodology", "Methodology"
    SCOPE = "scope", "Scope"
    RECORD = "record", "Record"
    OTHER = "other", "Other"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


# Work in progress: at most one per document, so nobody wonders which draft counts.
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)
# Versions that were approved once: their content never changes again.
SETTLED_STATUSES = (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)


class Document(TenantModel):
    """One controlled document: what it is, who owns it, when it is next reviewed."""

    responsible_fields = ("owner",)

    number = models.PositiveIntegerField(editable=False)
    ref = models.CharField(max_length=12, editable=False, verbose_name="reference")
    title = models.CharField(max_length=200,
                             help_text="The name people know the document by.")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices,
                            default=DocumentKind.PROCEDURE,
                            help_text="What sort of document it is.")
    description = models.TextField(
        blank=True, verbose_name="purpose",
        help_text="Optional: what the document is for and who should read it.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              help_text="The member who keeps the document up to date.")
    review_interval_months = models.PositiveSmallIntegerField(
        default=12, verbose_name="review interval (months)",
        help_text="How often the document must be looked at again after an approval.")
    next_review_date = models.DateField(
        null=True, blank=True, editable=False, verbose_name="next review due",
        help_text="The last approval date plus the review interval.")
    requirements = models.ManyToManyField(
        "catalog.Requirement", blank=True, related_name="+",
        limit_choices_to={"framework__code": "iso42001"},
        verbose_name="requirements satisfied",
        help_text="The ISO/IEC 42001 clauses and Annex A controls this document helps meet.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="document_unique_number"),
        ]
        ordering = ["number"]
        verbose_name = "document"

    def __str__(self) -> str:
        return f"{self.ref} {self.title}" if self.ref else self.title

    def clean(self) -> None:
        if not 1 <= (self.review_interval_months or 0) <= MAX_REVIEW_INTERVAL_MONTHS:
            raise ValidationError({"review_interval_months": (
                f"Give a whole number of months from 1 to {MAX_REVIEW_INTERVAL_MONTHS}.")})

    @property
    def review_overdue(self) -> bool:
        return self.next_review_date is not None and self.next_review_date < timezone.localdate()

    @property
    def review_due_soon(self) -> bool:
        today = timezone.localdate()
        return (self.next_review_date is not None and today <= self.next_review_date
                <= today + datetime.timedelta(days=REVIEW_SOON_DAYS))


class DocumentVersion(Approvable, TenantModel):
    """One version of a document: Markdown text or an uploaded file, and its approval.

    Only a draft changes. Once approved a version is the record of what was agreed: the only
    later change is being superseded by the next approved version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(
        verbose_name="version", help_text="1 for the first version, then one more each time.")
    content = models.TextField(
        blank=True, help_text="The document's text in Markdown (headings with #, lists with -, "
                              "**bold**). Leave empty when you upload a file instead.")
    blob = models.ForeignKey("evidence.Blob", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", editable=False)
    file_name = models.CharField(max_length=255, blank=True, editable=False,
                                 help_text="The uploaded file's name, cleaned; used for download.")
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    change_summary = models.TextField(
        blank=True, verbose_name="what changed",
        help_text="A sentence or two on what is new in this version and why.")
    status = models.CharField(max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # Everyone who wrote this version since it was last sent back: none may approve it.
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                          verbose_name="edited by")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True,
                                        verbose_name="submitted for review")
    review_comment = models.TextField(
        blank=True, verbose_name="reviewer's comment",
        help_text="The reviewer's note with the last decision: what to fix, or remarks that "
                  "go with the approval.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When the approval was recorded.")
    approved_on = models.DateField(null=True, blank=True,
                                   help_text="The day the approver signed it off.")
    effective_from = models.DateField(
        null=True, blank=True, verbose_name="in force from",
        help_text="The day the version takes effect: the approval date, or a later one.")
    superseded_at = models.DateField(
        null=True, blank=True, verbose_name="superseded from",
        help_text="The day the next approved version took effect.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "number"],
                                    name="document_version_unique_number"),
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(status__in=["draft", "in_review"]),
                name="document_version_one_open"),
        ]
        ordering = ["-number"]
        verbose_name = "document version"

    def __str__(self) -> str:
        ref = self.document.ref if self.document_id else "document"
        return f"{ref} v{self.number}"

    def clean(self) -> None:
        if self.content.strip() and self.blob_id:
            raise ValidationError({"content": (
                "A version is either Markdown text or an uploaded file, not both: clear the "
                "text or remove the file.")})
        if (self.effective_from and self.approved_on
                and self.effective_from < self.approved_on):
            raise ValidationError({"effective_from": (
                "A version cannot take effect before it was approved.")})

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES

    @property
    def is_file(self) -> bool:
        return self.blob_id is not None

    def in_force_on(self, day: datetime.date) -> bool:
        """Whether this version was the one in force on `day`."""
        return (self.is_settled and self.effective_from is not None
                and self.effective_from <= day
                and (self.superseded_at is None or day < self.superseded_at))

    @property
    def status_tone(self) -> str:
        tones: dict[str, str] = {VersionStatus.APPROVED: "ok", VersionStatus.IN_REVIEW: "warn",
                                 VersionStatus.SUPERSEDED: "muted"}
        return tones.get(self.status, "")
