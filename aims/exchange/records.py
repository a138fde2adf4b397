"""What the exchange app declares to the others: its background jobs. The audit pack of a
record with many evidence files is made by a worker, with its progress, and kept to download;
a large spreadsheet kept by the import page is checked or imported by one."""

from __future__ import annotations

import datetime
import uuid

from aims.core.errors import DomainError, ValidationError
from aims.exchange.imports.engine import ImportRejected
from aims.exchange.imports.services import import_apply, import_check
from aims.exchange.models import ImportState
from aims.exchange.pack import PACK_STEPS, audit_pack_write, pack_filename, period_of
from aims.jobs.kinds import JobKind, JobRun

# The API's names for the period (from/to) and the web form's (start/end).
NAMES = {"from": "start", "to": "end", "start": "start", "end": "end"}


def audit_pack_clean(params: dict) -> dict:
    """The period: `from` and `to` (or the form's `start` and `end`) as YYYY-MM-DD, each
    optional as for the download; anything else is refused, naming it."""
    unknown = sorted(set(params) - set(NAMES))
    if unknown:
        raise ValidationError(f"Unknown parameter(s): {', '.join(unknown)}; give from and to.",
                              field="params")
    days: dict[str, datetime.date | None] = {"start": None, "end": None}
    for name, value in params.items():
        if value in (None, ""):
            continue
        try:
            days[NAMES[name]] = datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError("A date as YYYY-MM-DD.", field=f"params.{name}") from None
    try:
        period = period_of(days["start"], days["end"])
    except ValidationError as exc:
        [(name, messages)] = list(exc.errors.items())[:1]
        raise ValidationError(" ".join(messages), field=f"params.{name}") from None
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def audit_pack_run(run: JobRun) -> None:
    """The pack for the period, written into the job's file section by section."""
    period = period_of(datetime.date.fromisoformat(run.params["from"]),
                       datetime.date.fromisoformat(run.params["to"]))
    summary = audit_pack_write(ctx=run.ctx, period=period, out=run.out, progress=run.progress)
    run.progress(PACK_STEPS, PACK_STEPS, f"{len(summary.entries)} files in the pack"
                 + (f"; {len(summary.problems)} problem(s) named in it." if summary.problems
                    else "."))
    run.result(pack_filename(run.ctx, period), "application/zip")


def import_job_clean(params: dict) -> dict:
    """The kept import to work on, and whether to only check it."""
    try:
        run = str(uuid.UUID(str(params.get("run", ""))))
    except ValueError:
        raise ValidationError("The id of an import.", field="params.run") from None
    return {"run": run, "dry_run": bool(params.get("dry_run"))}


def import_job_run(run: JobRun) -> None:
    """Check (dry run) or import the kept file of an ImportRun, reporting how far it is."""
    def progress(done: int, total: int, message: str) -> None:
        run.progress(done, total, message)

    run.progress(0, None, "Reading the file.")
    if run.params["dry_run"]:
        result = import_check(ctx=run.ctx, run_id=run.params["run"], progress=progress)
    else:
        try:
            result = import_apply(ctx=run.ctx, run_id=run.params["run"], progress=progress,
                                  expect=ImportState.IMPORTING)
        except ImportRejected as exc:
            raise DomainError(exc.message) from exc
    if result.state == ImportState.REFUSED:
        raise DomainError(result.error or "Rows were refused: nothing was imported.")
    run.progress(result.rows, result.rows,
                 f"{result.rows} rows: {result.created_count} new, {result.changed_count} "
                 f"changed, {result.unchanged_count} unchanged.")


JOBS = [
    JobKind(key="audit.pack", label="Audit pack (ZIP)", perm="org.view", run=audit_pack_run,
            clean=audit_pack_clean),
    JobKind(key="exchange.import", label="Spreadsheet import", perm="org.view",
            run=import_job_run, clean=import_job_clean, max_attempts=1),
]
