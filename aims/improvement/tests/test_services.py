from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.improvement import selectors, services
from aims.improvement.models import Incident
from aims.improvement.tests.conftest import incident_data, nc_data, reload
from aims.tasks.models import Task, TaskKind
from aims.tasks.services import task_update
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


def _close_errors(ctx, nc) -> list[str]:
    nc = reload(nc)
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_close(ctx=ctx, nc_id=nc.pk, version=nc.version)
    return exc.value.errors["__all__"]


def _status(ctx, nc) -> str:
    return selectors.nonconformity_get(ctx=ctx, nc_id=nc.pk).status


# ---------------------------------------------------------------------------- raising


def test_raise_numbers_and_logs(ctx, members):
    a = services.nonconformity_create(ctx=ctx, data=nc_data(owner=members["editor"].pk,
                                                            requirement="9.2"))
    b = services.nonconformity_create(ctx=ctx, data=nc_data())
    assert (a.ref, b.ref) == ("NC-001", "NC-002")
    assert a.requirement.ref == "9.2" and a.raised_by == members["editor"]
    assert a.raised_on == timezone.localdate()
    event = Event.objects.filter(org=ctx.org, object_id=str(a.pk)).get()
    assert event.action == "create" and event.changes["requirement"]["after"] == "9.2"
    assert _status(ctx, a) == "open"


def test_unknown_requirement_and_foreign_owner_are_refused(ctx, other_org):
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_create(ctx=ctx, data=nc_data(requirement="99.9"))
    assert "requirement" in exc.value.errors
    outsider = other_org  # its owner is not a member here
    from aims.orgs.models import Membership
    stranger = Membership.objects.get(org=outsider, role="owner").user
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_create(ctx=ctx, data=nc_data(owner=stranger.pk))
    assert "owner" in exc.value.errors


def test_five_whys_are_ordered_and_at_most_five(builder, ctx):
    nc = builder.raise_()
    nc = services.nonconformity_update(ctx=ctx, nc_id=nc.pk, version=nc.version, data={
        "rca_method": "five_whys", "whys": ["a", "b", "", "", ""], "root_cause": "c"})
    assert nc.whys == ["a", "b"]
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_update(ctx=ctx, nc_id=nc.pk, version=nc.version,
                                      data={"whys": ["1", "2", "3", "4", "5", "6"]})
    assert "whys" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_update(ctx=ctx, nc_id=nc.pk, version=nc.version,
                                      data={"rca_method": "free_text"})
    assert "whys" in exc.value.errors


def test_stale_update_is_a_conflict(builder, ctx):
    nc = builder.raise_()
    services.nonconformity_update(ctx=ctx, nc_id=nc.pk, version=nc.version, data={"title": "A"})
    with pytest.raises(Conflict):
        services.nonconformity_update(ctx=ctx, nc_id=nc.pk, version=nc.version,
                                      data={"title": "B"})


# ---------------------------------------------------------------------------- the closing rule


def test_close_names_every_missing_item(builder, auditor_ctx):
    nc = builder.raise_()
    errors = _close_errors(auditor_ctx, nc)
    assert len(errors) == 3
    assert "root cause" in errors[0]
    assert "at least one corrective action" in errors[1]
    assert "positive effectiveness verification" in errors[2]


def test_close_needs_a_root_cause(builder, auditor_ctx):
    nc = builder.raise_()
    task = builder.action(nc)
    builder.complete(nc, task)
    builder.verify(nc)
    errors = _close_errors(auditor_ctx, nc)
    assert len(errors) == 1 and "root cause" in errors[0]


def test_close_needs_every_action_done(builder, auditor_ctx, ctx):
    nc = builder.analyse(builder.raise_())
    first = builder.action(nc)
    second = builder.action(nc, title="Add the review to the monthly checklist")
    assert _status(ctx, nc) == "action_planned"
    builder.complete(nc, first)
    errors = _close_errors(auditor_ctx, nc)
    assert any(second.ref in e and "still open" in e for e in errors)
    assert not any(first.ref in e for e in errors)


def test_verification_waits_for_every_action(builder, ctx):
    nc = builder.analyse(builder.raise_())
    with pytest.raises(ValidationError, match="at least one corrective action"):
        builder.verify(nc)
    task = builder.action(nc)
    with pytest.raises(ValidationError, match=f"{task.ref} still open"):
        builder.verify(nc)
    builder.complete(nc, task)
    assert _status(ctx, nc) == "verifying"
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_verify(ctx=builder.verifier, nc_id=nc.pk,
                                      version=reload(nc).version,
                                      data={"result": "effective",
                                            "verified_on": timezone.localdate()
                                            - datetime.timedelta(days=1)})
    assert "verified_on" in exc.value.errors


