"""Tasks: the API."""

import json
import uuid

import pydantic
from django.http import HttpRequest
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.errors import ValidationError
from aims.core.paging import BoundedPagination
from aims.core.uploads import accepts_upload
from aims.orgs.api import ANY_MEMBER, OrgRequest, OrgRouter
from aims.tasks import selectors, services
from aims.tasks.schemas import (
    TaskAnswerIn,
    TaskAnswerOut,
    TaskCompleteIn,
    TaskIn,
    TaskOut,
    TaskPatch,
)

router = OrgRouter()


class TaskQuery(Schema):
    q: str = ""
    owner: str = ""
    kind: str = ""
    status: str = ""
    priority: str = ""
    overdue: bool = False
    subject_kind: str = ""
    subject_id: str = ""


@router.get("/{slug}/tasks", response=list[TaskOut])
@paginate(BoundedPagination)
def task_list(request: OrgRequest, slug: str, query: Query[TaskQuery]):
    """The organisation's tasks, open work first, then by due date. `owner` takes a user id,
    `me` or `none`; `status` a status, `active` (open or in progress) or `closed`."""
    return selectors.task_list(ctx=request.ctx, filters=selectors.TaskFilters(**query.dict()))


@router.get("/{slug}/me/tasks", response=list[TaskOut])
@paginate(BoundedPagination)
def my_task_list(request: OrgRequest, slug: str):
    """Your own open tasks in the organisation, soonest due first."""
    return selectors.my_open_tasks(ctx=request.ctx)


@router.post("/{slug}/tasks", response={201: TaskOut}, perm="tasks.change")
def task_create(request: OrgRequest, slug: str, payload: TaskIn):
    """Create a task, optionally about one record (subject_kind + subject_id)."""
    ctx = request.ctx
    data = payload.dict()
    if not data.get("recurrence_unit"):
        data["recurrence_unit"] = ""
    task = services.task_create(ctx=ctx, data=data)
    return Status(201, selectors.task_get(ctx=ctx, task_id=task.pk))


@router.get("/{slug}/tasks/{task_id}", response=TaskOut)
def task_get(request: OrgRequest, slug: str, task_id: uuid.UUID):
    return selectors.task_get(ctx=request.ctx, task_id=task_id)


# The task's owner may change the status of their own work whatever their role: the service
# decides, task by task.
@router.patch("/{slug}/tasks/{task_id}", response=TaskOut, perm=ANY_MEMBER)
def task_update(request: OrgRequest, slug: str, task_id: uuid.UUID, payload: TaskPatch):
    """Change a task. Its owner may change the status of their own work whatever their
    role; anything else needs tasks.change."""
    ctx = request.ctx
    change = payload.changes()
    if "recurrence_unit" in change["data"] and change["data"]["recurrence_unit"] is None:
        change["data"]["recurrence_unit"] = ""
    services.task_update(ctx=ctx, task_id=task_id, **change)
    return selectors.task_get(ctx=ctx, task_id=task_id)


# Its owner may complete a task without tasks.change: the service decides.
@router.post("/{slug}/tasks/{task_id}/complete", response=TaskOut, perm=ANY_MEMBER)
def task_complete(request: OrgRequest, slug: str, task_id: uuid.UUID,
                  payload: TaskCompleteIn):
    """Mark a task done (its owner, or anyone with tasks.change); a recurring task is followed
    by its next occurrence. Returns the done task."""
    ctx = request.ctx
    services.task_complete(ctx=ctx, task_id=task_id, version=payload.version, note=payload.note)
    return selectors.task_get(ctx=ctx, task_id=task_id)


_ANSWER_SCHEMA = {**TaskAnswerIn.model_json_schema(), "title": "TaskAnswerIn"}
_ANSWER_MULTIPART = {
    **_ANSWER_SCHEMA,
    "properties": {**_ANSWER_SCHEMA["properties"],
                   "file": {"type": "string", "format": "binary",
                            "description": "The evidence file, for kind=file."}},
}
_ANSWER_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": _ANSWER_MULTIPART},
    "application/json": {"schema": _ANSWER_SCHEMA},
}}}


def _answer_input(request: HttpRequest):
    """(answer, uploaded file) from a JSON body or a form (multipart for a file)."""
    upload = None
    if request.content_type == "application/json":
        try:
            raw = json.loads(request.body or b"null")
        except (ValueError, RecursionError):
            raise ValidationError({"body": ["Send a JSON object, or a multipart form."]}) from None
        if not isinstance(raw, dict):
            raise ValidationError({"body": ["Send a JSON object, or a multipart form."]})
    else:
        raw = request.POST.dict()
        upload = request.FILES.get("file")
    try:
        answer = TaskAnswerIn(**raw)
    except pydantic.ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for e in exc.errors():
            errors.setdefault(str(e["loc"][0]) if e["loc"] else "body", []).append(e["msg"])
        raise ValidationError(errors) from None
    return answer, upload


# Its owner may answer an evidence request without tasks.change: the service decides.
@router.post("/{slug}/tasks/{task_id}/answer", response=TaskAnswerOut, perm=ANY_MEMBER,
             openapi_extra=_ANSWER_BODY)
@accepts_upload
def task_answer(request: OrgRequest, slug: str, task_id: uuid.UUID):
    """Answer an evidence request: add the evidence (file, link or note) linked to the record
    the request is about, and complete the request, in one step."""
    ctx = request.ctx
    answer, upload = _answer_input(request)
    data = {k: v for k, v in answer.dict(exclude={"version"}).items() if v not in ("", None)}
    done = services.task_answer_with_evidence(ctx=ctx, task_id=task_id, version=answer.version,
                                              data=data, upload=upload)
    return {"task": selectors.task_get(ctx=ctx, task_id=task_id),
            "evidence_id": done.evidence.pk, "evidence_ref": done.evidence.ref}


@router.delete("/{slug}/tasks/{task_id}", perm="tasks.change")
def task_delete(request: OrgRequest, slug: str, task_id: uuid.UUID, version: int):
    services.task_delete(ctx=request.ctx, task_id=task_id, version=version)
    return Status(204, None)
