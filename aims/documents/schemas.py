import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.catalog.schemas import RequirementRef
from aims.core.api import InSchema, PatchSchema, patch_of
from aims.documents.models import DocumentKind
from aims.records import approval


class DocumentIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    kind: DocumentKind
    description: str = ""
    owner: uuid.UUID | None = None
    review_interval_months: int = Field(12, ge=1, le=60)
    requirements: list[str] = Field(
        default_factory=list,
        description="ISO/IEC 42001 references the document satisfies, e.g. [\"5.2\", \"A.2.2\"]; "
                    "defaults to the template's.")
    template: str | None = Field(
        None, description="Start version 1 from a shipped template: ai_policy, "
                          "ai_risk_methodology, ai_impact_procedure, ai_lifecycle_procedure.")
    content: str = Field("", description="Version 1's Markdown (overrides the template's).")
    change_summary: str = ""


# Version 1's text is set on creation; later text goes into new versions.
@patch_of(DocumentIn, exclude=("template", "content", "change_summary"))
class DocumentPatch(PatchSchema):
    requirements: list[str] | None = Field(None, description="ISO/IEC 42001 references the "
                                                             "document satisfies (replaces the "
                                                             "list).")


class VersionSummary(Schema):
    id: uuid.UUID
    number: int
    status: str


class DocumentOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    kind: str
    description: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_name: str | None = None
    review_interval_months: int
    next_review_date: datetime.date | None
    review_overdue: bool
    approved_number: int | None = Field(
        None, description="The latest approved version (it may take effect later).")
    open_number: int | None = Field(None, description="The version in draft or review.")
    open_status: str | None = None
    requirements: list[RequirementRef] = Field(
        default_factory=list, description="Only on single documents; empty in lists.")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_name(obj) -> str | None:
        return obj.owner.display_name if obj.owner_id else None

    @staticmethod
    def resolve_requirements(obj) -> list:
        # Lists do not fetch the links (a bounded number of queries); single reads do.
        cache = getattr(obj, "_prefetched_objects_cache", {})
        return list(cache["requirements"]) if "requirements" in cache else []

    @staticmethod
    def resolve_approved_number(obj):
        return getattr(obj, "approved_number", None)

    @staticmethod
    def resolve_open_number(obj):
        return getattr(obj, "open_number", None)

    @staticmethod
    def resolve_open_status(obj):
        return getattr(obj, "open_status", None)


class DocumentVersionIn(InSchema):
    content: str | None = Field(
        None, description="Markdown; omitted: a copy of the version in force.")
    change_summary: str = Field(min_length=1,
                                description="What this version will change, and why.")


class DocumentVersionPatch(PatchSchema):
    """Changes to a draft: unlike a new version's, its change summary may be emptied."""

    content: str | None = None
    change_summary: str | None = None
    remove_file: bool | None = Field(None, description="Drop the uploaded file.")


class DocumentVersionOut(Schema):
    id: uuid.UUID
    document: uuid.UUID = Field(alias="document_id")
    document_ref: str
    number: int
    status: str
    content: str
    file_name: str
    file_sha256: str | None = None
    change_summary: str
    author: uuid.UUID | None = Field(None, alias="author_id")
    submitted_by: uuid.UUID | None = Field(None, alias="submitted_by_id")
    submitted_at: datetime.datetime | None
    review_comment: str
    reviewed_by: uuid.UUID | None = Field(None, alias="reviewed_by_id")
    reviewed_at: datetime.datetime | None
    approved_by: uuid.UUID | None = Field(None, alias="approved_by_id")
    approved_by_name: str | None = None
    approved_at: datetime.datetime | None
    approved_on: datetime.date | None
    recorded_later_on: datetime.date | None = Field(
        None, description="When the approval was entered on a later day than approved_on (a "
                          "past sign-off recorded afterwards): that day; reviewed_by entered it.")
    effective_from: datetime.date | None
    superseded_at: datetime.date | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_document_ref(obj) -> str:
        return obj.document.ref

    @staticmethod
    def resolve_file_sha256(obj) -> str | None:
        return obj.blob.sha256 if obj.blob_id else None

    @staticmethod
    def resolve_approved_by_name(obj) -> str | None:
        return obj.approved_by.display_name if obj.approved_by_id else None


class DocumentApproveIn(approval.ApproveIn):
    effective_from: datetime.date | None = Field(
        None, description="When the version takes effect; defaults to the approval date, may "
                          "be later, never earlier.")


class DiffOut(Schema):
    old: int = Field(description="The older version's number.")
    new: int
    changed: bool
    diff: str = Field(description="A unified diff of the two versions' text.")