def test_close_needs_a_positive_verification(builder, auditor_ctx, ctx):
    nc = builder.analyse(builder.raise_())
    builder.complete(nc, builder.action(nc))
    errors = _close_errors(auditor_ctx, nc)
    assert len(errors) == 1 and "positive effectiveness verification" in errors[0]


def test_not_effective_verification_reopens_to_planning(builder, auditor_ctx, ctx):
    nc = builder.analyse(builder.raise_())
    builder.complete(nc, builder.action(nc))
    with pytest.raises(ValidationError) as exc:
        builder.verify(nc, result="not_effective", notes="")
    assert "notes" in exc.value.errors
    nc = builder.verify(nc, result="not_effective", notes="Two weeks unreviewed in June.")
    assert _status(ctx, nc) == "action_planned"
    errors = _close_errors(auditor_ctx, nc)
    assert len(errors) == 1 and "not effective" in errors[0]
    # Further actions, then a positive check: it closes.
    again = builder.action(nc, title="Give the review a deputy")
    assert _status(ctx, nc) == "action_planned"
    builder.complete(nc, again)
    assert _status(ctx, nc) == "verifying"
    nc = builder.verify(nc)
    closed = services.nonconformity_close(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version)
    assert closed.closed_by == auditor_ctx.user
    assert _status(ctx, nc) == "closed"


def test_action_completed_after_verification_needs_a_new_check(builder, auditor_ctx, ctx):
    nc = builder.ready()
    late = builder.action(nc, title="Also review the Q2 log")
    builder.complete(nc, late)
    errors = _close_errors(auditor_ctx, nc)
    assert len(errors) == 1 and f"before {late.ref} was completed" in errors[0]
    assert _status(ctx, nc) == "verifying"
    nc = builder.verify(nc)
    services.nonconformity_close(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version)


def test_cancelled_actions_do_not_count(builder, auditor_ctx, ctx):
    nc = builder.ready()
    dropped = builder.action(nc, title="Buy a tool")
    task_update(ctx=ctx, task_id=dropped.pk, version=dropped.version,
                data={"status": "cancelled"}, perm="improvement.change")
    nc = reload(nc)
    closed = services.nonconformity_close(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version)
    assert closed.closed_at is not None and closed.closed_by == auditor_ctx.user
    assert _status(ctx, nc) == "closed"


def test_closed_is_final(builder, auditor_ctx, ctx):
    nc = builder.ready()
    nc = services.nonconformity_close(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version)
    for call in (
        lambda: services.nonconformity_update(ctx=ctx, nc_id=nc.pk, version=nc.version,
                                              data={"title": "x"}),
        lambda: builder.action(nc),
        lambda: builder.verify(nc),
        lambda: services.nonconformity_close(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version),
        lambda: services.nonconformity_delete(ctx=ctx, nc_id=nc.pk, version=nc.version),
    ):
        with pytest.raises(ValidationError):
            call()


def test_actions_need_owner_and_due_date(builder, ctx):
    nc = builder.raise_()
    with pytest.raises(ValidationError) as exc:
        services.nonconformity_action_create(ctx=ctx, nc_id=nc.pk, data={"title": "Fix"})
    assert set(exc.value.errors) == {"owner", "due_date"}
    task = builder.action(nc)
    assert task.kind == TaskKind.CORRECTIVE_ACTION
    assert (task.subject_kind, task.subject_id) == ("nonconformity", nc.pk)


def test_delete_only_without_actions(builder, ctx):
    nc = builder.raise_()
    builder.action(nc)
    with pytest.raises(ValidationError, match="tasks"):
        services.nonconformity_delete(ctx=ctx, nc_id=nc.pk, version=reload(nc).version)
    bare = builder.raise_()
    services.nonconformity_delete(ctx=ctx, nc_id=bare.pk, version=bare.version)


# ---------------------------------------------------------------------------- ageing, overdue


def test_ageing_and_overdue(builder, ctx):
    today = timezone.localdate()
    old = builder.raise_(raised_on=today - datetime.timedelta(days=100))
    mid = builder.raise_(raised_on=today - datetime.timedelta(days=45))
    new = builder.raise_()
    late = builder.action(mid, due=today - datetime.timedelta(days=3))
    buckets = {b["key"]: (b["count"], b["with_overdue"]) for b in selectors.ageing(ctx=ctx)}
    assert buckets == {"0-30": (1, 0), "31-90": (1, 1), "90+": (1, 0)}

    def refs(**f):
        return [n.ref for n in selectors.nonconformity_list(ctx=ctx,
                                                            filters=selectors.NcFilters(**f))]
    assert refs(age="90+") == [old.ref]
    assert refs(age="0-30") == [new.ref]
    assert refs(overdue=True) == [mid.ref]
    assert [(t.ref, n.ref) for t, n in selectors.overdue_actions(ctx=ctx)] == [(late.ref, mid.ref)]
    assert old.days_open(today) == 100
    summary = selectors.nonconformity_summary(ctx=ctx)
    assert summary["open"] == 2 and summary["action_planned"] == 1
    assert summary["with_overdue_actions"] == 1


