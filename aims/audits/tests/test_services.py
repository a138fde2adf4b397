"""Programmes, audits, checklists, line rules, reports and their freezing."""

from __future__ import annotations

import datetime

import pytest

from aims.activity.models import Event
from aims.audits import selectors, services
from aims.audits.models import Audit, AuditStatus
from aims.audits.tests.conftest import assess_all, lines_of
from aims.compliance.services import compliance_item_update
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


def test_programme_end_date_follows_the_length(programme):
    assert programme.months == 12
    assert programme.end_date == datetime.date(2026, 12, 31)
    programme.start_date, programme.months = datetime.date(2026, 3, 31), 11
    assert programme.end_date == datetime.date(2027, 2, 27)


def test_programme_names_are_unique_and_programmes_with_audits_stay(auditor_ctx, programme,
                                                                    make_audit):
    with pytest.raises(ValidationError) as exc:
        services.programme_create(ctx=auditor_ctx, data={
            "name": "internal AUDIT programme 2026", "start_date": datetime.date(2026, 1, 1)})
    assert "name" in exc.value.errors
    make_audit()
    with pytest.raises(ValidationError, match="holds audits"):
        services.programme_delete(ctx=auditor_ctx, programme_id=programme.pk,
                                  version=programme.version)


def test_audit_gets_a_reference_and_a_checklist_from_its_scope(make_audit):
    first, second = make_audit(), make_audit(title="Second")
    assert (first.ref, second.ref) == ("AUD-001", "AUD-002")
    assert first.criteria.startswith("ISO/IEC 42001:2023")
    lines = lines_of(first)
    assert [ln.requirement.ref for ln in lines] == ["6.1.2", "A.6.2.4"]
    assert all(ln.result == "not_assessed" and ln.ai_system is None for ln in lines)
    # The questions come from the catalog, in our own words.
    assert lines[0].questions == list(lines[0].requirement.questions) and lines[0].questions
    event = Event.objects.filter(org=first.org, object_id=str(first.pk)).get()
    assert event.changes["requirements"]["after"] == ["6.1.2", "A.6.2.4"]
    assert event.changes["checklist"]["after"] == "2 lines generated"


def test_broad_references_expand_to_leaf_clauses_and_controls(make_audit):
    audit = make_audit(requirements=["9", "A.5"])
    refs = [r.ref for r in audit.requirements.order_by("sort_key")]
    assert refs == ["9.1", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3",
                    "A.5.2", "A.5.3", "A.5.4", "A.5.5"]
    with pytest.raises(ValidationError) as exc:
        make_audit(requirements=["6.1.2", "11.4", "A.99"])
    assert "11.4, A.99" in exc.value.errors["requirements"][0]


def test_per_system_controls_get_a_line_per_ai_system(owner_ctx, make_audit, system):
    other = make_ai_system(owner_ctx, name="CV screening assistant")
    audit = make_audit(requirements=["6.1.2", "A.6.2.4", "A.10.3"], ai_systems=[system, other])
    got = [(ln.requirement.ref, ln.ai_system.name if ln.ai_system else None)
           for ln in lines_of(audit)]
    # Document order, then system name: organisation-level controls get one line.
    assert got == [("6.1.2", None), ("A.6.2.4", "Credit decision engine"),
                   ("A.6.2.4", "CV screening assistant"), ("A.10.3", None)]


def test_regenerate_adds_new_scope_and_keeps_answered_lines(auditor_ctx, make_audit, system):
    audit = make_audit(requirements=["6.1.2", "6.1.3", "A.6.2.4"])
    answered, untouched, _control = lines_of(audit)
    services.line_update(ctx=auditor_ctx, line_id=answered.pk, version=answered.version,
                         data={"result": "minor_nc", "notes": "Criteria not approved."})
    audit = services.audit_update(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                                  data={"requirements": ["6.1.3", "8.2"],
                                        "ai_systems": [system.pk]})
    got = {(ln.requirement.ref, ln.ai_system_id): ln for ln in lines_of(audit)}
    # 6.1.2 was answered, so it stays though out of scope; the untouched A.6.2.4 line went.
    assert set(got) == {("6.1.2", None), ("6.1.3", None), ("8.2", None)}
    assert got[("6.1.2", None)].result == "minor_nc"
    assert got[("6.1.3", None)].pk == untouched.pk
    # Scoping a per-system control later adds a line for the system.
    audit = services.audit_update(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                                  data={"requirements": ["6.1.2", "6.1.3", "8.2", "A.6.2.4"]})
    assert ("A.6.2.4", system.pk) in {(ln.requirement.ref, ln.ai_system_id)
                                      for ln in lines_of(audit)}
    counts = services.checklist_regenerate(ctx=auditor_ctx, audit_id=audit.pk,
                                           version=audit.version)
    assert counts == {"added": 0, "removed": 0, "kept": 4}


