"""Context (clause 4) and leadership (clause 5, A.2, A.3) rules: each fires on the record at
fault and stays quiet on a record in order."""

from __future__ import annotations

import datetime

import pytest

from aims.context.services import (
    context_issue_create,
    interested_party_create,
    scope_version_create,
)
from aims.inventory.models import AISystem
from aims.people.services import (
    aims_role_create,
    aims_roles_add_standard,
    concern_channel_save,
    role_assignment_create,
)
from aims.readiness.tests.conftest import TODAY, findings

pytestmark = pytest.mark.django_db


def _scope(admin_ctx, based_on=0):
    return scope_version_create(ctx=admin_ctx, based_on=based_on, data={
        "statement": "Consumer lending AI in our three EU markets.",
        "boundaries": "Retail lending only."})


def test_scope_missing_then_unapproved_then_under_control(ctx, admin_ctx, build):
    [f] = findings(ctx, "CTX-SCOPE-MISSING")
    assert f.severity == "major" and f.subject is None
    assert findings(ctx, "CTX-SCOPE-UNAPPROVED") == []  # nothing to approve yet
    _scope(admin_ctx)
    assert findings(ctx, "CTX-SCOPE-MISSING") == []
    [f] = findings(ctx, "CTX-SCOPE-UNAPPROVED")
    assert f.severity == "minor"
    build.document(title="AIMS scope", kind="scope")
    assert findings(ctx, "CTX-SCOPE-UNAPPROVED") == []


def test_system_added_after_the_scope_was_written(ctx, admin_ctx, build):
    first = build.system(name="Credit decision engine")
    _scope(admin_ctx)
    assert findings(ctx, "CTX-SCOPE-SYSTEM-MISSING") == []
    later = build.system(name="Collections chatbot")
    [f] = findings(ctx, "CTX-SCOPE-SYSTEM-MISSING")
    assert f.subject.id == str(later.pk) and first.name not in f.message
    _scope(admin_ctx, based_on=1)
    assert findings(ctx, "CTX-SCOPE-SYSTEM-MISSING") == []


def test_issues_none_then_stale_a_year_on(ctx, admin_ctx):
    [f] = findings(ctx, "CTX-ISSUES-NONE")
    assert f.severity == "major"
    context_issue_create(ctx=admin_ctx, data={"kind": "external", "title": "EU AI Act"})
    assert findings(ctx, "CTX-ISSUES-NONE") == []
    assert findings(ctx, "CTX-ISSUES-STALE") == []
    [f] = findings(ctx, "CTX-ISSUES-STALE", as_of=TODAY + datetime.timedelta(days=400))
    assert f.severity == "minor" and TODAY.isoformat() in f.message


def test_parties_and_the_requirements_the_aims_adopts(ctx, admin_ctx):
    [f] = findings(ctx, "CTX-PARTIES-NONE")
    assert f.severity == "major"
    vague = interested_party_create(ctx=admin_ctx, data={
        "name": "Applicants", "needs": "Fair and explained decisions."})
    assert findings(ctx, "CTX-PARTIES-NONE") == []
    [f] = findings(ctx, "CTX-PARTY-REQUIREMENTS")
    assert f.severity == "major" and f.subject is None  # none adopted at all
    interested_party_create(ctx=admin_ctx, data={
        "name": "Regulator", "needs": "Compliance with consumer credit law.",
        "requirements": "Consumer credit directive; AI Act obligations as a deployer."})
    [f] = findings(ctx, "CTX-PARTY-REQUIREMENTS")
    assert f.severity == "minor"
    assert (f.subject.kind, f.subject.id) == ("interested_party", str(vague.pk))


def test_system_without_a_role_for_the_organisation(ctx, org, build):
    build.system(name="With roles")
    bare = build.system(name="No roles")
    assert findings(ctx, "CTX-SYSTEM-NO-ROLE") == []
    # The form insists on a role; records brought in from elsewhere may lack one.
    AISystem.objects.for_org(org).filter(pk=bare.pk).update(roles=[])
    [f] = findings(ctx, "CTX-SYSTEM-NO-ROLE")
    assert f.subject.id == str(bare.pk) and f.severity == "minor"


def test_ai_policy_missing_draft_approved_then_past_review(ctx, build):
    [f] = findings(ctx, "LEAD-POLICY-MISSING")
    assert f.subject is None and f.severity == "major"
    draft = build.document(approve=False)
    [f] = findings(ctx, "LEAD-POLICY-MISSING")
    assert f.subject.id == str(draft.pk) and "no version" in f.message
    policy = build.document(title="AI policy 2027")
    assert findings(ctx, "LEAD-POLICY-MISSING") == []
    assert findings(ctx, "LEAD-POLICY-REVIEW") == []
    [f] = findings(ctx, "LEAD-POLICY-REVIEW", as_of=TODAY + datetime.timedelta(days=400))
    assert f.subject.id == str(policy.pk) and f.severity == "minor"


def test_roles_none_then_vacant_then_held(ctx, admin_ctx, members):
    [f] = findings(ctx, "LEAD-ROLES-NONE")
    assert f.severity == "major"
    standard = {r.code: r for r in aims_roles_add_standard(ctx=admin_ctx)}
    steward = aims_role_create(ctx=admin_ctx, data={
        "name": "Model risk analyst", "responsibilities": "Challenges model risk ratings."})
    found = {f.subject.id: f.severity for f in findings(ctx, "LEAD-ROLE-VACANT")}
    top = standard["top_management"]
    assert found[str(top.pk)] == "major" and found[str(steward.pk)] == "minor"
    assert found[str(standard["governance_owner"].pk)] == "major"
    role_assignment_create(ctx=admin_ctx, role_id=top.pk, data={"member": members["owner"].pk})
    vacant = [f.subject.id for f in findings(ctx, "LEAD-ROLE-VACANT")]
    assert str(top.pk) not in vacant and str(steward.pk) in vacant


def test_concern_channel(ctx, admin_ctx):
    [f] = findings(ctx, "LEAD-CONCERN-CHANNEL")
    assert f.refs == ("A.3.3",)
    concern_channel_save(ctx=admin_ctx, version=0, data={
        "channels": "ethics@northwind.example and the anonymous hotline.",
        "recipients": "The AI governance owner.",
        "confidentiality": "Reports are anonymous unless the reporter names themselves.",
        "response_times": "Acknowledged within two working days."})
    assert findings(ctx, "LEAD-CONCERN-CHANNEL") == []
