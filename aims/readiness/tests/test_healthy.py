"""A healthy organisation, built through the services as a diligent governance lead would,
has no major and no minor finding, and is ready for Stage 1; the demo organisation shows an
honest mixture."""

from __future__ import annotations

import datetime

import pytest

from aims.accounts.models import User
from aims.audits.models import AuditLine
from aims.audits.services import audit_create, line_update, programme_create, report_issue
from aims.context.services import (
    context_issue_create,
    interested_party_create,
    scope_version_create,
)
from aims.evidence.services import evidence_create
from aims.inventory.services import ai_system_stage_change, resource_create
from aims.objectives.services import monitor_create, monitor_result_record
from aims.people.services import (
    aims_roles_add_standard,
    competence_requirement_create,
    concern_channel_save,
    role_assignment_create,
    training_record_create,
)
from aims.readiness.engine import READY, evaluate
from aims.readiness.tests.conftest import TODAY
from aims.reviews import services as reviews
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

# Controls that do not apply to this lender, with reasons an auditor can check.
EXCLUDED = {
    "A.10.4": "We sell no AI system or AI service to customers; our AI is used only "
              "internally to decide on our own loans.",
}


def _healthy(owner_ctx, admin_ctx, ctx, build, members):
    # Context (4): issues, parties with the requirements we adopt, the scope, under control.
    context_issue_create(ctx=admin_ctx, data={"kind": "external", "title": "EU AI Act",
                                              "description": "Credit scoring is high-risk."})
    interested_party_create(ctx=admin_ctx, data={
        "name": "Applicants", "needs": "Fair and explained decisions.",
        "requirements": "Explain every decline; test for bias each quarter."})
    system = build.system(lifecycle_stage="design")
    scope_version_create(ctx=admin_ctx, based_on=0, data={
        "statement": "Consumer lending AI in three EU markets.", "boundaries": "Retail."})
    build.document(title="AIMS scope", kind="scope")
    # Leadership (5): the policy, every standard role held, competence shown, concerns heard.
    build.document(title="AI policy")
    for role in aims_roles_add_standard(ctx=admin_ctx):
        competence_requirement_create(ctx=admin_ctx, role_id=role.pk, data={
            "title": "Knows the AI policy and its obligations", "ai_specific": True,
            "demonstrated_by": "training"})
        role_assignment_create(ctx=admin_ctx, role_id=role.pk,
                               data={"member": members["owner"].pk})
    training_record_create(ctx=ctx, data={
        "member": members["owner"].pk, "topic": "ISO/IEC 42001 lead implementer",
        "ai_specific": True, "completed_on": TODAY - datetime.timedelta(days=20)})
    concern_channel_save(ctx=admin_ctx, version=0, data={
        "channels": "ethics@lender.example", "recipients": "The AI governance owner.",
        "confidentiality": "Anonymous on request.", "response_times": "Two working days."})
    # Planning (6): risk assessed and treated, impact assessed, objectives measured, SoA done.
    build.risk(ai_systems=[system.pk], inherent_likelihood=4, inherent_impact=4,
               treatment_option="mitigate", controls=["A.7.4"],
               treatment_rationale="Quarterly fairness tests and reweighted training data.",
               residual_likelihood=1, residual_impact=2,
               next_review=TODAY + datetime.timedelta(days=90))
    build.approved_assessment(system)
    build.objective(measured="3")
    for item in _controls(build):
        if item in EXCLUDED:
            build.exclude(item, EXCLUDED[item])
        else:
            build.decide(item, applicable=True, inclusion_reason="business", status="planned")
    implemented = build.apply("A.2.2")
    evidence_create(ctx=ctx, links=[implemented], data={
        "title": "Board approval of the AI policy", "note": "Minutes of 2026-09-01."})
    # Support and operation (7, 8): procedures, resources, a stage moved under control.
    build.document(title="Design, development and incident communication procedure",
                   kind="procedure",
                   requirements=["6.1.1", "A.6.1.3", "A.6.2.3", "A.8.4", "A.9.2"])
    for kind in ("data", "tooling", "computing", "human"):
        resource_create(ctx=ctx, data={"name": f"The {kind} we rely on", "kind": kind,
                                       "ai_systems": [system.pk],
                                       "data_provenance": "Our own loan book, 2019 on."
                                       if kind == "data" else ""})
    system.refresh_from_db()
    ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="development",
                           version=system.version)
    # Evaluation (9): monitored, audited (one report, the rest planned), reviewed.
    monitor = monitor_create(ctx=ctx, data={
        "name": "Approval-rate gap", "indicator": "bias", "method": "Monthly report.",
        "frequency": "monthly", "unit": "points", "upper_threshold": "5"})
    monitor_result_record(ctx=ctx, monitor_id=monitor.pk,
                          data={"measured_on": TODAY, "value": "2"})
    programme = programme_create(ctx=admin_ctx, data={
        "name": "Audit programme", "start_date": TODAY.replace(day=1)})
    audit = audit_create(ctx=admin_ctx, data={"title": "Policy audit", "requirements": ["5.2"],
                                              "programme": programme.pk})
    for line in AuditLine.objects.for_org(audit.org).filter(audit=audit):
        line_update(ctx=admin_ctx, line_id=line.pk, version=line.version,
                    data={"result": "conforming", "notes": "Policy approved and in force."})
    audit.refresh_from_db()
    report_issue(ctx=admin_ctx, audit_id=audit.pk, version=audit.version,
                 data={"summary": "The policy is in force.", "conclusion": "Conforming."})
    audit_create(ctx=admin_ctx, data={
        "title": "Full audit of the AIMS", "programme": programme.pk,
        "requirements": ["4", "5", "6", "7", "8", "9", "10", "A.2", "A.3", "A.4", "A.5",
                         "A.6", "A.7", "A.8", "A.9", "A.10.2", "A.10.3"]})
    from aims.reviews.tests.conftest import make_ready, plan

    review = make_ready(owner_ctx, plan(owner_ctx))
    reviews.review_hold(ctx=owner_ctx, review_id=review.pk, version=review.version)


