"""The inputs a management review must consider, read from the record as of the meeting.

Each input is built by one function `(ctx, since, as_of) -> dict` with
  summary  one sentence a board member can read
  rows     [{"label", "detail", "url", "flag"}] the records behind it (flag: "bad", "warn",
           "ok" or "")
  empty    what to say when there are no rows
Records count when they existed on the meeting day (created on or before it); changes count
when the activity log dates them within the period reviewed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from aims.activity.selectors import events_about
from aims.audits.selectors import audits_reported, audits_unreported_count
from aims.context.selectors import context_issue_count, interested_party_count
from aims.core.wording import counted
from aims.improvement.selectors import (
    improvements_open,
    incidents_between,
    nonconformities_open_during,
)
from aims.objectives.selectors import (
    latest_measurements,
    monitor_results_between,
    objectives_active,
)
from aims.orgs.context import Ctx
from aims.reviews.models import ManagementReview
from aims.risks.models import LEVEL_RANK
from aims.risks.selectors import risks_open
from aims.tasks.models import TaskKind, TaskStatus
from aims.tasks.selectors import tasks_about


@dataclass(frozen=True)
class Input:
    key: str
    title: str
    build: Callable[[Ctx, datetime.date | None, datetime.date], dict]


def end_of(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the organisation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1),
                                                         datetime.time.min))


def _row(label: str, detail: str = "", url: str = "", flag: str = "") -> dict:
    return {"label": label, "detail": detail, "url": url, "flag": flag}


def _url(name: str, ctx: Ctx, *args) -> str:
    return reverse(name, args=[ctx.org.slug, *args])


def _period(since: datetime.date | None, as_of: datetime.date) -> str:
    return (f"between {since.isoformat()} and {as_of.isoformat()}" if since
            else f"up to {as_of.isoformat()}")


# ------------------------------------------------------------------ the inputs


def previous_actions(ctx: Ctx, since, as_of) -> dict:
    """Actions decided in earlier reviews and where they stood on the meeting day."""
    earlier = ManagementReview.objects.for_org(ctx.org).filter(meeting_date__lt=as_of)
    refs = {r.pk: r.ref for r in earlier}
    tasks = tasks_about(ctx=ctx, kind=TaskKind.REVIEW_ACTION, subject_kind="management_review",
                        subject_ids=refs, created_before=end_of(as_of))
    rows, done, late, cancelled = [], 0, 0, 0
    for t in tasks:
        finished = t.completed_at is not None and t.completed_at < end_of(as_of)
        # A cancelled action is not late work (the task does not record when it was cancelled).
        dropped = not finished and t.status == TaskStatus.CANCELLED
        overdue = not finished and not dropped and t.due_date is not None and t.due_date < as_of
        done += finished
        late += overdue
        cancelled += dropped
        state = ("done " + timezone.localdate(t.completed_at).isoformat() if finished else
                 "cancelled" if dropped else
                 "overdue since " + t.due_date.isoformat() if overdue and t.due_date else
                 "open" + (f", due {t.due_date.isoformat()}" if t.due_date else ""))
        review = refs.get(t.subject_id) if t.subject_id else None
        rows.append(_row(f"{t.ref} {t.title}",
                         f"From {review or 'an earlier review'} · "
                         f"{t.owner.display_name if t.owner else 'no owner'} · {state}",
                         _url("tasks:detail", ctx, t.pk),
                         "ok" if finished else "" if dropped else "bad" if overdue else "warn"))
    total = len(rows)
    return {"summary": (f"{counted(total, 'action')} from earlier reviews: {done} done, "
                        f"{total - done - late - cancelled} open, {late} overdue"
                        + (f", {cancelled} cancelled." if cancelled else ".") if total else
                        "No actions from earlier reviews."),
            "rows": rows, "empty": "Earlier reviews decided no actions (or this is the first "
                                   "review)."}


def _changes(ctx: Ctx, since, as_of, object_type: str) -> list:
    return events_about(ctx=ctx, object_type=object_type,
                        after=end_of(since) if since else None, before=end_of(as_of))


def context_changes(ctx: Ctx, since, as_of) -> dict:
    """External and internal issues added, changed or removed in the period."""
    events = _changes(ctx, since, as_of, "context.contextissue")
    current = context_issue_count(ctx=ctx, created_before=end_of(as_of))
    rows = [_row(e.object_repr, f"{e.get_action_display()} on "
                                f"{timezone.localdate(e.at).isoformat()} by "
                                f"{e.actor_label}", _url("context:issues", ctx),
                 "warn" if e.action != "update" else "")
            for e in events]
    return {"summary": f"{counted(len(rows), 'change')} to the issues {_period(since, as_of)}; "
                       f"{counted(current, 'issue')} in the register.",
            "rows": rows, "empty": "No issue was added, changed or removed in the period."}


def interested_parties(ctx: Ctx, since, as_of) -> dict:
    """Interested parties whose needs and expectations were added or changed in the period."""
    events = _changes(ctx, since, as_of, "context.interestedparty")
    current = interested_party_count(ctx=ctx, created_before=end_of(as_of))
    rows = [_row(e.object_repr, f"{e.get_action_display()} on "
                                f"{timezone.localdate(e.at).isoformat()} by "
                                f"{e.actor_label}", _url("context:parties", ctx))
            for e in events]
    return {"summary": f"{counted(len(rows), 'change')} to interested parties' needs and expectations "
                       f"{_period(since, as_of)}; {counted(current, 'party', 'parties')} on record.",
            "rows": rows, "empty": "No change to interested parties in the period."}


def monitoring(ctx: Ctx, since, as_of) -> dict:
    """Threshold breaches of monitors in the period and where each objective stood."""
    results = list(monitor_results_between(ctx=ctx, start=since, end=as_of))
    breaches = [r for r in results if r.breached]
    rows = [_row(f"{r.monitor.ref} {r.monitor.name}",
                 f"{r.value.normalize():f} {r.monitor.unit} on {r.measured_on.isoformat()} "
                 f"(thresholds {r.thresholds})" + (f" — {r.analysis}" if r.analysis else ""),
                 _url("objectives:monitor_detail", ctx, r.monitor_id), "bad")
            for r in breaches]
    objectives = objectives_active(ctx=ctx, created_before=end_of(as_of))
    latest = latest_measurements(ctx=ctx, on_or_before=as_of)
    off = 0
    for o in objectives:
        m = latest.get(o.pk)
        if m is None:
            rows.append(_row(o.title, "No measurement yet.", _url("objectives:detail", ctx, o.pk),
                             "warn"))
            continue
        meets = o.meets_target(m.value)
        off += not meets
        rows.append(_row(o.title, f"{m.value.normalize():f} {o.unit} on "
                                  f"{m.measured_on.isoformat()} against {o.comparator} "
                                  f"{o.target.normalize():f} {o.unit}",
                         _url("objectives:detail", ctx, o.pk), "ok" if meets else "bad"))
    return {"summary": f"{counted(len(results), 'monitoring result')} {_period(since, as_of)}, "
                       f"{len(breaches)} outside thresholds; {counted(len(objectives), 'active objective')}, "
                       f"{off} off track.",
            "rows": rows, "empty": "No monitoring results or objectives yet."}


def risks(ctx: Ctx, since, as_of) -> dict:
    """Risks at or above the organisation's acceptance threshold, as they stand."""
    rows, total = [], 0
    for r in risks_open(ctx=ctx, created_before=end_of(as_of)):
        total += 1
        level = r.current_level
        if level and LEVEL_RANK[level] >= LEVEL_RANK["high"]:
            rows.append(_row(f"{r.ref} {r.title}", f"{level.title()} · "
                             f"{r.get_status_display()} · "
                             f"{r.owner.display_name if r.owner else 'no owner'}",
                             _url("risks:detail", ctx, r.pk), "bad"))
    return {"summary": f"{counted(total, 'open risk')}; {len(rows)} rated high or critical.",
            "rows": rows, "empty": "No open risk is rated high or critical."}