# ---------------------------------------------------------------------------- permissions


def test_auditor_raises_and_verifies_but_does_not_manage(builder, auditor_ctx, ctx):
    nc = services.nonconformity_create(ctx=auditor_ctx, data=nc_data())
    services.incident_create(ctx=auditor_ctx, data=incident_data())
    services.improvement_create(ctx=auditor_ctx, data={"title": "Automate drift alerts"})
    with pytest.raises(PermissionDenied):
        services.nonconformity_action_create(ctx=auditor_ctx, nc_id=nc.pk, data={
            "title": "x", "owner": ctx.user.pk, "due_date": timezone.localdate()})
    with pytest.raises(PermissionDenied):
        services.nonconformity_update(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version,
                                      data={"title": "x"})
    task = builder.action(builder.analyse(reload(nc)))
    with pytest.raises(PermissionDenied):
        services.nonconformity_action_complete(ctx=auditor_ctx, nc_id=nc.pk, action_id=task.pk,
                                               version=task.version)
    builder.complete(nc, task)
    nc = builder.verify(nc)  # as the auditor
    assert nc.verified_by == auditor_ctx.user
    services.nonconformity_close(ctx=auditor_ctx, nc_id=nc.pk, version=nc.version)


def test_editor_cannot_verify_or_close(builder, ctx):
    nc = builder.analyse(builder.raise_())
    builder.complete(nc, builder.action(nc))
    nc = reload(nc)
    with pytest.raises(PermissionDenied):
        services.nonconformity_verify(ctx=ctx, nc_id=nc.pk, version=nc.version,
                                      data={"result": "effective"})
    with pytest.raises(PermissionDenied):
        services.nonconformity_close(ctx=ctx, nc_id=nc.pk, version=nc.version)


def test_viewer_may_do_nothing(viewer_ctx, builder):
    nc = builder.raise_()
    calls = [
        lambda: services.nonconformity_create(ctx=viewer_ctx, data=nc_data()),
        lambda: services.incident_create(ctx=viewer_ctx, data=incident_data()),
        lambda: services.improvement_create(ctx=viewer_ctx, data={"title": "x"}),
        lambda: services.nonconformity_verify(ctx=viewer_ctx, nc_id=nc.pk, version=1,
                                              data={"result": "effective"}),
        lambda: services.nonconformity_close(ctx=viewer_ctx, nc_id=nc.pk, version=1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_action_owner_completes_their_own_action(builder, org, members):
    from aims.testing.factories import ctx_for

    nc = builder.raise_()
    task = services.nonconformity_action_create(ctx=builder.ctx, nc_id=nc.pk, data={
        "title": "Own action", "owner": members["viewer"].pk,
        "due_date": timezone.localdate()})
    done = services.nonconformity_action_complete(ctx=ctx_for(org, members["viewer"]),
                                                  nc_id=nc.pk, action_id=task.pk,
                                                  version=task.version, note="Done.")
    assert done.is_done and done.completion_note == "Done."


# ---------------------------------------------------------------------------- incidents


def test_incident_times(ctx):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(
            occurred_at=now - datetime.timedelta(hours=1),
            detected_at=now - datetime.timedelta(hours=2)))
    assert "detected_at" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(
            occurred_at=now + datetime.timedelta(hours=1),
            detected_at=now + datetime.timedelta(hours=2)))
    assert {"occurred_at", "detected_at"} <= set(exc.value.errors)
    same = services.incident_create(ctx=ctx, data=incident_data(occurred_at=now,
                                                                detected_at=now))
    assert same.ref == "INC-001"


def test_reporting_overdue(ctx):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(reporting_needed=True))
    assert {"report_to", "report_deadline"} <= set(exc.value.errors)
    late = services.incident_create(ctx=ctx, data=incident_data(
        reporting_needed=True, report_to="Financial conduct regulator",
        report_deadline=now - datetime.timedelta(hours=1)))
    due = services.incident_create(ctx=ctx, data=incident_data(
        reporting_needed=True, report_to="Financial conduct regulator",
        report_deadline=now + datetime.timedelta(days=2)))
    assert late.reporting_overdue and not due.reporting_overdue
    overdue = selectors.incident_list(ctx=ctx, filters=selectors.IncidentFilters(
        reporting_overdue=True))
    assert [i.ref for i in overdue] == [late.ref]
    late = services.incident_update(ctx=ctx, incident_id=late.pk, version=late.version,
                                    data={"reported_at": now, "report_reference": "CASE-1"})
    assert not late.reporting_overdue
    with pytest.raises(ValidationError) as exc:
        services.incident_create(ctx=ctx, data=incident_data(reported_at=now))
    assert "reporting_needed" in exc.value.errors