def _controls(build) -> list[str]:
    from aims.compliance.selectors import item_facts

    return [i.ref for i in item_facts(ctx=build.ctx) if i.kind == "annex_a_control"]


def test_a_healthy_organisation_has_no_major_and_no_minor_finding(
        owner_ctx, admin_ctx, ctx, build, members):
    _healthy(owner_ctx, admin_ctx, ctx, build, members)
    result = evaluate(ctx=ctx, as_of=TODAY)
    graver = [(f.rule, f.severity, f.message) for f in result.findings
              if f.severity != "observation"]
    assert graver == []
    assert result.verdict == READY and result.reasons == []
    assert all(item.exists for item in result.documented)
    assert result.score >= 90


def test_the_demo_shows_an_honest_mixture():
    from aims.demo.build import demo_create

    demo = demo_create(password="demo-password-for-tests")
    viewer = ctx_for(demo.org, User.objects.get(email=demo.users["viewer"]))
    result = evaluate(ctx=viewer, as_of=TODAY)
    counts = result.counts
    assert result.verdict == "not_ready"
    assert counts["major"] >= 1 and counts["minor"] >= 5 and counts["observation"] >= 1
    rules = {f.rule for f in result.findings}
    # Some of the story's gaps, as the demo tells it.
    assert {"IA-MISSING", "IA-STALE", "RISK-SIGNOFF-MISSING"} <= rules
    # What the demo does well stays quiet.
    assert not rules & {"LEAD-POLICY-MISSING", "CTX-SCOPE-MISSING", "RISK-METHODOLOGY-MISSING",
                        "EVAL-REVIEW-NONE", "SOA-UNDECIDED"}
    later = evaluate(ctx=viewer, as_of=TODAY + datetime.timedelta(days=400))
    assert later.score < result.score  # a year on, with nothing done, it has decayed