def test_a_finding_needs_notes(auditor_ctx, make_audit):
    line = lines_of(make_audit())[0]
    for result in ("major_nc", "minor_nc", "observation", "ofi"):
        with pytest.raises(ValidationError) as exc:
            services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                                 data={"result": result, "notes": "   "})
        assert "notes" in exc.value.errors
    line = services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                                data={"result": "conforming"})
    assert line.result == "conforming" and not line.is_finding
    with pytest.raises(Conflict):
        services.line_update(ctx=auditor_ctx, line_id=line.pk, version=1,
                             data={"notes": "stale"})


def test_line_evidence_is_linked_and_logged(auditor_ctx, owner_ctx, make_audit, other_org):
    from aims.evidence.services import evidence_create
    from aims.orgs.models import Membership
    from aims.testing.factories import ctx_for

    ev = evidence_create(ctx=owner_ctx, data={"title": "Risk criteria v3", "kind": "note",
                                              "note": "Approved by the board in March."})
    line = lines_of(make_audit())[0]
    line = services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                                data={"evidence": [ev.pk], "result": "conforming"})
    assert [e.ref for e in line.evidence.all()] == [ev.ref]
    event = Event.objects.filter(object_id=str(line.pk)).order_by("-seq").first()
    assert event.changes["evidence"] == {"before": [], "after": [ev.ref]}
    foreign_owner = Membership.objects.get(org=other_org, role="owner").user
    foreign = evidence_create(ctx=ctx_for(other_org, foreign_owner), data={
        "title": "Theirs", "kind": "note", "note": "Not yours."})
    with pytest.raises(ValidationError) as exc:
        services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                             data={"evidence": [foreign.pk]})
    assert "evidence" in exc.value.errors


def test_report_needs_every_line_assessed_then_freezes_the_checklist(auditor_ctx, make_audit):
    audit = make_audit()
    with pytest.raises(ValidationError) as exc:
        services.report_issue(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                              data={"summary": "", "conclusion": "Conforms."})
    assert "summary" in exc.value.errors
    assert "not assessed: 6.1.2, A.6.2.4" in exc.value.errors["__all__"][0]
    assess_all(auditor_ctx, audit)
    audit = services.report_issue(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                                  data={"summary": "Interviews and records.",
                                        "conclusion": "Conforms."})
    assert audit.status == AuditStatus.REPORTED
    assert audit.issued_by == auditor_ctx.user and audit.issued_at and audit.actual_end
    line = lines_of(audit)[0]
    with pytest.raises(ValidationError, match="can no longer change"):
        services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                             data={"notes": "Afterthought"})
    with pytest.raises(ValidationError, match="can no longer change"):
        services.audit_update(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                              data={"title": "Changed"})
    with pytest.raises(ValidationError, match="can no longer change"):
        services.checklist_regenerate(ctx=auditor_ctx, audit_id=audit.pk,
                                      version=audit.version)
    with pytest.raises(ValidationError):
        services.report_issue(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                              data={"summary": "Again", "conclusion": "Again"})
    closed = services.audit_transition(ctx=auditor_ctx, audit_id=audit.pk, to="closed",
                                       version=audit.version)
    assert closed.status == AuditStatus.CLOSED


def test_an_empty_checklist_cannot_be_reported(auditor_ctx, make_audit):
    audit = make_audit(requirements=[])
    with pytest.raises(ValidationError, match="checklist is empty"):
        services.report_issue(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                              data={"summary": "S", "conclusion": "C"})


def test_transitions(auditor_ctx, make_audit):
    audit = make_audit()
    with pytest.raises(ValidationError, match="only from reported"):
        services.audit_transition(ctx=auditor_ctx, audit_id=audit.pk, to="closed",
                                  version=audit.version)
    with pytest.raises(ValidationError, match="Issue the report"):
        services.audit_transition(ctx=auditor_ctx, audit_id=audit.pk, to="reported",
                                  version=audit.version)
    audit = services.audit_transition(ctx=auditor_ctx, audit_id=audit.pk, to="in_progress",
                                      version=audit.version)
    assert audit.status == "in_progress" and audit.actual_start
    audit = services.audit_transition(ctx=auditor_ctx, audit_id=audit.pk, to="cancelled",
                                      version=audit.version)
    assert audit.is_frozen


