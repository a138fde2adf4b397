"""What the exchange app declares to the others: the background job that checks or imports
a large spreadsheet kept by the import page."""

from __future__ import annotations

import uuid

from aims.core.errors import DomainError, ValidationError
from aims.exchange.imports.engine import ImportRejected
from aims.exchange.imports.services import import_apply, import_check
from aims.exchange.models import ImportState
from aims.jobs.kinds import JobKind, JobRun


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
    JobKind(key="exchange.import", label="Spreadsheet import", perm="org.view",
            run=import_job_run, clean=import_job_clean, max_attempts=1),
]
