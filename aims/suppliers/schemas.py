import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, PatchSchema, patch_of
from aims.inventory.schemas import LinkedSystemOut
from aims.suppliers.models import (
    REVIEW_INTERVALS,
    AnswerStatus,
    Criticality,
    PartyKind,
    PartyStatus,
    Responsible,
    SupplierRating,
    Supplies,
    Topic,
)

INTERVAL_HELP = ("Months between reviews: one of "
                 f"{', '.join(str(m) for m, _ in REVIEW_INTERVALS)}.")


class SupplierIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: PartyKind = PartyKind.SUPPLIER
    contact: str = ""
    website: str = Field("", max_length=500)
    supplies: list[Supplies] = Field(default_factory=list)
    description: str = ""
    ai_systems: list[uuid.UUID] = Field(default_factory=list)
    criticality: Criticality = Criticality.MEDIUM
    owner: uuid.UUID | None = None
    status: PartyStatus = PartyStatus.ACTIVE
    review_interval_months: int = Field(12, description=INTERVAL_HELP)


SupplierPatch = patch_of(SupplierIn, "SupplierPatch")


class SupplierOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    contact: str
    website: str
    supplies: list[str]
    description: str
    ai_systems: list[LinkedSystemOut]
    criticality: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    status: str
    rating: str = Field(description="low, medium or high risk, set by the latest review; empty "
                                    "before the first.")
    review_interval_months: int
    last_review_date: datetime.date | None
    next_review_date: datetime.date | None
    review_state: str = Field(description="never, overdue, due_soon, current, or exited.")
    overdue: bool = Field(description="True when the next review date has passed (not for "
                                      "exited parties).")
    concerns: int = Field(description="Checklist questions answered with a concern.")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_ai_systems(obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.ai_systems.all()]

    @staticmethod
    def resolve_concerns(obj) -> int:
        return getattr(obj, "concern_count", 0)


class ChecklistItemOut(Schema):
    item: str
    title: str
    question: str
    why: str
    status: str = Field(description="satisfactory, concern, not_provided, not_applicable; "
                                    "empty while unanswered.")
    notes: str
    source: str
    answered_by_email: str | None
    updated_at: datetime.datetime | None
    version: int = Field(description="The answer's version; 0 while unanswered (send 0 to give "
                                     "the first answer).")


class AnswerPatch(PatchSchema):
    version: int = Field(description="The answer's version you read; 0 for the first answer.")
    status: AnswerStatus | None = None
    notes: str | None = None
    source: str | None = Field(None, max_length=300)


class AnswerOut(Schema):
    id: uuid.UUID
    supplier: uuid.UUID = Field(alias="supplier_id")
    item: str
    status: str
    notes: str
    source: str
    answered_by: uuid.UUID | None = Field(None, alias="answered_by_id")
    version: int
    updated_at: datetime.datetime


class ReviewAnswerIn(InSchema):
    item: str
    version: int = Field(description="The answer's version you read; 0 for the first answer.")
    status: AnswerStatus | None = None
    notes: str = ""
    source: str = Field("", max_length=300)


class SupplierReviewIn(InSchema):
    version: int = Field(description="The party's version you read; a stale one gets 409.")
    reviewed_on: datetime.date | None = Field(None, description="Defaults to today.")
    rating: SupplierRating
    summary: str = Field(min_length=1)
    answers: list[ReviewAnswerIn] = Field(
        default_factory=list, description="Answers to record with the review (optional: the "
                                          "checklist may be complete already).")


class SnapshotAnswer(Schema):
    item: str
    title: str
    status: str
    notes: str
    source: str


class SupplierReviewOut(Schema):
    id: uuid.UUID
    supplier: uuid.UUID = Field(alias="supplier_id")
    reviewed_on: datetime.date
    reviewer: uuid.UUID | None = Field(None, alias="reviewer_id")
    reviewer_email: str | None = None
    rating: str
    summary: str
    answers: list[SnapshotAnswer]
    next_review_date: datetime.date | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_reviewer_email(obj) -> str | None:
        return obj.reviewer.email if obj.reviewer_id else None


class ResponsibilityIn(InSchema):
    topic: Topic
    activity: str = Field("", max_length=200)
    responsible: Responsible
    note: str = ""


ResponsibilityPatch = patch_of(ResponsibilityIn, "ResponsibilityPatch")


class ResponsibilityOut(Schema):
    id: uuid.UUID
    supplier: uuid.UUID = Field(alias="supplier_id")
    topic: str
    activity: str
    responsible: str
    note: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