def test_delete_only_without_audit_work(auditor_ctx, make_audit):
    keep, drop = make_audit(), make_audit()
    line = lines_of(keep)[0]
    services.line_update(ctx=auditor_ctx, line_id=line.pk, version=line.version,
                         data={"notes": "Started interviews."})
    with pytest.raises(ValidationError, match="holds audit work"):
        services.audit_delete(ctx=auditor_ctx, audit_id=keep.pk, version=keep.version)
    services.audit_delete(ctx=auditor_ctx, audit_id=drop.pk, version=drop.version)
    assert not Audit.objects.for_org(drop.org).filter(pk=drop.pk).exists()


def test_dates_and_members_are_checked(make_audit, other_org):
    from aims.orgs.models import Membership

    with pytest.raises(ValidationError) as exc:
        make_audit(planned_start=datetime.date(2026, 5, 2),
                   planned_end=datetime.date(2026, 5, 1))
    assert "planned_end" in exc.value.errors
    stranger = Membership.objects.get(org=other_org, role="owner").user
    with pytest.raises(ValidationError) as exc:
        make_audit(team=[stranger.pk])
    assert "team" in exc.value.errors


def test_independence_warns_about_own_items_and_systems(owner_ctx, auditor_ctx, members,
                                                        make_audit, system):
    auditor, editor = members["auditor"], members["editor"]
    compliance_item_update(ctx=owner_ctx, ref="A.6.2.4", version=1,
                           data={"owner": auditor.pk})
    audit = make_audit(ai_systems=[system], team=[editor.pk])
    audit = selectors.audit_get(ctx=auditor_ctx, audit_id=audit.pk)
    messages = [w.message for w in selectors.audit_independence(ctx=auditor_ctx, audit=audit)]
    assert any("(lead auditor) owns requirement in scope: A.6.2.4" in m for m in messages)
    assert any("(audit team member) owns AI system in scope: Credit decision engine" in m
               for m in messages)
    plain = selectors.audit_get(ctx=auditor_ctx, audit_id=make_audit(
        requirements=["7.2"], team=[]).pk)
    assert selectors.audit_independence(ctx=auditor_ctx, audit=plain) == []


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_audit_roles_write(org, members, programme, role):
    from aims.testing.factories import ctx_for

    ctx = ctx_for(org, members[role])
    with pytest.raises(PermissionDenied):
        services.programme_create(ctx=ctx, data={"name": "X",
                                                 "start_date": datetime.date(2026, 1, 1)})
    with pytest.raises(PermissionDenied):
        services.audit_create(ctx=ctx, data={"title": "X", "programme": programme.pk})


def test_independence_warns_about_aims_roles_covering_the_scope(auditor_ctx, members,
                                                                make_audit, system,
                                                                monkeypatch):
    """The people app says which requirements and systems a member's roles look after."""
    from types import SimpleNamespace

    auditor = members["auditor"]

    def roles_covering(*, ctx, user):
        if user.pk != auditor.pk:
            return SimpleNamespace(roles=[], covered_refs=frozenset(), ai_system_ids=set())
        return SimpleNamespace(roles=[SimpleNamespace(name="AI risk owner")],
                               covered_refs=frozenset({"6.1", "6.1.2", "6.1.3"}),
                               ai_system_ids={system.pk})

    monkeypatch.setattr(selectors, "roles_covering", roles_covering)
    audit = selectors.audit_get(ctx=auditor_ctx, audit_id=make_audit(ai_systems=[system]).pk)
    messages = [w.message for w in selectors.audit_independence(ctx=auditor_ctx, audit=audit)]
    assert messages == [
        f"{auditor.display_name} (lead auditor) holds the AIMS role “AI risk owner”, "
        "covering requirement 6.1.2 and AI system Credit decision engine in scope."]


def test_an_audit_dated_outside_its_programmes_cycle_is_refused(make_audit, programme,
                                                                 auditor_ctx):
    # The programme runs 2026-01-01 – 2026-12-31: an audit next January is next year's.
    with pytest.raises(ValidationError) as exc:
        make_audit(planned_start=datetime.date(2027, 1, 12))
    (msg,) = exc.value.errors["planned_start"]
    assert "2027-01-12 is outside the cycle of “Internal audit programme 2026”" in msg
    assert "2026-01-01 – 2026-12-31" in msg
    audit = make_audit(planned_start=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError) as exc:
        services.audit_update(ctx=auditor_ctx, audit_id=audit.pk, version=audit.version,
                              data={"planned_start": datetime.date(2027, 2, 1)})
    assert "planned_start" in exc.value.errors
