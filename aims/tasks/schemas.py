import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, PatchSchema, patch_of
from aims.tasks.models import Priority, RecurrenceUnit, TaskKind, TaskStatus

TITLE = Field(min_length=1, max_length=200)
EVERY = Field(None, ge=1, le=365, description="Repeat every this many days, weeks or months "
                                              "(1–365); with recurrence_unit.")


class TaskIn(InSchema):
    title: str = TITLE
    description: str = ""
    kind: TaskKind = TaskKind.OTHER
    priority: Priority = Priority.NORMAL
    owner: uuid.UUID | None = Field(None, description="A member's user id. An evidence "
                                                      "request's owner must be able to add "
                                                      "evidence.")
    due_date: datetime.date | None = None
    recurrence_every: int | None = EVERY
    recurrence_unit: RecurrenceUnit | None = None
    subject_kind: str | None = Field(None, max_length=40,
                                     description="The kind of record the task is about "
                                                 "(compliance_item, risk, ai_system, …).")
    subject_id: uuid.UUID | None = None


# What a task is about is fixed when it is created; a status is set only on a PATCH (new work
# starts open).
@patch_of(TaskIn, exclude=("subject_kind", "subject_id"))
class TaskPatch(PatchSchema):
    status: TaskStatus | None = Field(None, description="open, in_progress or cancelled (also "
                                                        "to reopen); complete with POST "
                                                        "…/complete instead of status done.")


class TaskCompleteIn(InSchema):
    version: int = Field(description="The version you read; a stale one gets 409.")
    note: str = Field("", max_length=5000, description="What was done (optional).")


class TaskAnswerIn(InSchema):
    """The evidence that answers an evidence request. Send multipart/form-data with a `file`
    part for a file, or JSON (or a form) for a link or a note."""

    version: int = Field(description="The request's version you read; a stale one gets 409.")
    kind: str = Field("", pattern="^(|file|link|note)$",
                      description="file, link or note; by default a file when one is sent, "
                                  "else a link when a url is given, else a note.")
    title: str = Field("", max_length=200, description="Defaults to the request's title.")
    description: str = ""
    url: str = Field("", max_length=2000)
    note: str = ""
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    valid_until: datetime.date | None = None
    completion_note: str = Field("", max_length=5000)


class TaskOut(Schema):
    id: uuid.UUID
    ref: str
    number: int
    title: str
    description: str
    kind: str
    status: str
    priority: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    due_date: datetime.date | None
    overdue: bool
    recurrence_every: int | None
    recurrence_unit: str
    subject_kind: str
    subject_id: uuid.UUID | None
    previous: uuid.UUID | None = Field(None, alias="previous_id")
    completed_at: datetime.datetime | None
    completed_by: uuid.UUID | None = Field(None, alias="completed_by_id")
    completion_note: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None


class TaskAnswerOut(Schema):
    task: TaskOut
    evidence_id: uuid.UUID
    evidence_ref: str
