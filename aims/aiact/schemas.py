import datetime
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema


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


class ObligationOut(Schema):
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
    item_status: str | None = Field(description="The EU AI Act item's implementation status.")
    item_owner: str | None
