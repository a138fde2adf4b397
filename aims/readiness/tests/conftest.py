"""Readiness test helpers: records made through the real services, and the findings of one
rule over them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.compliance.selectors import soa_item_get
from aims.compliance.services import compliance_item_update
from aims.documents import services as documents
from aims.documents.selectors import version_list
from aims.impact import services as impact
from aims.objectives.services import measurement_create, objective_create
from aims.readiness.facts import Facts
from aims.readiness.rules import rule_get
from aims.readiness.rules.base import Finding, run
from aims.risks.services import risk_create
from aims.testing.factories import ctx_for, make_ai_system

TODAY = timezone.localdate()

SECTIONS = {
    "intended_purpose": "Scores consumer loan applications for credit officers.",
    "context_of_use": "Online applications in three EU countries; officers review declines.",
    "foreseeable_misuse": "Officers rubber-stamping the score instead of reviewing it.",
    "affected_individuals": "Loan applicants and co-applicants.",
    "affected_groups": "Young applicants and recent migrants with thin credit files.",
    "societal_effects": "Access to affordable credit in the regions we serve.",
    "conclusion": "Acceptable with the mitigations listed and quarterly fairness monitoring.",
}
IMPACT = {
    "area": "fairness", "nature": "negative",
    "description": "Applicants with thin credit files are declined more often than their "
                   "repayment behaviour justifies.",
    "severity": 4, "likelihood": 3, "reversibility": "hard_to_reverse", "scale": "group",
    "mitigations": "Manual review of every thin-file decline; quarterly disparity tests.",
    "residual_rating": "medium",
}


def findings(ctx, rule_id: str, as_of: datetime.date = TODAY) -> list[Finding]:
    """What one rule finds in ctx.org's record as of `as_of`."""
    return run([rule_get(rule_id)], Facts(ctx=ctx, as_of=as_of))


class Build:
    """Records of one organisation, made as people make them."""

    def __init__(self, ctx, admin_ctx):
        self.ctx, self.admin = ctx, admin_ctx

    def system(self, name: str = "Credit decision engine", **extra):
        return make_ai_system(self.ctx, name=name, owner=self.ctx.user.pk, **extra)

    def risk(self, **data):
        return risk_create(ctx=self.ctx, data={
            "title": "Thin-file applicants declined unfairly", "category": "bias",
            "owner": self.ctx.user.pk, **data})

    def decide(self, ref: str, **data):
        item = soa_item_get(ctx=self.admin, ref=ref)
        return compliance_item_update(ctx=self.admin, ref=ref, version=item.version, data=data)

    def apply(self, ref: str, **data):
        return self.decide(ref, applicable=True, inclusion_reason="risk_treatment",
                           status="implemented", **data)

    def exclude(self, ref: str, why: str = "We build no AI system ourselves and buy none in, "
                                           "so this control has nothing to act on here."):
        return self.decide(ref, applicable=False, justification=why)

    def approved_assessment(self, system):
        a = impact.assessment_create(ctx=self.ctx, data={"ai_system": system.pk, **SECTIONS})
        impact.impact_create(ctx=self.ctx, assessment_id=a.pk, data=IMPACT)
        a.refresh_from_db()
        a = impact.assessment_submit(ctx=self.ctx, assessment_id=a.pk, version=a.version)
        return impact.assessment_approve(ctx=self.admin, assessment_id=a.pk, version=a.version)

    def objective(self, measured: str | None = "3", **data):
        o = objective_create(ctx=self.ctx, data={
            "title": "Keep approval-rate gaps small", "metric": "Approval-rate gap",
            "policy_topic": "fairness",
            "unit": "points", "direction": "lower", "target": "5", "frequency": "monthly",
            "owner": self.ctx.user.pk, "due_date": TODAY + datetime.timedelta(days=180),
            **data})
        if measured is not None:
            measurement_create(ctx=self.ctx, objective_id=o.pk,
                               data={"measured_on": TODAY, "value": measured})
        return o


    def document(self, *, approve: bool = True, **data):
        """A controlled document written by the editor and, unless told, approved by the
        admin (its review falls due a review interval later)."""
        doc = documents.document_create(ctx=self.ctx, data={
            "title": "AI policy", "kind": "ai_policy",
            "content": "# AI policy\n\nWe develop and use AI responsibly.", **data})
        if approve:
            v = version_list(ctx=self.ctx, document_id=doc.pk).get()
            v = documents.document_version_submit(ctx=self.ctx, document_id=doc.pk,
                                                  version_id=v.pk, version=v.version)
            documents.document_version_approve(ctx=self.admin, document_id=doc.pk,
                                               version_id=v.pk, version=v.version)
        return doc


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


@pytest.fixture
def build(ctx, admin_ctx) -> Build:
    return Build(ctx, admin_ctx)