def audits(ctx: Ctx, since, as_of) -> dict:
    """Audits whose report was issued in the period, with their findings."""
    rows = []
    for a in audits_reported(ctx=ctx, after=end_of(since) if since else None,
                             before=end_of(as_of)):
        rows.append(_row(f"{a.ref} {a.title}",
                         f"Reported {timezone.localdate(a.issued_at).isoformat()}: "
                         f"{a.majors} major and "
                         f"{a.minors} minor nonconformities, {a.others} observations or "
                         f"opportunities." + (f" {a.conclusion}" if a.conclusion else ""),
                         _url("audits:detail", ctx, a.pk),
                         "bad" if a.majors else "warn" if a.minors else "ok"))
    planned = audits_unreported_count(ctx=ctx, created_before=end_of(as_of))
    return {"summary": f"{counted(len(rows), 'audit report')} issued {_period(since, as_of)}; "
                       f"{counted(planned, 'audit')} planned or in progress.",
            "rows": rows, "empty": "No audit report was issued in the period."}


def nonconformities(ctx: Ctx, since, as_of) -> dict:
    """Nonconformities raised in the period or still open on the meeting day, and their
    corrective actions."""
    end = end_of(as_of)
    # Closed before the period began: already reported to the previous review.
    ncs = nonconformities_open_during(ctx=ctx, as_of=as_of,
                                      closed_since=end_of(since) if since else None)
    actions = tasks_about(ctx=ctx, kind=TaskKind.CORRECTIVE_ACTION, subject_kind="nonconformity",
                          subject_ids=[n.pk for n in ncs], created_before=end)
    late: dict = {}
    for t in actions:
        finished = t.completed_at is not None and t.completed_at < end
        if (not finished and t.status != TaskStatus.CANCELLED and t.due_date
                and t.due_date < as_of):
            late[t.subject_id] = late.get(t.subject_id, 0) + 1
    rows, open_count = [], 0
    for n in ncs:
        closed = n.closed_at is not None and n.closed_at < end
        open_count += not closed
        state = (f"closed {timezone.localdate(n.closed_at).isoformat()}" if closed else
                 f"open since {n.raised_on.isoformat()}")
        extra = f", {counted(late[n.pk], 'corrective action')} overdue" if n.pk in late else ""
        rows.append(_row(f"{n.ref} {n.title}",
                         f"{n.get_severity_display()} · {n.get_source_display()} · {state}{extra}",
                         _url("improvement:nc_detail", ctx, n.pk),
                         "ok" if closed else "bad" if n.pk in late else "warn"))
    return {"summary": f"{counted(len(rows), 'nonconformity', 'nonconformities')} raised or open {_period(since, as_of)}: "
                       f"{open_count} open, {len(late)} with overdue corrective actions.",
            "rows": rows, "empty": "No nonconformity was open in the period."}


