"""Importing scans, triage, the acceptance exception and what a finding raises."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.findings import services
from aims.findings.models import Finding, Scan
from aims.findings.tests.conftest import result, sarif
from aims.improvement.models import Nonconformity
from aims.orgs.context import Ctx
from aims.risks.models import Risk
from aims.testing.factories import ctx_for, make_ai_system


def _findings(ctx, system):
    return {(f.rule_id, f.start_line): f for f in
            Finding.objects.for_org(ctx.org).filter(ai_system=system)}


def test_import_creates_findings_and_one_log_entry(ctx, system, llm_scan):
    before = Event.objects.filter(org=ctx.org).count()
    scan = services.scan_import(ctx=ctx, system_id=system.pk, content=llm_scan,
                                file_name="llm-scan.sarif")
    assert (scan.ref, scan.results, scan.new, scan.fixed) == ("SC-001", 4, 4, 0)
    found = Finding.objects.for_org(ctx.org).order_by("number")
    assert [f.ref for f in found] == ["SF-001", "SF-002", "SF-003", "SF-004"]
    assert all(f.status == "open" and f.last_scan_id == scan.pk for f in found)
    events = Event.objects.filter(org=ctx.org).order_by("seq")[before:]
    assert [(e.action, e.object_type) for e in events] == [("create", "findings.scan")]
    assert events[0].changes["new findings"]["after"] == ["SF-001", "SF-002", "SF-003",
                                                          "SF-004"]


def test_reimport_deduplicates_closes_vanished_and_reopens(ctx, system):
    first = sarif([result(line=1), result(line=2), result(line=3)])
    services.scan_import(ctx=ctx, system_id=system.pk, content=first)
    other_tool = sarif([result(line=2)], tool="othertool")
    services.scan_import(ctx=ctx, system_id=system.pk, content=other_tool)
    # The next scan still reports 1 and 2 (2 now worded differently), and no longer 3.
    second = sarif([result(line=1), result(line=2, text="Still built from input.")],
                   version="1.1")
    scan = services.scan_import(ctx=ctx, system_id=system.pk, content=second)
    assert (scan.new, scan.reopened, scan.fixed) == (0, 0, 1)
    f = _findings(ctx, system)
    assert Finding.objects.for_org(ctx.org).count() == 4  # nothing added twice
    one = Finding.objects.for_org(ctx.org).get(tool_name="codescan", start_line=1)
    two = Finding.objects.for_org(ctx.org).get(tool_name="codescan", start_line=2)
    three = Finding.objects.for_org(ctx.org).get(tool_name="codescan", start_line=3)
    assert one.status == two.status == "open" and two.message == "Still built from input."
    assert two.tool_version == "1.1"
    assert three.status == "fixed" and three.fixed_at is not None
    assert "No longer reported by codescan in SC-003" in three.status_reason
    # Another tool's findings are not closed by this tool's scan.
    assert Finding.objects.for_org(ctx.org).get(tool_name="othertool").status == "open"
    # 3 comes back: reopened, same record.
    scan = services.scan_import(ctx=ctx, system_id=system.pk, content=first)
    three.refresh_from_db()
    assert (scan.new, scan.reopened, scan.fixed) == (0, 1, 0)
    assert three.status == "open" and three.fixed_at is None
    assert len(f) == 3


def test_false_positives_stay_when_the_scan_drops_them(ctx, system):
    services.scan_import(ctx=ctx, system_id=system.pk, content=sarif([result()]))
    f = Finding.objects.for_org(ctx.org).get()
    services.finding_update(ctx=ctx, finding_id=f.pk, version=f.version, data={
        "status": "false_positive", "status_reason": "The input is a constant, not user data."})
    services.scan_import(ctx=ctx, system_id=system.pk, content=sarif([]))
    f.refresh_from_db()
    assert f.status == "false_positive"


def test_a_bad_file_writes_nothing(ctx, system):
    before = Event.objects.filter(org=ctx.org).count()
    bad = sarif([result(), {"ruleId": "x", "message": {"text": "y"}, "locations": "nope"}])
    with pytest.raises(ValidationError) as exc:
        services.scan_import(ctx=ctx, system_id=system.pk, content=bad)
    assert "runs[0].results[1].locations must be a JSON array" in str(exc.value)
    assert not Finding.objects.for_org(ctx.org).exists()
    assert not Scan.objects.for_org(ctx.org).exists()
    assert Event.objects.filter(org=ctx.org).count() == before


def test_import_needs_the_role_and_a_system_of_the_org(org, members, other_org, system):
    viewer = ctx_for(org, members["viewer"])
    with pytest.raises(PermissionDenied):
        services.scan_import(ctx=viewer, system_id=system.pk, content=sarif([result()]))
    other_owner = other_org.memberships.get(role="owner").user
    with pytest.raises(Exception) as exc:
        services.scan_import(ctx=ctx_for(other_org, other_owner), system_id=system.pk,
                             content=sarif([result()]))
    assert getattr(exc.value, "status", None) == 404


def _one(ctx, system) -> Finding:
    services.scan_import(ctx=ctx, system_id=system.pk, content=sarif([result()]))
    return Finding.objects.for_org(ctx.org).get()


def test_false_positive_needs_a_reason_and_acceptance_its_own_steps(ctx, system):
    f = _one(ctx, system)
    with pytest.raises(ValidationError) as exc:
        services.finding_update(ctx=ctx, finding_id=f.pk, version=f.version,
                                data={"status": "false_positive"})
    assert "status_reason" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.finding_update(ctx=ctx, finding_id=f.pk, version=f.version,
                                data={"status": "accepted"})
    assert "second person" in str(exc.value)
    with pytest.raises(Conflict):
        services.finding_update(ctx=ctx, finding_id=f.pk, version=f.version + 5,
                                data={"status": "fixed"})
    f = services.finding_update(ctx=ctx, finding_id=f.pk, version=f.version,
                                data={"status": "fixed", "status_reason": "Parameterised."})
    assert f.status == "fixed" and f.fixed_at is not None


def _future(days: int = 90) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_acceptance_needs_justification_expiry_and_a_second_person(org, members, system):
    admin_ctx = ctx_for(org, members["admin"])
    owner_ctx = ctx_for(org, members["owner"])
    f = _one(admin_ctx, system)
    for just, exp, field in (("short", _future(), "justification"),
                             ("Behind the VPN; only staff reach it.", None, "expires_on"),
                             ("Behind the VPN; only staff reach it.", timezone.localdate(),
                              "expires_on"),
                             ("Behind the VPN; only staff reach it.", _future(400),
                              "expires_on")):
        with pytest.raises(ValidationError) as exc:
            services.finding_accept_request(ctx=admin_ctx, finding_id=f.pk, version=f.version,
                                            justification=just, expires_on=exp)
        assert field in exc.value.errors
    f = services.finding_accept_request(ctx=admin_ctx, finding_id=f.pk, version=f.version,
                                        justification="Behind the VPN; only staff reach it.",
                                        expires_on=_future())
    assert f.status == "acceptance_requested" and f.submitted_by == members["admin"]
    with pytest.raises(PermissionDenied) as exc:  # the one who asked cannot approve
        services.finding_accept_approve(ctx=admin_ctx, finding_id=f.pk, version=f.version)
    assert "second person" in str(exc.value)
    with pytest.raises(PermissionDenied):  # an editor cannot approve at all
        services.finding_accept_approve(ctx=ctx_for(org, members["editor"]), finding_id=f.pk,
                                        version=f.version)
    cli = Ctx(org=org, user=None, role="owner", actor_label="cli")
    with pytest.raises(PermissionDenied):  # nor the command line
        services.finding_accept_approve(ctx=cli, finding_id=f.pk, version=f.version)
    f = services.finding_accept_approve(ctx=owner_ctx, finding_id=f.pk, version=f.version,
                                        comment="Review at the next pen test.")
    assert f.status == "accepted" and f.approved_by == members["owner"]
    assert f.approved_on == timezone.localdate()


def test_a_refused_acceptance_is_open_again(org, members, system):
    editor = ctx_for(org, members["editor"])
    f = _one(editor, system)
    f = services.finding_accept_request(ctx=editor, finding_id=f.pk, version=f.version,
                                        justification="Low exposure; fixing next quarter.",
                                        expires_on=_future())
    with pytest.raises(ValidationError):
        services.finding_accept_return(ctx=ctx_for(org, members["admin"]), finding_id=f.pk,
                                       version=f.version, comment="no")
    f = services.finding_accept_return(ctx=ctx_for(org, members["admin"]), finding_id=f.pk,
                                       version=f.version,
                                       comment="Fix it now: it is reachable from outside.")
    assert f.status == "open" and f.submitted_by is None
    assert f.review_comment.startswith("Fix it now")


def test_an_expired_acceptance_lapses_back_to_open(org, members, system):
    editor, admin = ctx_for(org, members["editor"]), ctx_for(org, members["admin"])
    f = _one(editor, system)
    f = services.finding_accept_request(ctx=editor, finding_id=f.pk, version=f.version,
                                        justification="Low exposure; fixing next quarter.",
                                        expires_on=_future(10))
    f = services.finding_accept_approve(ctx=admin, finding_id=f.pk, version=f.version)
    assert services.acceptances_lapse(ctx=admin, today=_future(10)) == []  # its last day
    lapsed = services.acceptances_lapse(ctx=admin, today=_future(11))
    assert [x.pk for x in lapsed] == [f.pk]
    f.refresh_from_db()
    assert f.status == "open" and "expired" in f.status_reason
    event = Event.objects.filter(org=org, object_id=str(f.pk)).latest("seq")
    assert event.changes["status"] == {"before": "accepted", "after": "open"}


def test_raise_a_risk_and_a_nonconformity(org, members, ctx, llm_scan):
    system = make_ai_system(ctx, name="Support assistant")
    services.scan_import(ctx=ctx, system_id=system.pk, content=llm_scan)
    f = Finding.objects.for_org(org).get(rule_id="probe.prompt-injection.indirect")
    risk = services.finding_raise_risk(ctx=ctx, finding_id=f.pk)
    assert risk.category == "security" and list(risk.ai_systems.all()) == [system]
    assert [t.ref for t in risk.source_tags.all()] == ["LLM01"]
    assert f.ref in risk.risk_source and f.ref in risk.description
    f.refresh_from_db()
    assert f.risk_id == risk.pk
    with pytest.raises(Conflict):
        services.finding_raise_risk(ctx=ctx, finding_id=f.pk)
    nc = services.finding_raise_nonconformity(ctx=ctx, finding_id=f.pk)
    assert nc.severity == "major" and (nc.subject_kind, nc.subject_id) == (
        "security_finding", f.pk)
    f.refresh_from_db()
    assert f.nonconformity_id == nc.pk
    assert Risk.objects.for_org(org).count() == 1
    assert Nonconformity.objects.for_org(org).count() == 1
