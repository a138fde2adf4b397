import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, VersionIn, patch_of
from aims.reviews.models import DecisionKind


class ReviewIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    meeting_date: datetime.date
    period_start: datetime.date | None = None
    chair: uuid.UUID | None = None
    attendees: list[uuid.UUID] = Field(default_factory=list)
    other_attendees: str = ""
    location: str = Field("", max_length=200)
    conclusions: str = ""


ReviewPatch = patch_of(ReviewIn, "ReviewPatch")


class InputRow(Schema):
    label: str
    detail: str = ""
    url: str = ""
    flag: str = ""


class AgendaItemOut(Schema):
    id: uuid.UUID
    key: str
    position: int
    title: str
    summary: str
    rows: list[InputRow]
    minutes: str
    version: int

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.inputs.get("summary", "")

    @staticmethod
    def resolve_rows(obj) -> list[dict]:
        return obj.inputs.get("rows", [])


class DecisionOut(Schema):
    id: uuid.UUID
    kind: str
    text: str
    task: uuid.UUID | None = Field(None, alias="task_id")
    task_ref: str | None = None
    task_status: str | None = None
    version: int

    @staticmethod
    def resolve_task_ref(obj) -> str | None:
        return obj.task.ref if obj.task_id else None

    @staticmethod
    def resolve_task_status(obj) -> str | None:
        return obj.task.status if obj.task_id else None


class ReviewOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    meeting_date: datetime.date
    period_start: datetime.date | None
    chair: uuid.UUID | None = Field(None, alias="chair_id")
    attendees: list[uuid.UUID]
    other_attendees: str
    location: str
    status: str
    conclusions: str
    held_at: datetime.datetime | None
    decision_count: int = 0
    action_count: int = 0
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_attendees(obj) -> list[uuid.UUID]:
        return [u.pk for u in obj.attendees.all()]


class ReviewDetailOut(ReviewOut):
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_agenda(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_decisions(obj):
        return list(obj.decisions.all())


class MinutesIn(VersionIn):
    minutes: str


class DecisionIn(InSchema):
    kind: DecisionKind = DecisionKind.OTHER
    text: str = Field(min_length=1)
    action: str = Field("", max_length=200, description="The action's title, if it needs one.")
    owner: uuid.UUID | None = Field(None, description="Who carries the action out.")
    due_date: datetime.date | None = None
