"""The nine agenda inputs, each read from the record as of the meeting day: records created
after that day are left out, and changes count when they fall in the period reviewed (from the
day after the previous meeting up to and including the meeting day)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aims.context.services import (
    context_issue_create,
    context_issue_delete,
    context_issue_update,
    interested_party_create,
)
from aims.objectives.models import Objective
from aims.objectives.services import (
    measurement_create,
    monitor_create,
    monitor_result_record,
    objective_create,
)
from aims.reviews import services
from aims.reviews.inputs import INPUTS, build_inputs, end_of
from aims.reviews.tests.conftest import TODAY, YESTERDAY, inputs_of, plan
from aims.tasks.models import Task
from aims.tasks.services import task_complete, task_update
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

MEETING = TODAY - datetime.timedelta(days=10)  # a past meeting, so later days exist
SINCE = MEETING - datetime.timedelta(days=30)  # the previous meeting
DAY = datetime.timedelta(days=1)


def _read(ctx, key, since, as_of) -> dict:
    """One input as build_inputs makes it, without a review around it."""
    return dict((i.key, inputs) for i, inputs in build_inputs(ctx=ctx, since=since,
                                                              as_of=as_of))[key]


def _labels(inputs) -> list[str]:
    return [r["label"] for r in inputs["rows"]]


def _url(name, ctx, *args) -> str:
    return reverse(name, args=[ctx.org.slug, *args])


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_every_input_says_what_it_is_when_there_is_nothing(owner_ctx):
    review = plan(owner_ctx, on=MEETING)
    for spec in INPUTS:
        inputs = inputs_of(review, spec.key)
        assert set(inputs) == {"summary", "rows", "empty"}, spec.key
        assert inputs["summary"] and inputs["empty"], spec.key
    assert inputs_of(review, "previous_actions")["summary"] == "No actions from earlier reviews."
    # With no earlier review the period is open-ended: everything up to the meeting.
    assert inputs_of(review, "incidents")["summary"] == (
        f"0 AI incidents up to {MEETING.isoformat()}.")


def test_period_runs_from_the_previous_meeting_unless_given(owner_ctx):
    plan(owner_ctx, on=SINCE)
    second = plan(owner_ctx, on=MEETING)
    assert inputs_of(second, "incidents")["summary"] == (
        f"0 AI incidents between {SINCE.isoformat()} and {MEETING.isoformat()}.")
    given = MEETING - datetime.timedelta(days=5)
    second = services.review_update(ctx=owner_ctx, review_id=second.pk, version=second.version,
                                    data={"period_start": given})
    assert inputs_of(second, "incidents")["summary"] == (
        f"0 AI incidents between {given.isoformat()} and {MEETING.isoformat()}.")


def test_end_of_is_the_first_instant_of_the_next_local_day():
    end = end_of(datetime.date(2025, 6, 30))
    assert timezone.localtime(end).replace(tzinfo=None) == datetime.datetime(2025, 7, 1)


# ------------------------------------------------------------------ 1. previous actions


def test_previous_actions_as_they_stood(owner_ctx, members):
    first = plan(owner_ctx, datetime.date(2025, 1, 31))
    decision = services.decision_add(ctx=owner_ctx, review_id=first.pk, data={
        "kind": "resources", "text": "Fund a second model validator.",
        "action": "Hire validator", "owner": members["editor"].pk,
        "due_date": datetime.date(2025, 3, 31)})
    task = decision.task
    assert task.kind == "review_action" and task.subject_id == first.pk
    Task.all_orgs.filter(pk=task.pk).update(created_at=end_of(datetime.date(2025, 2, 1)))
    second = plan(owner_ctx, datetime.date(2025, 6, 30))
    rows = inputs_of(second, "previous_actions")["rows"]
    assert len(rows) == 1 and "overdue since 2025-03-31" in rows[0]["detail"]
    task_complete(ctx=owner_ctx, task_id=task.pk, version=task.version)
    # Completed today: after the second meeting, so it still stood overdue then.
    second = services.review_refresh(ctx=owner_ctx, review_id=second.pk)
    assert "overdue" in inputs_of(second, "previous_actions")["rows"][0]["detail"]
    third = plan(owner_ctx, TODAY)
    assert "done" in inputs_of(third, "previous_actions")["rows"][0]["detail"]


def test_previous_actions_rows_and_summary(owner_ctx, members):
    earlier = plan(owner_ctx, on=SINCE)
    actions = {}
    for name, due in (("late", MEETING - DAY), ("open", MEETING + DAY), ("done", MEETING - DAY)):
        actions[name] = services.decision_add(ctx=owner_ctx, review_id=earlier.pk, data={
            "kind": "change", "text": f"Decision {name}.", "action": f"Action {name}",
            "owner": members["editor"].pk, "due_date": due}).task
    Task.all_orgs.filter(pk__in=[t.pk for t in actions.values()]).update(
        created_at=_local(SINCE, 15))
    done = actions["done"]
    task_complete(ctx=owner_ctx, task_id=done.pk, version=done.version)
    Task.all_orgs.filter(pk=done.pk).update(completed_at=_local(MEETING, 23, 59))
    inputs = _read(owner_ctx, "previous_actions", SINCE, MEETING)
    assert inputs["summary"] == "3 actions from earlier reviews: 1 done, 1 open, 1 overdue."
    rows = {r["label"].split(" ", 1)[1]: r for r in inputs["rows"]}
    assert rows["Action late"]["flag"] == "bad"
    assert rows["Action late"]["detail"] == (
        f"From MR-001 · {members['editor'].display_name} · overdue since "
        f"{(MEETING - DAY).isoformat()}")
    assert rows["Action open"]["flag"] == "warn"
    assert rows["Action open"]["detail"].endswith(f"open, due {(MEETING + DAY).isoformat()}")
    assert rows["Action done"]["flag"] == "ok"
    assert rows["Action done"]["detail"].endswith(f"done {MEETING.isoformat()}")
    assert rows["Action done"]["url"] == _url("tasks:detail", owner_ctx, done.pk)
    # Completed the day after the meeting: it was still open (and late) at the meeting.
    Task.all_orgs.filter(pk=done.pk).update(completed_at=end_of(MEETING))
    inputs = _read(owner_ctx, "previous_actions", SINCE, MEETING)
    assert inputs["summary"] == "3 actions from earlier reviews: 0 done, 1 open, 2 overdue."


def test_previous_actions_leave_out_later_reviews_and_later_actions(owner_ctx, members):
    earlier, same_day = plan(owner_ctx, on=SINCE), plan(owner_ctx, on=MEETING)
    for review in (earlier, same_day):
        services.decision_add(ctx=owner_ctx, review_id=review.pk, data={
            "kind": "change", "text": f"From {review.ref}.", "action": f"Act on {review.ref}",
            "owner": members["editor"].pk, "due_date": TODAY})
    # Both actions were created today, after the meeting: neither existed at it.
    assert _read(owner_ctx, "previous_actions", SINCE, MEETING)["rows"] == []
    Task.all_orgs.update(created_at=_local(SINCE, 12))
    labels = _labels(_read(owner_ctx, "previous_actions", SINCE, MEETING))
    # The review on the meeting day itself is not an earlier review.
    assert len(labels) == 1 and labels[0].endswith("Act on MR-001")


def test_a_cancelled_action_is_not_reported_as_overdue(owner_ctx, members):
    earlier = plan(owner_ctx, on=SINCE)
    task = services.decision_add(ctx=owner_ctx, review_id=earlier.pk, data={
        "kind": "change", "text": "Buy a bias toolkit.", "action": "Buy the toolkit",
        "owner": members["editor"].pk, "due_date": MEETING - DAY}).task
    Task.all_orgs.filter(pk=task.pk).update(created_at=_local(SINCE, 12))
    task_update(ctx=owner_ctx, task_id=task.pk, version=task.version,
                data={"status": "cancelled"})
    inputs = _read(owner_ctx, "previous_actions", SINCE, MEETING)
    [row] = inputs["rows"]
    assert "overdue" not in row["detail"] and row["detail"].endswith("cancelled")
    assert row["flag"] == ""
    assert inputs["summary"] == ("1 action from earlier reviews: 0 done, 0 open, "
                                 "0 overdue, 1 cancelled.")


# ------------------------------------------------------------------ 2, 3. context


def test_inputs_as_of_the_meeting_date(owner_ctx, members):
    issue = context_issue_create(ctx=owner_ctx, data={
        "kind": "external", "title": "New supervisory statement on AI in credit"})
    monitor = monitor_create(ctx=owner_ctx, data={
        "name": "Override rate", "indicator": "human_override", "method": "Case log.",
        "frequency": "monthly", "unit": "%", "upper_threshold": "10"})
    monitor_result_record(ctx=owner_ctx, monitor_id=monitor.pk, data={
        "measured_on": datetime.date(2025, 5, 31), "value": "12"})
    monitor_result_record(ctx=owner_ctx, monitor_id=monitor.pk, data={
        "measured_on": datetime.date(2025, 7, 31), "value": "15"})
    past = plan(owner_ctx, datetime.date(2025, 6, 30))
    upcoming = plan(owner_ctx, TODAY + datetime.timedelta(days=7))
    # The issue was recorded today: after the past meeting, before the upcoming one.
    assert issue.title not in str(inputs_of(past, "context_changes"))
    assert issue.title in str(inputs_of(upcoming, "context_changes"))
    # Monitoring results count by the date they describe, up to the meeting.
    past_monitoring = inputs_of(past, "monitoring")
    assert "12 % on 2025-05-31" in str(past_monitoring)
    assert "2025-07-31" not in str(past_monitoring)
    # The upcoming review looks back to the previous meeting only.
    assert "2025-05-31" not in str(inputs_of(upcoming, "monitoring"))
    assert "2025-07-31" in str(inputs_of(upcoming, "monitoring"))


def test_context_changes_in_the_period(owner_ctx, members):
    kept = context_issue_create(ctx=owner_ctx, data={"kind": "external",
                                                     "title": "AI rules for lending"})
    gone = context_issue_create(ctx=owner_ctx, data={"kind": "internal",
                                                     "title": "Team reorganisation"})
    context_issue_update(ctx=owner_ctx, issue_id=kept.pk, version=kept.version,
                         data={"effect": "Oversight must be documented."})
    context_issue_delete(ctx=owner_ctx, issue_id=gone.pk, version=gone.version)
    inputs = _read(owner_ctx, "context_changes", YESTERDAY, TODAY)
    rows = inputs["rows"]
    assert [(r["label"], r["flag"]) for r in rows] == [
        ("AI rules for lending", "warn"), ("Team reorganisation", "warn"),
        ("AI rules for lending", ""), ("Team reorganisation", "warn")]
    assert rows[0]["detail"] == f"Created on {TODAY.isoformat()} by {members['owner'].email}"
    assert rows[3]["detail"].startswith("Deleted on")
    assert rows[0]["url"] == _url("context:issues", owner_ctx)
    assert inputs["summary"] == (f"4 changes to the issues between {YESTERDAY.isoformat()} "
                                 f"and {TODAY.isoformat()}; 1 issue in the register.")
    # Changes on the previous meeting's day were before that review; after the meeting day
    # they are for the next one.
    assert _read(owner_ctx, "context_changes", TODAY, TODAY)["rows"] == []
    before = _read(owner_ctx, "context_changes", None, YESTERDAY)
    assert before["rows"] == [] and before["summary"].endswith("0 issues in the register.")


def test_interested_parties_changed_in_the_period(owner_ctx):
    interested_party_create(ctx=owner_ctx, data={
        "name": "Loan applicants", "category": "Affected individuals",
        "needs": "Fair decisions they can contest."})
    inputs = _read(owner_ctx, "interested_parties", YESTERDAY, TODAY)
    assert _labels(inputs) == ["Loan applicants"]
    assert inputs["rows"][0]["url"] == _url("context:parties", owner_ctx)
    assert inputs["summary"] == (
        "1 change to interested parties' needs and expectations between "
        f"{YESTERDAY.isoformat()} and {TODAY.isoformat()}; 1 party on record.")
    assert _read(owner_ctx, "interested_parties", TODAY, TODAY)["rows"] == []
    earlier = _read(owner_ctx, "interested_parties", None, YESTERDAY)
    assert earlier["rows"] == [] and earlier["summary"].endswith("0 parties on record.")


# ------------------------------------------------------------------ 4. monitoring


def test_monitoring_results_in_the_period(owner_ctx):
    monitor = monitor_create(ctx=owner_ctx, data={
        "name": "Override rate", "indicator": "human_override", "method": "Case log.",
        "frequency": "daily", "unit": "%", "upper_threshold": "10"})
    for day, value in ((SINCE, "20"), (SINCE + DAY, "11"), (MEETING - DAY, "5"),
                       (MEETING, "30"), (MEETING + DAY, "40")):
        monitor_result_record(ctx=owner_ctx, monitor_id=monitor.pk,
                              data={"measured_on": day, "value": value})
    inputs = _read(owner_ctx, "monitoring", SINCE, MEETING)
    breaches = [r for r in inputs["rows"] if r["flag"] == "bad"]
    # The results on the day after the previous meeting up to the meeting day; of those,
    # the two above the threshold are listed.
    assert [r["detail"].split(" (")[0] for r in breaches] == [
        f"30 % on {MEETING.isoformat()}", f"11 % on {(SINCE + DAY).isoformat()}"]
    assert breaches[0]["label"] == f"{monitor.ref} Override rate"
    assert breaches[0]["url"] == _url("objectives:monitor_detail", owner_ctx, monitor.pk)
    assert inputs["summary"].startswith(
        f"3 monitoring results between {SINCE.isoformat()} and {MEETING.isoformat()}, "
        "2 outside thresholds;")


def test_objectives_stand_as_last_measured_before_the_meeting(owner_ctx):
    common = {"policy_topic": "fairness", "metric": "Approval-rate gap.", "target": "0.05",
              "unit": "ratio", "direction": "lower", "frequency": "quarterly",
              "due_date": datetime.date(2030, 12, 31)}
    gap = objective_create(ctx=owner_ctx, data={**common, "title": "Approval gap"})
    new = objective_create(ctx=owner_ctx, data={**common, "title": "Not yet measured"})
    dropped = objective_create(ctx=owner_ctx, data={**common, "title": "Dropped objective",
                                                    "status": "abandoned"})
    later = objective_create(ctx=owner_ctx, data={**common, "title": "Set after the meeting"})
    Objective.all_orgs.filter(pk__in=[gap.pk, new.pk, dropped.pk]).update(
        created_at=_local(SINCE, 9))
    measurement_create(ctx=owner_ctx, objective_id=gap.pk,
                       data={"measured_on": MEETING - DAY, "value": "0.08"})
    measurement_create(ctx=owner_ctx, objective_id=gap.pk,
                       data={"measured_on": MEETING + DAY, "value": "0.01"})
    inputs = _read(owner_ctx, "monitoring", SINCE, MEETING)
    rows = {r["label"]: r for r in inputs["rows"]}
    assert set(rows) == {"Approval gap", "Not yet measured"}
    assert later.title not in rows and dropped.title not in rows
    assert rows["Approval gap"]["detail"] == (
        f"0.08 ratio on {(MEETING - DAY).isoformat()} against ≤ 0.05 ratio")
    assert rows["Approval gap"]["flag"] == "bad"
    assert (rows["Not yet measured"]["detail"], rows["Not yet measured"]["flag"]) == (
        "No measurement yet.", "warn")
    assert inputs["summary"].endswith("2 active objectives, 1 off track.")
    # Measured back on target after the meeting: today it is on track.
    today = {r["label"]: r for r in _read(owner_ctx, "monitoring", MEETING, TODAY)["rows"]}
    assert today["Approval gap"]["flag"] == "ok"


# ------------------------------------------------------------------ 5. nonconformities


def test_nonconformities_as_of_the_meeting(owner_ctx, members):
    from aims.improvement.services import nonconformity_create

    nc = nonconformity_create(ctx=owner_ctx, data={
        "title": "Override log not reviewed", "source": "audit_finding", "severity": "minor",
        "description": "Nobody looked at the override log in March."})
    past = plan(owner_ctx, datetime.date(2025, 6, 30))
    today = plan(owner_ctx, TODAY)
    assert nc.ref not in str(inputs_of(past, "nonconformities"))  # raised after that meeting
    rows = inputs_of(today, "nonconformities")["rows"]
    assert len(rows) == 1 and nc.ref in rows[0]["label"] and "open since" in rows[0]["detail"]


def _nc(ctx, title, raised_on):
    from aims.improvement.services import nonconformity_create

    return nonconformity_create(ctx=ctx, data={
        "title": title, "source": "audit_finding", "severity": "minor", "raised_on": raised_on,
        "description": f"{title}: found in the internal audit."})


def _close(nc, at):
    from aims.improvement.models import Nonconformity

    Nonconformity.all_orgs.filter(pk=nc.pk).update(closed_at=at)


def test_nonconformities_open_or_raised_in_the_period(ctx, members):
    before = _nc(ctx, "Closed before the period", SINCE - datetime.timedelta(days=20))
    _close(before, _local(SINCE, 18))
    in_period = _nc(ctx, "Closed in the period", SINCE - datetime.timedelta(days=20))
    _close(in_period, end_of(SINCE))
    after = _nc(ctx, "Closed after the meeting", SINCE + DAY)
    _close(after, end_of(MEETING))
    on_the_day = _nc(ctx, "Raised on the meeting day", MEETING)
    _nc(ctx, "Raised after the meeting", MEETING + DAY)
    inputs = _read(ctx, "nonconformities", SINCE, MEETING)
    rows = {r["label"].split(" ", 1)[1]: r for r in inputs["rows"]}
    assert list(rows) == ["Closed in the period", "Closed after the meeting",
                          "Raised on the meeting day"]
    assert rows["Closed in the period"]["flag"] == "ok"
    assert rows["Closed in the period"]["detail"].endswith(
        f"closed {(SINCE + DAY).isoformat()}")
    # Closed only after the meeting: it was open at it.
    assert rows["Closed after the meeting"]["flag"] == "warn"
    assert rows["Closed after the meeting"]["detail"].endswith(
        f"open since {(SINCE + DAY).isoformat()}")
    assert rows["Raised on the meeting day"]["url"] == _url("improvement:nc_detail", ctx,
                                                            on_the_day.pk)
    assert inputs["summary"] == (
        f"3 nonconformities raised or open between {SINCE.isoformat()} and "
        f"{MEETING.isoformat()}: 2 open, 0 with overdue corrective actions.")


def test_nonconformities_with_overdue_corrective_actions(ctx, members):
    from aims.improvement.services import nonconformity_action_create

    late = _nc(ctx, "Action late", SINCE)
    dropped = _nc(ctx, "Action cancelled", SINCE)
    for nc in (late, dropped):
        task = nonconformity_action_create(ctx=ctx, nc_id=nc.pk, data={
            "title": f"Fix: {nc.title}", "owner": members["editor"].pk,
            "due_date": MEETING - DAY})
        Task.all_orgs.filter(pk=task.pk).update(created_at=_local(SINCE, 12))
        if nc is dropped:
            task_update(ctx=ctx, task_id=task.pk, version=task.version,
                        data={"status": "cancelled"}, perm="improvement.change")
    inputs = _read(ctx, "nonconformities", SINCE, MEETING)
    rows = {r["label"].split(" ", 1)[1]: r for r in inputs["rows"]}
    assert rows["Action late"]["flag"] == "bad"
    assert rows["Action late"]["detail"].endswith(", 1 corrective action overdue")
    assert rows["Action cancelled"]["flag"] == "warn"
    assert "overdue" not in rows["Action cancelled"]["detail"]
    assert inputs["summary"].endswith("2 open, 1 with overdue corrective actions.")
    # The day before the action fell due, nothing was late yet.
    assert _read(ctx, "nonconformities", SINCE, MEETING - 2 * DAY)["summary"].endswith(
        "0 with overdue corrective actions.")


# ------------------------------------------------------------------ 6. audits


def _issued_audit(ctx, members, title, results):
    from aims.audits import services as audits
    from aims.audits.models import Audit, AuditLine

    programme = audits.programme_create(ctx=ctx, data={
        "name": f"Programme for {title}", "start_date": datetime.date(2025, 1, 1)})
    audit = audits.audit_create(ctx=ctx, data={
        "title": title, "programme": programme.pk, "requirements": ["6.1.2", "8.2", "9.2.1"],
        "lead_auditor": members["auditor"].pk})
    lines = AuditLine.objects.for_org(ctx.org).filter(audit=audit).order_by("sort_key")
    for line, result in zip(lines, results, strict=True):
        audits.line_update(ctx=ctx, line_id=line.pk, version=line.version,
                           data={"result": result, "notes": "Sampled three records."})
    audit = Audit.all_orgs.get(pk=audit.pk)
    return audits.report_issue(ctx=ctx, audit_id=audit.pk, version=audit.version, data={
        "summary": "Planning audited.", "conclusion": "Mostly conforming."})


def test_audits_reported_in_the_period(owner_ctx, members):
    from aims.audits.models import Audit

    major = _issued_audit(owner_ctx, members, "Risk planning",
                          ["major_nc", "minor_nc", "observation"])
    minor = _issued_audit(owner_ctx, members, "Internal audit", ["minor_nc", "ofi", "conforming"])
    Audit.all_orgs.filter(pk=minor.pk).update(issued_at=end_of(SINCE))
    Audit.all_orgs.filter(pk=major.pk).update(issued_at=_local(MEETING, 23, 30))
    old = _issued_audit(owner_ctx, members, "Last cycle", ["conforming"] * 3)
    Audit.all_orgs.filter(pk=old.pk).update(issued_at=_local(SINCE, 10))
    inputs = _read(owner_ctx, "audits", SINCE, MEETING)
    rows = inputs["rows"]
    assert [r["label"] for r in rows] == [f"{minor.ref} Internal audit",
                                          f"{major.ref} Risk planning"]
    assert rows[1]["detail"] == (
        f"Reported {MEETING.isoformat()}: 1 major and 1 minor nonconformities, 1 observations "
        "or opportunities. Mostly conforming.")
    assert [r["flag"] for r in rows] == ["warn", "bad"]
    assert rows[0]["url"] == _url("audits:detail", owner_ctx, minor.pk)
    assert inputs["summary"] == (f"2 audit reports issued between {SINCE.isoformat()} and "
                                 f"{MEETING.isoformat()}; 0 audits planned or in progress.")
    # Issued the day after the meeting: left to the next review.
    Audit.all_orgs.filter(pk=major.pk).update(issued_at=end_of(MEETING))
    assert len(_read(owner_ctx, "audits", SINCE, MEETING)["rows"]) == 1


def test_audits_planned_count_as_of_the_meeting(owner_ctx, members):
    from aims.audits import services as audits

    programme = audits.programme_create(ctx=owner_ctx, data={
        "name": "Programme", "start_date": datetime.date(2025, 1, 1)})
    audits.audit_create(ctx=owner_ctx, data={
        "title": "Next audit", "programme": programme.pk, "requirements": ["9.2.1"],
        "lead_auditor": members["auditor"].pk})
    assert _read(owner_ctx, "audits", None, TODAY)["summary"].endswith(
        "1 audit planned or in progress.")
    assert _read(owner_ctx, "audits", None, YESTERDAY)["summary"].endswith(
        "0 audits planned or in progress.")


# ------------------------------------------------------------------ 7. incidents


def test_incidents_that_occurred_in_the_period(ctx):
    from aims.improvement.services import incident_create

    def incident(title, occurred, severity="medium", **extra):
        return incident_create(ctx=ctx, data={
            "title": title, "incident_type": "drift", "severity": severity,
            "occurred_at": occurred, "detected_at": occurred + datetime.timedelta(hours=1),
            "description": f"{title}.", **extra})

    incident("On the previous meeting day", _local(SINCE, 23, 59))
    first = incident("First day of the period", end_of(SINCE), severity="high",
                     reporting_needed=True, report_to="Regulator",
                     report_deadline=end_of(SINCE) + datetime.timedelta(days=3))
    incident("On the meeting day", _local(MEETING, 23, 0))
    incident("The day after", end_of(MEETING))
    inputs = _read(ctx, "incidents", SINCE, MEETING)
    rows = inputs["rows"]
    assert [r["label"].split(" ", 1)[1] for r in rows] == ["First day of the period",
                                                           "On the meeting day"]
    assert rows[0]["detail"] == ("Drift or degraded performance · High · Open · occurred "
                                 f"{(SINCE + DAY).isoformat()} · report to Regulator pending")
    assert [r["flag"] for r in rows] == ["bad", "warn"]
    assert rows[0]["url"] == _url("improvement:incident_detail", ctx, first.pk)
    assert inputs["summary"] == (f"2 AI incidents between {SINCE.isoformat()} and "
                                 f"{MEETING.isoformat()}.")
    assert len(_read(ctx, "incidents", None, MEETING)["rows"]) == 3


# ------------------------------------------------------------------ 8. risks


def test_risks_rated_high_or_above_that_existed_at_the_meeting(ctx, members):
    from aims.risks.models import Risk
    from aims.risks.services import risk_create

    def risk(title, likelihood, impact, **extra):
        return risk_create(ctx=ctx, data={
            "title": title, "category": "bias", "owner": members["editor"].pk,
            "inherent_likelihood": likelihood, "inherent_impact": impact, **extra})

    severe = risk("Biased declines", 5, 5)
    risk("Slow answers", 1, 1)
    closed = risk("Retired model drift", 5, 5)
    Risk.all_orgs.filter(pk=closed.pk).update(status="closed")
    later = risk("Prompt injection", 5, 5)
    Risk.all_orgs.exclude(pk=later.pk).update(created_at=_local(SINCE, 9))
    inputs = _read(ctx, "risks", SINCE, MEETING)
    assert _labels(inputs) == [f"{severe.ref} Biased declines"]
    row = inputs["rows"][0]
    assert row["flag"] == "bad" and row["detail"].endswith(f"· {members['editor'].display_name}")
    assert row["detail"].split(" · ")[0] in ("High", "Critical")
    assert row["url"] == _url("risks:detail", ctx, severe.pk)
    assert inputs["summary"] == "2 open risks; 1 rated high or critical."
    assert _read(ctx, "risks", SINCE, TODAY)["summary"] == (
        "3 open risks; 2 rated high or critical.")


# ------------------------------------------------------------------ 9. improvements


def test_improvements_under_consideration(ctx, members, org):
    from aims.improvement.models import Improvement
    from aims.improvement.services import improvement_create, improvement_update

    open_ = improvement_create(ctx=ctx, data={
        "title": "Automate evidence collection", "source": "audit",
        "target_date": MEETING + datetime.timedelta(days=60)})
    for status in ("implemented", "rejected", "accepted"):
        item = improvement_create(ctx=ctx, data={"title": f"Idea {status}"})
        improvement_update(ctx=ctx, improvement_id=item.pk, version=item.version,
                           data={"status": status})
    later = improvement_create(ctx=ctx, data={"title": "Suggested after the meeting"})
    Improvement.all_orgs.exclude(pk=later.pk).update(created_at=_local(SINCE, 9))
    inputs = _read(ctx, "improvements", SINCE, MEETING)
    assert sorted(_labels(inputs)) == sorted([f"{open_.ref} Automate evidence collection",
                                              "IMP-004 Idea accepted"])
    row = next(r for r in inputs["rows"] if r["label"].startswith(open_.ref))
    assert row["detail"] == (f"Audit · Proposed · target "
                             f"{(MEETING + datetime.timedelta(days=60)).isoformat()}")
    assert row["url"] == _url("improvement:improvement_detail", ctx, open_.pk)
    assert inputs["summary"] == "2 opportunities for improvement under consideration."


# ------------------------------------------------------------------ dates in the zone


def test_dates_shown_are_local_dates(settings, owner_ctx, members):
    """A record closed early in the morning, local time, is shown on its local day (the day
    the period boundaries use), not on the UTC date before it."""
    settings.TIME_ZONE = "Pacific/Auckland"
    meeting = datetime.date(2025, 7, 1)
    early = _local(meeting, 9)  # still 30 June in UTC
    assert early.astimezone(datetime.UTC).date() == datetime.date(2025, 6, 30)
    nc = _nc(ctx_for(owner_ctx.org, members["editor"]), "Closed early",
             datetime.date(2025, 6, 1))
    _close(nc, early)
    rows = _read(owner_ctx, "nonconformities", datetime.date(2025, 6, 30), meeting)["rows"]
    assert rows[0]["detail"].endswith("closed 2025-07-01")
    earlier = plan(owner_ctx, on=datetime.date(2025, 6, 1))
    task = services.decision_add(ctx=owner_ctx, review_id=earlier.pk, data={
        "kind": "other", "text": "Do it.", "action": "Do it", "owner": members["admin"].pk,
        "due_date": meeting}).task
    task_complete(ctx=owner_ctx, task_id=task.pk, version=task.version)
    Task.all_orgs.filter(pk=task.pk).update(created_at=_local(datetime.date(2025, 6, 1), 12),
                                            completed_at=early)
    [row] = _read(owner_ctx, "previous_actions", None, meeting)["rows"]
    assert row["detail"].endswith("done 2025-07-01")
