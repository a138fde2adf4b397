"""Evaluation (clause 9) and improvement (clause 10) rules."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.audits.models import AuditLine
from aims.audits.services import audit_create, line_update, programme_create, report_issue
from aims.improvement import services as improvement
from aims.improvement.models import Nonconformity
from aims.improvement.services import incident_create, nonconformity_create
from aims.objectives.services import monitor_create, monitor_result_record
from aims.readiness.tests.conftest import TODAY, findings
from aims.reviews import services as reviews
from aims.reviews.models import AgendaItem

pytestmark = pytest.mark.django_db
LATER = TODAY + datetime.timedelta(days=60)


def _monitor(ctx, **data):
    return monitor_create(ctx=ctx, data={
        "name": "Approval-rate gap", "indicator": "bias", "method": "Monthly report.",
        "frequency": "monthly", "unit": "points", "upper_threshold": "5", **data})


def test_monitoring_overdue(ctx):
    monitor = _monitor(ctx)
    monitor_result_record(ctx=ctx, monitor_id=monitor.pk,
                          data={"measured_on": TODAY, "value": "3"})
    assert findings(ctx, "EVAL-MONITOR-OVERDUE") == []
    [f] = findings(ctx, "EVAL-MONITOR-OVERDUE", as_of=LATER)
    assert (f.subject.kind, f.subject.id) == ("monitor", str(monitor.pk))


def test_breach_needs_an_analysis_or_something_raised(ctx):
    monitor = _monitor(ctx)
    breach = monitor_result_record(ctx=ctx, monitor_id=monitor.pk,
                                   data={"measured_on": TODAY, "value": "9"})
    [f] = findings(ctx, "EVAL-BREACH-UNANSWERED")
    assert f.subject.id == str(breach.pk) and f.severity == "minor"
    improvement.incident_create(ctx=ctx, data={}, origin=breach)
    assert findings(ctx, "EVAL-BREACH-UNANSWERED") == []
    analysed = monitor_result_record(ctx=ctx, monitor_id=monitor.pk, data={
        "measured_on": TODAY - datetime.timedelta(days=1), "value": "8",
        "analysis": "A data delay; the next run is back within bounds."})
    assert str(analysed.pk) not in [f.subject.id for f in findings(ctx, "EVAL-BREACH-UNANSWERED")]


def test_audit_programme_its_coverage_and_a_report_in_the_last_year(ctx, admin_ctx):
    assert findings(ctx, "EVAL-AUDIT-PROGRAMME")[0].severity == "major"
    assert findings(ctx, "EVAL-AUDIT-COVERAGE") == []
    assert findings(ctx, "EVAL-AUDIT-NONE")[0].severity == "major"
    programme = programme_create(ctx=admin_ctx, data={
        "name": "Audit programme", "start_date": TODAY.replace(day=1)})
    assert findings(ctx, "EVAL-AUDIT-PROGRAMME") == []
    [f] = findings(ctx, "EVAL-AUDIT-COVERAGE")
    assert f.subject.id == str(programme.pk) and "4.1" in f.message
    audit = audit_create(ctx=admin_ctx, data={"title": "Policy audit",
                                              "programme": programme.pk,
                                              "requirements": ["5.2"]})
    for line in AuditLine.objects.for_org(audit.org).filter(audit=audit):
        line_update(ctx=admin_ctx, line_id=line.pk, version=line.version,
                    data={"result": "conforming", "notes": "Policy seen."})
    audit.refresh_from_db()
    report_issue(ctx=admin_ctx, audit_id=audit.pk, version=audit.version,
                 data={"summary": "The policy is in place.", "conclusion": "Conforming."})
    assert findings(ctx, "EVAL-AUDIT-NONE") == []
    assert findings(ctx, "EVAL-AUDIT-NONE", as_of=TODAY + datetime.timedelta(days=400))


def test_management_review_in_the_last_year_with_every_input(ctx, owner_ctx):
    from aims.reviews.tests.conftest import make_ready, plan

    [f] = findings(ctx, "EVAL-REVIEW-NONE")
    assert f.severity == "major"
    admin_ctx = owner_ctx  # an owner attends: top management is there
    review = make_ready(admin_ctx, plan(admin_ctx))
    reviews.review_hold(ctx=admin_ctx, review_id=review.pk, version=review.version)
    assert findings(ctx, "EVAL-REVIEW-NONE") == []
    assert findings(ctx, "EVAL-REVIEW-INPUTS") == []
    assert findings(ctx, "EVAL-REVIEW-NONE", as_of=TODAY + datetime.timedelta(days=366))
    AgendaItem.objects.for_org(review.org).filter(review=review, key="incidents").delete()
    [f] = findings(ctx, "EVAL-REVIEW-INPUTS")
    assert "AI incidents" in f.message and f.subject.id == str(review.pk)


def test_nonconformities(ctx, org):
    nc = nonconformity_create(ctx=ctx, data={
        "title": "Override log not reviewed", "source": "audit_finding",
        "description": "Nobody reviewed the human-override log for the quarter."})
    improvement.nonconformity_action_create(ctx=ctx, nc_id=nc.pk, data={
        "title": "Name a reviewer", "owner": ctx.user.pk,
        "due_date": TODAY + datetime.timedelta(days=5)})
    assert findings(ctx, "IMP-NC-ACTION-OVERDUE") == []
    [f] = findings(ctx, "IMP-NC-ACTION-OVERDUE", as_of=TODAY + datetime.timedelta(days=6))
    assert f.subject.id == str(nc.pk)
    assert findings(ctx, "IMP-NC-NO-ROOT-CAUSE") == []
    [f] = findings(ctx, "IMP-NC-NO-ROOT-CAUSE", as_of=TODAY + datetime.timedelta(days=31))
    assert f.subject.id == str(nc.pk)
    assert findings(ctx, "IMP-NC-CLOSED-UNVERIFIED") == []
    # Closed some other way than through its verification (brought in from elsewhere, say).
    Nonconformity.objects.for_org(org).filter(pk=nc.pk).update(closed_at=timezone.now())
    [f] = findings(ctx, "IMP-NC-CLOSED-UNVERIFIED")
    assert f.subject.id == str(nc.pk)


def test_incident_not_reported_by_its_deadline(ctx):
    now = timezone.now()
    incident = incident_create(ctx=ctx, data={
        "title": "Chatbot gave wrong fees", "incident_type": "other",
        "description": "The chatbot quoted last year's fees to twelve customers.",
        "occurred_at": now - datetime.timedelta(days=2), "detected_at": now,
        "reporting_needed": True, "report_to": "The national regulator",
        "report_deadline": now + datetime.timedelta(days=2)})
    assert findings(ctx, "IMP-INCIDENT-REPORT-LATE") == []
    [f] = findings(ctx, "IMP-INCIDENT-REPORT-LATE", as_of=TODAY + datetime.timedelta(days=3))
    assert f.subject.id == str(incident.pk) and f.severity == "major"
