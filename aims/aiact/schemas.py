import datetime
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aims.aiact.models import ObligationStatus
from aims.core.api import InSchema, PatchSchema


class ClassificationIn(InSchema):
    answers: dict[str, Any] = Field(
        description="{question id: answer}. One-choice questions take a choice id, "
                    "tick-any questions a list of choice ids (empty for none). Answers to "
                    "questions the legal path does not reach are dropped; a missing or invalid "
                    "answer is refused naming the question (`answers.<id>`).")
    version: int = Field(ge=0, description="The classification version you read (0 before "
                                           "the first); a newer one saved since gives 409.")


class TraceStep(Schema):
    step: str
    question_id: str
    question: str
    answer: str | list[str]
    article: str
    outcome: str


class QuestionOut(Schema):
    id: str
    text: str
    help: str
    article: str
    kind: str
    choices: list[list[str]]
    link: str


class ClassificationOut(Schema):
    ai_system: uuid.UUID
    version: int = Field(description="0 before the first classification.")
    answers: dict[str, Any]
    class_: str | None = Field(alias="class", description="out_of_scope, prohibited, high, "
                                                          "limited or minimal; null before "
                                                          "the first classification.")
    trace: list[TraceStep]
    saved_by: str | None
    saved_at: datetime.datetime | None
    needs_review: bool = Field(description="A significant change was recorded since.")
    review_reason: str
    eu_risk_class: str = Field(description="The class on the AI system record.")
    eu_class_overridden: bool
    questions: list[QuestionOut] = Field(
        description="The questions the current answers reach, in the order of the legal path.")
    legal_note: str


class ClassificationVersionOut(Schema):
    version: int
    class_: str = Field(alias="class")
    answers: dict[str, Any]
    trace: list[TraceStep]
    saved_by: str | None
    saved_at: datetime.datetime


class FriaOut(Schema):
    state: str = Field(description="missing, incomplete or complete: whether the system has an "
                                   "impact assessment marked as a fundamental rights impact "
                                   "assessment (Art. 27) with its FRIA sections filled in.")
    assessment: uuid.UUID | None
    missing: list[str] = Field(description="The FRIA sections still empty.")
    notified_on: datetime.date | None = Field(description="When the authority was notified.")


class ObligationOut(Schema):
    id: uuid.UUID = Field(description="The obligation item's id: link evidence or a task to it "
                                      "with subject_kind `aiact_obligation` and this id.")
    ai_system: uuid.UUID
    ai_system_name: str
    system_class: str
    ref: str
    title: str
    role: str
    duty: str
    applies_from: datetime.date
    timeline_key: str
    timeline_label: str
    in_force: bool
    days_left: int = Field(description="Days until it applies; 0 once it does.")
    applies: bool = Field(description="False once a later classification no longer brings it "
                                      "(kept as history; listed with include_ended=true).")
    ended_on: datetime.date | None
    status: str = Field(description="not_started, in_progress, met or not_applicable.")
    status_reason: str = Field(description="Why it does not apply (for not_applicable).")
    owner: uuid.UUID | None
    owner_email: str | None
    notes: str
    last_reviewed: datetime.date | None
    evidence_count: int
    overdue: bool = Field(description="It applies, its date has passed and it is not met.")
    fria: FriaOut | None = Field(description="For Art. 27: the system's fundamental rights "
                                             "impact assessment.")
    item_status: str | None = Field(description="The obligation's status (as `status`).")
    item_owner: str | None = Field(description="The owner's e-mail (as `owner_email`).")
    version: int


class ObligationPatch(PatchSchema):
    """Changes to one obligation: the fields to change and the version you read."""

    status: ObligationStatus | None = None
    status_reason: str | None = None
    owner: uuid.UUID | None = None
    notes: str | None = None
    last_reviewed: datetime.date | None = None
