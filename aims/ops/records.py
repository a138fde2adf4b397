"""The background work the operations floor declares (see aims.jobs.kinds): the activity log
as a prepared download, and each organisation's daily upkeep, which the workers start once a
day without cron."""

from __future__ import annotations

import csv
import datetime
import io
import json

from django.conf import settings

from aims.activity.keys import LogKeyError
from aims.activity.models import Event
from aims.activity.selectors import EventFilters, event_list
from aims.activity.services import anchor_email, log_anchor
from aims.core.errors import DomainError, ValidationError
from aims.core.tables import FORMATS
from aims.core.tables import _text as cell_text
from aims.findings.services import acceptances_lapse
from aims.jobs.kinds import JobKind, JobRun
from aims.orgs.models import Organization
from aims.readiness.services import snapshot_daily
from aims.tasks.reminders import reminders_send

ACTIVITY_COLUMNS = ("Seq", "Time (UTC)", "Actor", "Action", "Object type", "Object id",
                    "Object", "Changes", "Previous hash", "Hash")
FILTER_TEXT = ("q", "object_type", "object_id")
CHUNK = 2000


def activity_csv_clean(params: dict) -> dict:
    """The activity log's filters, as the list page sends them; anything else is refused."""
    unknown = sorted(set(params) - {*FILTER_TEXT, "action", "since", "until"})
    if unknown:
        raise ValidationError(f"Unknown filter(s): {', '.join(unknown)}.", field="params")
    cleaned: dict[str, str] = {}
    for name in FILTER_TEXT:
        value = str(params.get(name) or "").strip()
        if len(value) > 200:
            raise ValidationError("At most 200 characters.", field=f"params.{name}")
        cleaned[name] = value
    action = str(params.get("action") or "")
    if action and action not in Event.Action.values:
        raise ValidationError(f"One of: {', '.join(Event.Action.values)}.", field="params.action")
    cleaned["action"] = action
    for name in ("since", "until"):
        value = str(params.get(name) or "")
        if value:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError("A date as YYYY-MM-DD.", field=f"params.{name}") from None
        cleaned[name] = value
    return cleaned


def activity_csv_run(run: JobRun) -> None:
    """The filtered log, oldest first, written row by row (constant memory), with progress."""
    p = run.params
    filters = EventFilters(
        q=p.get("q", ""), action=p.get("action", ""), object_type=p.get("object_type", ""),
        object_id=p.get("object_id", ""),
        since=datetime.date.fromisoformat(p["since"]) if p.get("since") else None,
        until=datetime.date.fromisoformat(p["until"]) if p.get("until") else None)
    events = event_list(ctx=run.ctx, filters=filters).select_related(None).order_by("seq")
    # The log as it stands now: events appended while the file is written (this job's own
    # upkeep, other members' work) belong to the next download, and the count stays true.
    head = Organization.objects.values_list("log_head_seq", flat=True).get(pk=run.ctx.org.pk)
    events = events.filter(seq__lte=head)
    total = events.count()
    run.progress(0, total, f"Writing {total} events.")
    text = io.TextIOWrapper(run.out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(text)
    writer.writerow(ACTIVITY_COLUMNS)
    done, last = 0, -1
    while True:
        # Read in pages by position in the log, each fetched whole: no read stays open while
        # progress is written (SQLite refuses a write on a connection holding an old snapshot),
        # and no page is slower than the first.
        page = list(events.filter(seq__gt=last)[:CHUNK])
        if not page:
            break
        for e in page:
            writer.writerow([cell_text(v) for v in (
                e.seq, e.at.isoformat(), e.actor_label, e.action, e.object_type, e.object_id,
                e.object_repr, json.dumps(e.changes, ensure_ascii=False, sort_keys=True),
                e.prev_hash, e.hash)])
        done, last = done + len(page), page[-1].seq
        run.progress(done, total, f"{done} of {total} events written.")
    text.flush()
    text.detach()  # leave run.out open: the job stores it
    run.progress(done, total, f"{done} events written.")
    run.result(f"{run.ctx.org.slug}-activity-{datetime.date.today():%Y%m%d}.csv", FORMATS["csv"])


def daily_upkeep_run(run: JobRun) -> None:
    """What `aims remind` does for one organisation: the day's reminder digests, the daily
    readiness snapshot and a signed checkpoint of the activity log."""
    ctx = run.ctx
    base_url = settings.AIMS_BASE_URL or "http://localhost:8000"
    run.progress(0, 4, "Sending reminder digests.")
    sent = reminders_send(ctx=ctx, base_url=base_url)
    problems = [f"could not e-mail {d.user.email}: {error}" for d, error in sent.failed]
    run.progress(1, 4, "Reopening security findings whose acceptance expired.")
    lapsed = acceptances_lapse(ctx=ctx)
    run.progress(2, 4, "Saving the daily readiness snapshot.")
    snapshot_daily(ctx=ctx)
    run.progress(3, 4, "Signing a checkpoint of the activity log.")
    notes = [f"{len(lapsed)} accepted finding(s) open again: their acceptance expired."] \
        if lapsed else []
    try:
        anchor = log_anchor(org=ctx.org)
    except LogKeyError as exc:
        # No signing key configured: nothing to checkpoint with (as `aims remind` says too).
        notes.append(f"No activity-log checkpoint: {exc}")
    else:
        try:
            anchor_email(anchor)
        except OSError as exc:
            problems.append(f"the checkpoint could not be e-mailed: {exc}")
    run.progress(4, 4, " ".join([f"{len(sent.sent)} digest(s) sent.", *notes]))
    if problems:
        raise DomainError("; ".join(problems))


JOBS = [
    JobKind(key="activity.csv", label="Activity log (CSV)", perm="activity.view",
            run=activity_csv_run, clean=activity_csv_clean),
    JobKind(key="upkeep.daily", label="Daily upkeep: reminders, expired finding acceptances, "
            "readiness snapshot, log checkpoint", perm="org.manage", run=daily_upkeep_run, every="day",
            max_attempts=3),
]
