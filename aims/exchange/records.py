"""The audit pack as a background job: for a record with many evidence files, the pack is
made by a worker, with its progress, and kept to download."""

from __future__ import annotations

import datetime

from aims.core.errors import ValidationError
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


JOBS = [
    JobKind(key="audit.pack", label="Audit pack (ZIP)", perm="org.view", run=audit_pack_run,
            clean=audit_pack_clean),
]
