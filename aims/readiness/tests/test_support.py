"""Support rules (clause 7): competence, documented information, evidence of controls."""

from __future__ import annotations

import datetime

import pytest

from aims.evidence.services import evidence_create
from aims.people.services import (
    aims_role_create,
    competence_requirement_create,
    role_assignment_create,
    training_record_create,
)
from aims.readiness.tests.conftest import TODAY, findings

pytestmark = pytest.mark.django_db


def _role_held_by(admin_ctx, member, *, ai_competence: bool):
    role = aims_role_create(ctx=admin_ctx, data={
        "name": f"Model owner {member.email}", "responsibilities": "Owns the model's risks."})
    if ai_competence:
        competence_requirement_create(ctx=admin_ctx, role_id=role.pk, data={
            "title": "Understands model fairness testing", "ai_specific": True,
            "demonstrated_by": "training"})
    role_assignment_create(ctx=admin_ctx, role_id=role.pk, data={"member": member.pk})
    return role


def _trained(ctx, member, expires_on=None):
    return training_record_create(ctx=ctx, data={
        "member": member.pk, "topic": "Fairness testing of credit models", "ai_specific": True,
        "completed_on": TODAY - datetime.timedelta(days=30), "expires_on": expires_on})


def test_competence_undefined_then_gaps_then_shown(ctx, admin_ctx, members):
    assert findings(ctx, "SUP-COMPETENCE-UNDEFINED") == []  # nobody holds a role yet
    _role_held_by(admin_ctx, members["editor"], ai_competence=False)
    [f] = findings(ctx, "SUP-COMPETENCE-UNDEFINED")
    assert f.severity == "minor"
    role = _role_held_by(admin_ctx, members["admin"], ai_competence=True)
    assert findings(ctx, "SUP-COMPETENCE-UNDEFINED") == []
    [gap] = findings(ctx, "SUP-COMPETENCE-GAP")
    # The only holder the competence is asked of cannot show it: systematic.
    assert gap.severity == "major" and gap.subject.id == str(role.pk)
    assert "no AI-specific training" in gap.message
    _trained(ctx, members["admin"])
    assert findings(ctx, "SUP-COMPETENCE-GAP") == []


def test_one_lapsed_holder_among_competent_ones_is_minor(ctx, admin_ctx, members):
    _role_held_by(admin_ctx, members["admin"], ai_competence=True)
    _role_held_by(admin_ctx, members["editor"], ai_competence=True)
    _trained(ctx, members["admin"])
    _trained(ctx, members["editor"], expires_on=TODAY + datetime.timedelta(days=10))
    assert findings(ctx, "SUP-COMPETENCE-GAP") == []
    [gap] = findings(ctx, "SUP-COMPETENCE-GAP", as_of=TODAY + datetime.timedelta(days=11))
    assert gap.severity == "minor" and "expired" in gap.message


def test_mandatory_documented_information(ctx, build, admin_ctx):
    found = {f.refs[1]: f.severity for f in findings(ctx, "SUP-DOCINFO-MISSING")}
    assert found["5.2"] == "major" and found["4.3"] == "major"
    build.document(approve=False)
    found = {f.refs[1]: f.severity for f in findings(ctx, "SUP-DOCINFO-MISSING")}
    assert found["5.2"] == "minor"  # a draft exists: approving it is the lapse
    build.document(title="AI policy, approved")
    assert "5.2" not in {f.refs[1] for f in findings(ctx, "SUP-DOCINFO-MISSING")}


def test_document_past_review(ctx, build):
    procedure = build.document(title="Lifecycle procedure", kind="procedure",
                               review_interval_months=6)
    assert findings(ctx, "SUP-DOC-REVIEW") == []
    [f] = findings(ctx, "SUP-DOC-REVIEW", as_of=TODAY + datetime.timedelta(days=200))
    assert f.subject.id == str(procedure.pk)
    build.document(title="The policy")  # the policy's own review is LEAD-POLICY-REVIEW
    assert len(findings(ctx, "SUP-DOC-REVIEW", as_of=TODAY + datetime.timedelta(days=400))) == 1


def test_implemented_controls_need_evidence(ctx, build):
    items = [build.apply(ref) for ref in ("A.2.2", "A.3.2", "A.6.2.6")]
    found = findings(ctx, "SUP-CONTROL-NO-EVIDENCE")
    assert len(found) == 3 and {f.severity for f in found} == {"major"}  # none can show any
    evidence_create(ctx=ctx, links=[items[0]], data={
        "title": "Policy approval minutes", "note": "Board minutes of 2026-09-01, item 4."})
    found = findings(ctx, "SUP-CONTROL-NO-EVIDENCE")
    assert {f.refs[1] for f in found} == {"A.3.2", "A.6.2.6"}
    assert {f.severity for f in found} == {"minor"}


def test_only_expired_evidence(ctx, build):
    item = build.apply("A.6.2.6")
    evidence_create(ctx=ctx, links=[item], data={
        "title": "Monitoring report Q3", "note": "Drift within bounds.",
        "valid_until": TODAY + datetime.timedelta(days=5)})
    assert findings(ctx, "SUP-EVIDENCE-EXPIRED") == []
    [f] = findings(ctx, "SUP-EVIDENCE-EXPIRED", as_of=TODAY + datetime.timedelta(days=6))
    assert f.subject.id == str(item.pk)