def incidents(ctx: Ctx, since, as_of) -> dict:
    """AI incidents that occurred in the period, with their reporting."""
    rows = []
    for i in incidents_between(ctx=ctx, after=end_of(since) if since else None,
                               before=end_of(as_of)):
        reported = (f"reported to {i.report_to}" if i.reported_at else
                    f"report to {i.report_to} pending") if i.reporting_needed else ""
        rows.append(_row(f"{i.ref} {i.title}",
                         f"{i.get_incident_type_display()} · {i.get_severity_display()} · "
                         f"{i.get_status_display()} · occurred "
                         f"{timezone.localtime(i.occurred_at).date().isoformat()}"
                         + (f" · {reported}" if reported else ""),
                         _url("improvement:incident_detail", ctx, i.pk),
                         "bad" if i.severity in ("high", "critical") else "warn"))
    return {"summary": f"{counted(len(rows), 'AI incident')} {_period(since, as_of)}.",
            "rows": rows, "empty": "No AI incident in the period."}


def improvements(ctx: Ctx, since, as_of) -> dict:
    """Opportunities for improvement on record and not yet implemented or rejected."""
    qs = improvements_open(ctx=ctx, created_before=end_of(as_of))
    rows = [_row(f"{i.ref} {i.title}", f"{i.get_source_display()} · {i.get_status_display()}"
                 + (f" · target {i.target_date.isoformat()}" if i.target_date else ""),
                 _url("improvement:improvement_detail", ctx, i.pk))
            for i in qs]
    return {"summary": f"{counted(len(rows), 'opportunity', 'opportunities')} for improvement under consideration.",
            "rows": rows, "empty": "No open opportunity for improvement."}


INPUTS: list[Input] = [
    Input("previous_actions", "Status of actions from previous management reviews",
          previous_actions),
    Input("context_changes", "Changes in external and internal issues relevant to the AIMS",
          context_changes),
    Input("interested_parties", "Changes in the needs and expectations of interested parties",
          interested_parties),
    Input("monitoring", "Monitoring and measurement results, and AI objectives", monitoring),
    Input("nonconformities", "Nonconformities and corrective actions", nonconformities),
    Input("audits", "Audit results", audits),
    Input("incidents", "AI incidents", incidents),
    Input("risks", "AI risks and the status of their treatment", risks),
    Input("improvements", "Opportunities for continual improvement", improvements),
]


def build_inputs(*, ctx: Ctx, since: datetime.date | None, as_of: datetime.date
                 ) -> list[tuple[Input, dict]]:
    """Every input, built as of `as_of` for the period starting `since`."""
    return [(i, i.build(ctx, since, as_of)) for i in INPUTS]


