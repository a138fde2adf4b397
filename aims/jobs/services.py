"""Starting, running and recovering background jobs; the task the workers run.

A job is started by a member (or by the workers' schedule) and run by `job_task` on Django's
task API (django-tasks with its database backend). Running it claims it with a conditional
update, so a job runs once even if its task is delivered twice; a heartbeat shows it alive.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from aims.activity.services import record
from aims.core.errors import DomainError
from aims.core.metrics import JOB_DURATION
from aims.jobs.kinds import JobKind, JobRun, kind_get, kinds
from aims.jobs.models import Job, JobStatus
from aims.orgs.context import Ctx, ctx_for_cli, ctx_for_user
from aims.orgs.models import Organization

logger = logging.getLogger("aims.jobs")
SCHEDULER = "aims worker"  # how scheduled work appears in the activity log


def job_start(*, ctx: Ctx, kind: str, params: dict | None = None, period: str = "") -> Job:
    """Queue a job of `kind` for ctx's organisation; refused without the kind's permission."""
    if not period:  # scheduled work is started by the workers, not by a member
        ctx.require("jobs.start")
    k = kind_get(kind)
    ctx.require(k.perm)
    cleaned = k.clean(dict(params or {}))
    with transaction.atomic():
        job = Job(org=ctx.org, kind=k.key, label=k.label, params=cleaned, period=period,
                  max_attempts=k.max_attempts, created_by=ctx.user)
        job.save()
        record(ctx=ctx, action="create", obj=job, changes={"kind": k.key, "label": k.label})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id) -> None:
    result = job_task.enqueue(str(job_id))
    Job.all_orgs.filter(pk=job_id).update(task_id=str(result.id))


@task(takes_context=True)
def job_task(context: TaskContext, job_id: str) -> None:
    """The task a worker runs for one job."""
    ids = context.task_result.worker_ids
    job_run(job_id=job_id, worker=ids[-1] if ids else "")


def _ctx_of(job: Job, kind: JobKind) -> Ctx:
    # Whoever started it must still be a member allowed to: a job of someone who has left
    # fails instead of producing a file nobody may read.
    if job.created_by is None:
        return ctx_for_cli(job.org.slug, actor_label=SCHEDULER)
    ctx = ctx_for_user(job.created_by, job.org.slug)
    ctx.require(kind.perm)
    return ctx


class _Heartbeat(threading.Thread):
    """Marks the job alive every few seconds while it runs (its own database connection)."""

    def __init__(self, job_id, every: float) -> None:
        super().__init__(daemon=True)
        self.job_id, self.every, self.done = job_id, every, threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(self.every):
                Job.all_orgs.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                    heartbeat_at=timezone.now())
        except Exception:
            logger.exception("job %s: the heartbeat stopped", self.job_id)
        finally:
            connections.close_all()


def _result_dir(job: Job) -> str:
    return f"jobs/{job.org_id}/{job.pk}"


def _remove_results(job: Job) -> None:
    """Delete whatever an earlier, interrupted attempt stored for the job."""
    try:
        _dirs, files = default_storage.listdir(_result_dir(job))
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{_result_dir(job)}/{name}")


def job_run(*, job_id: str, worker: str) -> Job | None:
    """Claim a queued job and run it to done or failed; None if it was not queued (already
    claimed by another worker, or finished)."""
    now = timezone.now()
    claimed = Job.all_orgs.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        worker=worker[:100], progress_done=0, message="Started.")
    if not claimed:
        return None
    job = Job.all_orgs.select_related("org", "created_by").get(pk=job_id)
    started = time.perf_counter()
    beat = _Heartbeat(job.pk, settings.AIMS_JOB_HEARTBEAT_SECONDS)
    if settings.AIMS_JOB_HEARTBEAT_SECONDS:
        beat.start()
    last = [0.0]

    def report(done: int, total: int | None, message: str) -> None:
        if time.monotonic() - last[0] < 0.25 and (total is None or done < total):
            return  # at most four progress writes a second
        last[0] = time.monotonic()
        try:
            Job.all_orgs.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                progress_done=done, progress_total=total, message=message[:300],
                heartbeat_at=timezone.now())
        except OperationalError as exc:  # progress is for show: a busy database skips a beat
            logger.warning("job %s: progress not saved: %s", job.pk, exc)

    outcome = "failed"
    try:
        kind = kinds().get(job.kind)
        if kind is None:
            raise DomainError(f"This version of aims has no job kind {job.kind!r}.")
        ctx = _ctx_of(job, kind)
        with tempfile.TemporaryFile() as out:
            run = JobRun(ctx=ctx, params=job.params, out=out, report=report)
            kind.run(run)
            fields: dict = {}
            if run.result_name:
                _remove_results(job)
                out.flush()
                size = out.tell()
                out.seek(0)
                path = default_storage.save(f"{_result_dir(job)}/{run.result_name}", File(out))
                fields = {"result_path": path, "result_name": run.result_name,
                          "result_type": run.result_type, "result_size": size}
        done = Job.all_orgs.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker).update(
            status=JobStatus.DONE, finished_at=timezone.now(), message="Finished.", error="",
            progress_done=F("progress_total") if job.progress_total else F("progress_done"),
            **fields)
        if not done and fields:  # taken from this worker meanwhile: keep nothing of this run
            default_storage.delete(fields["result_path"])
        outcome = "done"
    except DomainError as exc:
        _fail(job, exc.message)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, f"{type(exc).__name__}: {exc}")
    finally:
        beat.done.set()
        JOB_DURATION.labels(job.kind, outcome).observe(time.perf_counter() - started)
    job.refresh_from_db()
    return job


def _fail(job: Job, reason: str) -> None:
    _remove_results(job)
    Job.all_orgs.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), error=reason[:2000],
        message="Failed.")


def worker_gone(worker: str) -> bool:
    """True when `worker` ("host:pid", as `aims worker` names itself) ran on this machine and
    its process no longer exists (or is a zombie). A worker on another machine, or one this
    cannot tell about, is not gone: its heartbeat decides."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    try:  # killed but not yet reaped by its parent: it will run nothing more
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def jobs_recover(*, stale_after: timedelta) -> list[Job]:
    """Jobs whose worker stopped — its process gone from this machine, or no heartbeat for
    `stale_after` — queued again while attempts remain, else failed with the reason. Returns
    the jobs it changed."""
    cutoff = timezone.now() - stale_after
    changed = []
    for job in Job.all_orgs.filter(status=JobStatus.RUNNING):
        if job.heartbeat_at and job.heartbeat_at >= cutoff and not worker_gone(job.worker):
            continue
        lost = Job.all_orgs.filter(pk=job.pk, status=JobStatus.RUNNING, worker=job.worker,
                                   heartbeat_at=job.heartbeat_at)
        if job.task_id:
            DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
                status="FAILED", finished_at=timezone.now())
        _remove_results(job)
        if job.attempts < job.max_attempts:
            with transaction.atomic():
                if lost.update(status=JobStatus.QUEUED, worker="",
                               message=f"The worker running attempt {job.attempts} stopped; "
                                       "queued again."):
                    transaction.on_commit(partial(_enqueue, job.pk))
                    changed.append(job)
        elif lost.update(status=JobStatus.FAILED, finished_at=timezone.now(), message="Failed.",
                         error=f"The worker running it stopped without finishing "
                               f"(attempt {job.attempts} of {job.max_attempts}); nothing "
                               "was kept. Start it again."):
            changed.append(job)
    return changed


def schedule_due(*, now=None) -> list[Job]:
    """Start today's scheduled jobs for every organisation that has not had them: once per
    organisation, kind and day, however many workers ask at the same time."""
    day = timezone.localdate(now).isoformat()
    started = []
    for kind in (k for k in kinds().values() if k.every == "day"):
        have = set(Job.all_orgs.filter(kind=kind.key, period=day)
                   .values_list("org_id", flat=True))
        for org in Organization.objects.exclude(pk__in=have).order_by("slug"):
            try:
                with transaction.atomic():
                    started.append(job_start(ctx=ctx_for_cli(org.slug, actor_label=SCHEDULER),
                                             kind=kind.key, period=day))
            except IntegrityError:
                continue  # another worker started it first: the constraint keeps one
    return started
