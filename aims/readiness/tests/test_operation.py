"""Operation rules (clause 8, A.6, A.10): the deployment gate of systems in production,
overdue treatment, suppliers of AI under review."""

from __future__ import annotations

import datetime

import pytest

from aims.inventory.services import deployment_approval_create
from aims.readiness.tests.conftest import TODAY, findings
from aims.risks.services import action_create
from aims.suppliers.checklist import items_for
from aims.suppliers.services import supplier_create, supplier_review_create

pytestmark = pytest.mark.django_db


def _treated_risk(build, system):
    return build.risk(ai_systems=[system.pk], inherent_likelihood=3, inherent_impact=3,
                      treatment_option="mitigate", controls=["A.6.2.6"],
                      treatment_rationale="Drift monitoring with weekly human review.",
                      residual_likelihood=1, residual_impact=2)


def test_a_deployed_system_must_pass_its_gate(ctx, admin_ctx, build):
    system = build.system(lifecycle_stage="deployed")
    [f] = findings(ctx, "OPS-DEPLOYED-NO-GATE")
    assert f.subject.id == str(system.pk) and f.severity == "minor"
    assert "no current approved impact assessment" in f.message
    assert "no risk linked" in f.message and "no standing deployment approval" in f.message
    build.approved_assessment(system)
    _treated_risk(build, system)
    system.refresh_from_db()
    deployment_approval_create(ctx=admin_ctx, system_id=system.pk, version=system.version)
    assert findings(ctx, "OPS-DEPLOYED-NO-GATE") == []


def test_no_deployed_system_passing_is_systematic(ctx, build):
    build.system(name="One", lifecycle_stage="deployed")
    build.system(name="Two", lifecycle_stage="deployed")
    build.system(name="In design", lifecycle_stage="design")
    found = findings(ctx, "OPS-DEPLOYED-NO-GATE")
    assert len(found) == 2 and {f.severity for f in found} == {"major"}


def test_overdue_treatment_actions(ctx, build):
    risk = build.risk()
    action_create(ctx=ctx, risk_id=risk.pk, data={
        "title": "Reweight the training data", "owner": ctx.user.pk,
        "due_date": TODAY + datetime.timedelta(days=3)})
    assert findings(ctx, "OPS-TREATMENT-OVERDUE") == []
    [f] = findings(ctx, "OPS-TREATMENT-OVERDUE", as_of=TODAY + datetime.timedelta(days=4))
    assert f.subject.id == str(risk.pk) and "Reweight the training data" in f.message


def test_suppliers_of_ai_are_reviewed(ctx, build):
    supplier = supplier_create(ctx=ctx, data={
        "name": "Stratus Language Models", "kind": "supplier", "supplies": ["api", "model"],
        "criticality": "high", "review_interval_months": 6})
    supplier_create(ctx=ctx, data={"name": "A customer", "kind": "customer"})
    [f] = findings(ctx, "OPS-SUPPLIER-REVIEW")
    assert (f.subject.id, f.severity) == (str(supplier.pk), "major") and "never" in f.message
    answers = [{"item": i.key, "version": 0, "status": "satisfactory", "notes": "Checked."}
               for i in items_for("supplier")]
    supplier_review_create(ctx=ctx, supplier_id=supplier.pk, version=supplier.version,
                           answers=answers, data={"rating": "low", "summary": "All good."})
    assert findings(ctx, "OPS-SUPPLIER-REVIEW") == []
    [f] = findings(ctx, "OPS-SUPPLIER-REVIEW", as_of=TODAY + datetime.timedelta(days=200))
    assert f.severity == "minor" and "was due for review" in f.message
