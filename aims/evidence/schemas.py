import datetime
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, PatchSchema, patch_of
from aims.evidence.models import EvidenceKind, Freshness
from aims.evidence.selectors import SORTS


class EvidenceIn(InSchema):
    """The form fields of a multipart upload (the file, if any, is the `file` part)."""

    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    kind: EvidenceKind | None = Field(
        None, description="file, link or note; left out, it follows from what is sent "
                          "(a file part, a url, else a note).")
    url: str = Field("", max_length=2000, description="For a link: where the evidence lives.")
    note: str = Field("", description="For a note: what was observed, by whom, and where.")
    effective_from: datetime.date | None = Field(None, description="First day it covers.")
    effective_to: datetime.date | None = Field(None, description="Last day it covers.")
    valid_until: datetime.date | None = Field(None, description="When it goes stale.")
    owner: uuid.UUID | None = None
    source: str = Field("", max_length=200)
    subject_kind: str = Field("", description="Optionally, the kind of record it supports "
                                              "(compliance_item, risk, ai_system…).")
    subject_id: uuid.UUID | None = Field(None, description="…and that record's id.")

    def service_data(self) -> dict:
        data = self.dict(exclude={"subject_kind", "subject_id"})
        if data["kind"] is None:
            data.pop("kind")
        return data


# What is said about evidence changes; what it is (its kind and content) and what it was first
# linked to do not: links have their own routes.
@patch_of(EvidenceIn, exclude=("kind", "subject_kind", "subject_id"))
class EvidencePatch(PatchSchema):
    pass


class LinkIn(InSchema):
    subject_kind: str = Field(min_length=1, max_length=40,
                              description="compliance_item, risk, ai_system, …")
    subject_id: uuid.UUID


class LinkedOut(Schema):
    subject_kind: str
    subject_id: uuid.UUID
    label: str
    title: str
    url: str = Field(description="The record's page in the web UI ('' once it was deleted).")


class EvidenceOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    description: str
    kind: str
    file_name: str
    content_type: str
    sha256: str | None = None
    size: int | None = None
    url: str
    note: str
    effective_from: datetime.date | None
    effective_to: datetime.date | None
    valid_until: datetime.date | None
    freshness: str = Field(description="current, expiring (within the window) or expired.")
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    source: str
    uploaded_by_email: str | None = None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_sha256(obj) -> str | None:
        return obj.blob.sha256 if obj.blob_id else None

    @staticmethod
    def resolve_size(obj) -> int | None:
        return obj.blob.size if obj.blob_id else None

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_uploaded_by_email(obj) -> str | None:
        return obj.uploaded_by.email if obj.uploaded_by_id else None


class EvidenceDetailOut(EvidenceOut):
    links: list[LinkedOut] = Field(default_factory=list, alias="linked",
                                   description="Every record this evidence supports.")


class LinkOut(Schema):
    evidence_id: uuid.UUID
    subject_kind: str
    subject_id: uuid.UUID
    created_at: datetime.datetime


class EvidenceQuery(Schema):
    q: str = Field("", max_length=200)
    kind: EvidenceKind | None = None
    freshness: Freshness | None = None
    owner: uuid.UUID | None = None
    linked_kind: str = Field("", max_length=40, description="Only evidence supporting at least "
                                                             "one record of this kind.")
    linked_id: uuid.UUID | None = Field(None, description="With linked_kind: only the evidence "
                                                          "supporting this one record.")
    covers_from: datetime.date | None = Field(None, description="The period it covers overlaps "
                                                                 "covers_from…covers_to.")
    covers_to: datetime.date | None = None
    sort: Literal[tuple(SORTS)] = "newest"  # type: ignore[valid-type]
