"""Background jobs in the API: start one, follow its progress, download its file."""


import datetime
import uuid
from typing import Any, Literal

from django.core.files.storage import default_storage
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from aims.core.api import InSchema
from aims.core.errors import NotFound
from aims.core.paging import BoundedPagination
from aims.core.responses import stream_response
from aims.jobs import selectors, services
from aims.jobs.models import JobStatus
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    status: Literal["queued", "running", "done", "failed"]
    params: dict[str, Any]
    progress_done: int
    progress_total: int | None
    percent: int | None
    message: str
    error: str
    attempts: int
    max_attempts: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    created_by: str | None
    result_name: str
    result_size: int | None
    file_url: str | None = Field(None, description="Where to download the result, once done.")

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.email if obj.created_by else None

    @staticmethod
    def resolve_file_url(obj) -> str | None:
        if obj.status != JobStatus.DONE or not obj.result_path:
            return None
        return f"/api/v1/orgs/{obj.org.slug}/jobs/{obj.pk}/file"


class JobIn(InSchema):
    kind: str = Field(description="What to run, e.g. activity.csv (the activity log as CSV).",
                      max_length=64)
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="The kind's settings, e.g. the log's filters.")


class JobQuery(Schema):
    status: Literal["", "queued", "running", "done", "failed"] = ""


@router.get("/{slug}/jobs", response=list[JobOut])
@paginate(BoundedPagination)
def job_list(request: OrgRequest, slug: str, query: Query[JobQuery]):
    """The organisation's background jobs (of kinds you may see), newest first."""
    return selectors.job_list(ctx=request.ctx, status=query.status).select_related("org")


@router.post("/{slug}/jobs", response={202: JobOut}, perm="jobs.start")
def job_start(request: OrgRequest, slug: str, payload: JobIn):
    """Queue a job; follow it at /jobs/{job_id} until its status is done or failed."""
    job = services.job_start(ctx=request.ctx, kind=payload.kind, params=payload.params)
    return Status(202, selectors.job_get(ctx=request.ctx, job_id=job.pk))


@router.get("/{slug}/jobs/{job_id}", response=JobOut)
def job_get(request: OrgRequest, slug: str, job_id: uuid.UUID):
    """One job: its status, progress and, once done, where to download its file."""
    return selectors.job_get(ctx=request.ctx, job_id=job_id)


@router.get("/{slug}/jobs/{job_id}/file", response={200: None})
def job_file(request: OrgRequest, slug: str, job_id: uuid.UUID):
    """The file a finished job produced."""
    job = selectors.job_get(ctx=request.ctx, job_id=job_id)
    if job.status != JobStatus.DONE or not job.result_path:
        raise NotFound("This job has no file (yet).")
    return stream_response(default_storage.open(job.result_path, "rb"), job.result_type,
                           job.result_name)
