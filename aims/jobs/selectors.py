"""Reads of background jobs, always inside one organisation and limited to the kinds the
member may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from aims.core.errors import NotFound
from aims.jobs.kinds import kinds
from aims.jobs.models import Job
from aims.orgs.context import Ctx


def visible_kinds(*, ctx: Ctx) -> list[str]:
    return [k.key for k in kinds().values() if ctx.can(k.perm)]


def job_list(*, ctx: Ctx, status: str = "") -> QuerySet[Job]:
    """The organisation's jobs of kinds the member may see, newest first."""
    qs = Job.objects.for_org(ctx.org).filter(kind__in=visible_kinds(ctx=ctx))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("created_by").order_by("-created_at")


def job_get(*, ctx: Ctx, job_id) -> Job:
    """One job of the organisation; NotFound for a missing, foreign or unseen one alike."""
    job = job_list(ctx=ctx).filter(pk=job_id).first()
    if job is None:
        raise NotFound("Job not found.")
    return job


def job_counts_by_status() -> dict[str, int]:
    """Jobs of every organisation by status (for the operator's metrics)."""
    rows = Job.all_orgs.values("status").annotate(n=Count("id")).order_by()
    counts = {status: 0 for status in ("queued", "running", "done", "failed")}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts
