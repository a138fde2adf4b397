"""The import's three doors call these: a direct import (CLI, API), and the web's preview
then confirm of a file kept server-side. Each applied import leaves one ImportRun with its
report and one activity event, in the same transaction as the records it wrote."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aims.activity.services import record
from aims.core.errors import Conflict, NotFound, ValidationError
from aims.exchange.imports.engine import ImportRejected, Progress, Report, import_file
from aims.exchange.imports.kinds import KINDS
from aims.exchange.imports.kinds_base import ImportKind
from aims.exchange.imports.reading import FileRefused, read_table
from aims.exchange.models import ImportRun, ImportState
from aims.jobs.services import job_start
from aims.orgs.context import Ctx

KEEP_OUTCOMES = 2000  # rows of a report kept on the ImportRun (the counts are always whole)


def kind_get(key: str) -> ImportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValidationError(f"Unknown kind {key!r}; one of: {', '.join(KINDS)}.",
                              field="kind") from None


def background_rows() -> int:
    """Files with more rows than this are checked and imported by a worker."""
    return settings.AIMS_IMPORT_BACKGROUND_ROWS


def _stored_report(report: Report) -> dict[str, Any]:
    out = report.as_dict()
    out["outcomes"] = [o for o in out["outcomes"] if o["action"] != "same"][:KEEP_OUTCOMES]
    return out


def _counts(run: ImportRun, report: Report) -> None:
    s = report.summary
    run.rows, run.created_count, run.changed_count = s["rows"], s["created"], s["changed"]
    run.unchanged_count, run.refused_count = s["unchanged"], s["refused"]
    run.digest, run.report = report.digest, _stored_report(report)


def _event(run: ImportRun) -> dict[str, Any]:
    return {"kind": run.kind, "file_name": run.file_name, "sha256": run.sha256,
            "state": run.state, "rows": run.rows, "created": run.created_count,
            "changed": run.changed_count, "unchanged": run.unchanged_count}


def import_direct(*, ctx: Ctx, kind: str, data: bytes, file_name: str, dry_run: bool,
                  expected_digest: str = "", progress: Progress | None = None) -> Report:
    """Check `data` and, unless `dry_run`, import all its rows or none (CLI, API).

    An applied import is recorded as an ImportRun with one activity event, in the same
    transaction as the rows; a dry run writes nothing at all."""
    k = kind_get(kind)

    def written(report: Report) -> None:
        run = ImportRun(org=ctx.org, kind=k.key, file_name=report.file_name,
                        sha256=report.sha256, size=len(data), state=ImportState.IMPORTED,
                        imported_at=timezone.now(), created_by=ctx.user)
        _counts(run, report)
        run.save(force_insert=True)
        record(ctx=ctx, action="create", obj=run, changes=_event(run))

    return import_file(ctx=ctx, kind=k, data=data, file_name=file_name, dry_run=dry_run,
                       expected_digest=expected_digest, progress=progress, on_written=written)


def _row_count(data: bytes, file_name: str) -> int:
    try:
        return len(read_table(data, file_name).rows)
    except FileRefused:
        return 0  # the preview says why


def needs_worker(data: bytes, file_name: str) -> bool:
    """Whether a file is large enough to be checked and imported by a worker."""
    return _row_count(data, file_name) > background_rows()


def import_queue(*, ctx: Ctx, kind: str, data: bytes, file_name: str,
                 dry_run: bool) -> ImportRun:
    """Keep a large file and hand it to a worker: to check it (`dry_run`) or to import it
    (all rows or none, as in the request)."""
    k = kind_get(kind)
    ctx.require(k.perm)
    run = ImportRun(org=ctx.org, kind=k.key, file_name=(file_name or "upload")[:200],
                    size=len(data), created_by=ctx.user, content=data,
                    sha256=hashlib.sha256(data).hexdigest(),
                    rows=_row_count(data, file_name),
                    state=ImportState.CHECKING if dry_run else ImportState.IMPORTING,
                    expires_at=timezone.now() + datetime.timedelta(
                        hours=settings.AIMS_IMPORT_KEEP_HOURS))
    with transaction.atomic():
        run.save(force_insert=True)
        record(ctx=ctx, action="create", obj=run, changes=_event(run))
        _start_job(ctx, run, dry_run=dry_run)
    return run


def import_preview(*, ctx: Ctx, kind: str, data: bytes, file_name: str) -> ImportRun:
    """Keep the uploaded file under a new ImportRun of ctx.org and show what importing it
    would do (a dry run); a large file is checked by a worker (`job_id`)."""
    k = kind_get(kind)
    ctx.require(k.perm)
    hours = settings.AIMS_IMPORT_KEEP_HOURS
    run = ImportRun(org=ctx.org, kind=k.key, file_name=(file_name or "upload")[:200],
                    size=len(data), created_by=ctx.user, content=data,
                    expires_at=timezone.now() + datetime.timedelta(hours=hours))
    run.sha256 = hashlib.sha256(data).hexdigest()
    big = _row_count(data, run.file_name) > background_rows()
    report = None
    if not big:
        try:
            report = import_file(ctx=ctx, kind=k, data=data, file_name=run.file_name,
                                 dry_run=True)
        except ImportRejected as exc:
            report = exc.report
            run.state, run.content = ImportState.REFUSED, b""
        else:
            run.state = ImportState.PREVIEWED
        _counts(run, report)
    else:
        run.state = ImportState.CHECKING
        run.rows = _row_count(data, run.file_name)
    with transaction.atomic():
        run.save(force_insert=True)
        record(ctx=ctx, action="create", obj=run, changes=_event(run))
        if big:
            _start_job(ctx, run, dry_run=True)
    return run


def _start_job(ctx: Ctx, run: ImportRun, *, dry_run: bool) -> None:
    job = job_start(ctx=ctx, kind="exchange.import",
                    params={"run": str(run.pk), "dry_run": dry_run})
    ImportRun.objects.for_org(ctx.org).filter(pk=run.pk).update(job_id=job.pk)
    run.job_id = job.pk


def import_run_get(*, ctx: Ctx, run_id: uuid.UUID | str) -> ImportRun:
    """One import of ctx.org, or NotFound (foreign and missing alike)."""
    try:
        pk = run_id if isinstance(run_id, uuid.UUID) else uuid.UUID(str(run_id))
    except ValueError:
        raise NotFound("Import not found.") from None
    run = ImportRun.objects.for_org(ctx.org).filter(pk=pk).first()
    if run is None:
        raise NotFound("Import not found.")
    return run


def import_run_list(*, ctx: Ctx, limit: int = 20) -> list[ImportRun]:
    """ctx.org's latest imports, newest first (without their files or reports)."""
    return list(ImportRun.objects.for_org(ctx.org).select_related("created_by")
                .defer("content", "report").order_by("-created_at")[:limit])


def _locked_previewed(ctx: Ctx, run_id) -> ImportRun:
    run = ImportRun.objects.for_org(ctx.org).select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound("Import not found.")
    if run.state != ImportState.PREVIEWED:
        raise Conflict(f"This import is {run.get_state_display().lower()}; only a previewed "
                       "file can be imported.")
    if run.created_by_id != (ctx.user.pk if ctx.user else None):
        raise NotFound("Import not found.")  # a preview is its uploader's
    if run.expires_at and run.expires_at < timezone.now():
        raise Conflict("The preview has expired. Upload the file again.")
    return run


def import_confirm(*, ctx: Ctx, run_id: uuid.UUID | str) -> ImportRun:
    """Import exactly the previewed file, and only if it would still do what the preview
    showed (409 otherwise); a large file is imported by a worker."""
    ctx.require("org.view")
    # May this member import this kind at all? Asked before anything about the run's state.
    ctx.require(kind_get(import_run_get(ctx=ctx, run_id=run_id).kind).perm)
    with transaction.atomic():
        run = _locked_previewed(ctx, run_id)
        if run.rows > background_rows():
            run.state = ImportState.IMPORTING
            run.save(update_fields=["state", "updated_at"])
            record(ctx=ctx, action="update", obj=run, changes={
                "state": {"before": ImportState.PREVIEWED, "after": run.state}})
            _start_job(ctx, run, dry_run=False)
            return run
    return import_apply(ctx=ctx, run_id=run.pk)


def import_apply(*, ctx: Ctx, run_id, progress: Progress | None = None,
                 expect: str = ImportState.PREVIEWED) -> ImportRun:
    """Write the kept file of a previewed (or importing) run; mark it imported in the same
    transaction, or refused if its rows or its diff changed."""
    run = import_run_get(ctx=ctx, run_id=run_id)
    k = kind_get(run.kind)
    data = bytes(run.content)

    def written(report: Report) -> None:
        locked = ImportRun.objects.for_org(ctx.org).select_for_update().get(pk=run.pk)
        if locked.state != expect:
            raise Conflict("This import was already confirmed.")
        before = locked.state
        _counts(locked, report)
        locked.state, locked.content = ImportState.IMPORTED, b""
        locked.imported_at, locked.expires_at = timezone.now(), None
        locked.save()
        record(ctx=ctx, action="update", obj=locked, changes={
            "state": {"before": before, "after": locked.state},
            "created": locked.created_count, "changed": locked.changed_count,
            "unchanged": locked.unchanged_count})

    try:
        import_file(ctx=ctx, kind=k, data=data, file_name=run.file_name, dry_run=False,
                    expected_digest=run.digest, progress=progress, on_written=written)
    except (ImportRejected, Conflict) as exc:
        _refuse(ctx, run, exc)
        raise
    return import_run_get(ctx=ctx, run_id=run.pk)


def import_check(*, ctx: Ctx, run_id, progress: Progress | None = None) -> ImportRun:
    """The dry run of a kept file (a worker's half of a large preview)."""
    run = import_run_get(ctx=ctx, run_id=run_id)
    k = kind_get(run.kind)
    try:
        report = import_file(ctx=ctx, kind=k, data=bytes(run.content), file_name=run.file_name,
                             dry_run=True, progress=progress)
    except ImportRejected as exc:
        _refuse(ctx, run, exc)
        return import_run_get(ctx=ctx, run_id=run.pk)
    with transaction.atomic():
        locked = ImportRun.objects.for_org(ctx.org).select_for_update().get(pk=run.pk)
        _counts(locked, report)
        locked.state = ImportState.PREVIEWED
        locked.save()
        record(ctx=ctx, action="update", obj=locked, changes={
            "state": {"before": ImportState.CHECKING, "after": locked.state}})
    return locked


def _refuse(ctx: Ctx, run: ImportRun, exc: Exception) -> None:
    with transaction.atomic():
        locked = ImportRun.objects.for_org(ctx.org).select_for_update().get(pk=run.pk)
        before = locked.state
        if before not in (ImportState.CHECKING, ImportState.PREVIEWED, ImportState.IMPORTING):
            return  # finished meanwhile (a second confirmation of the same file)
        if isinstance(exc, ImportRejected):
            _counts(locked, exc.report)
        locked.error = getattr(exc, "message", str(exc))[:2000]
        locked.state, locked.content = ImportState.REFUSED, b""
        locked.save()
        record(ctx=ctx, action="update", obj=locked, changes={
            "state": {"before": before, "after": locked.state}, "error": locked.error})