def test_incident_cannot_close_with_reporting_or_communication_outstanding(ctx):
    incident = services.incident_create(ctx=ctx, data=incident_data(
        communication_needed=True, reporting_needed=True, report_to="Regulator",
        report_deadline=timezone.now() + datetime.timedelta(days=3)))
    with pytest.raises(ValidationError) as exc:
        services.incident_update(ctx=ctx, incident_id=incident.pk, version=incident.version,
                                 data={"status": "closed"})
    assert {"containment", "reported_at", "communicated_at"} <= set(exc.value.errors)


def test_incident_systems_are_logged(ctx):
    system = make_ai_system(ctx, name="Credit scoring model")
    incident = services.incident_create(ctx=ctx, data=incident_data(ai_systems=[system.pk]))
    assert list(incident.ai_systems.all()) == [system]
    event = Event.objects.filter(org=ctx.org, object_id=str(incident.pk)).get()
    assert event.changes["ai_systems"]["after"] == ["Credit scoring model"]
    incident = services.incident_update(ctx=ctx, incident_id=incident.pk,
                                        version=incident.version, data={"ai_systems": []})
    assert not incident.ai_systems.exists()
    assert [i.ref for i in selectors.incidents_for_system(ctx=ctx, system=system)] == []


def test_raise_nonconformity_from_incident(ctx, auditor_ctx):
    incident = services.incident_create(ctx=ctx, data=incident_data(
        severity="critical", containment="Switched to the previous model.",
        status="contained"))
    nc = services.incident_raise_nonconformity(ctx=auditor_ctx, incident_id=incident.pk)
    assert (nc.source, nc.severity, nc.title) == ("incident", "major", incident.title)
    assert nc.correction == "Switched to the previous model."
    assert (nc.subject_kind, nc.subject_id) == ("incident", incident.pk)
    assert Incident.all_orgs.get(pk=incident.pk).nonconformity == nc
    with pytest.raises(ValidationError, match=nc.ref):
        services.incident_raise_nonconformity(ctx=auditor_ctx, incident_id=incident.pk)


# ---------------------------------------------------------------------------- origins


def test_origin_by_kind_and_id_and_caller_values_win(ctx):
    incident = services.incident_create(ctx=ctx, data=incident_data())
    nc = services.nonconformity_create(ctx=ctx, data={
        "origin_kind": "incident", "origin_id": str(incident.pk), "title": "Own title"})
    assert nc.title == "Own title" and nc.description == incident.description
    item = services.improvement_create(ctx=ctx, data={}, origin=nc)
    assert (item.source, item.title, item.subject_id) == ("nonconformity", "Own title", nc.pk)
    raised = selectors.raised_from_kind(ctx=ctx, kind="nonconformity")[nc.pk]
    assert [i.ref for i in raised.improvements] == [item.ref]
    with pytest.raises(ValidationError):
        services.nonconformity_create(ctx=ctx, data=nc_data(origin_kind="incident"))


def test_foreign_origin_is_not_found(ctx, other_org):
    from aims.core.errors import NotFound
    from aims.orgs.models import Membership
    from aims.testing.factories import ctx_for

    owner = Membership.objects.get(org=other_org, role="owner").user
    theirs = services.incident_create(ctx=ctx_for(other_org, owner), data=incident_data())
    with pytest.raises(NotFound):
        services.nonconformity_create(ctx=ctx, data=nc_data(origin_kind="incident",
                                                            origin_id=str(theirs.pk)))


def test_nonconformity_from_an_audit_finding(owner_ctx, ctx):
    from aims.audits.models import AuditLine
    from aims.audits.services import audit_create, line_update, programme_create

    programme = programme_create(ctx=owner_ctx, data={
        "name": "Programme 2026", "start_date": timezone.localdate()})
    audit = audit_create(ctx=owner_ctx, data={
        "title": "Operation", "programme": programme.pk, "requirements": ["A.6.2.6"]})
    line = AuditLine.objects.for_org(ctx.org).get(audit=audit)
    line = line_update(ctx=owner_ctx, line_id=line.pk, version=line.version, data={
        "result": "minor_nc", "notes": "Two monitoring reports had no reviewer."})
    nc = services.nonconformity_create(ctx=ctx, data={}, origin=line)
    assert (nc.source, nc.severity) == ("audit_finding", "minor")
    assert nc.requirement == line.requirement
    assert nc.description == "Two monitoring reports had no reviewer."
    assert audit.ref in nc.title and "A.6.2.6" in nc.title
    assert (nc.subject_kind, nc.subject_id) == ("audit_line", line.pk)
    assert Task.objects.for_org(ctx.org).count() == 0
