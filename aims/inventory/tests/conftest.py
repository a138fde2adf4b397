"""Inventory helpers: a system that meets every deployment check, built through the real
services of the impact and risk apps."""

from __future__ import annotations

import pytest

from aims.impact import services as impact
from aims.inventory.services import deployment_approval_create
from aims.risks.services import risk_create
from aims.testing.factories import ctx_for, make_ai_system

SECTIONS = {
    "intended_purpose": "Ranks overdue accounts for the collections team.",
    "context_of_use": "Collections agents see the ranking in their work queue.",
    "foreseeable_misuse": "Contacting vulnerable customers more aggressively.",
    "affected_individuals": "Customers in arrears.",
    "affected_groups": "Customers in financial difficulty.",
    "societal_effects": "More payment plans agreed before default.",
    "conclusion": "Acceptable with agent scripts and outcome monitoring.",
}
IMPACT = {
    "area": "fairness", "nature": "negative",
    "description": "Customers in difficulty are contacted too often.",
    "severity": 3, "likelihood": 3, "reversibility": "reversible", "scale": "group",
    "mitigations": "Contact caps and agent scripts.", "residual_rating": "low",
}
RATED = {
    "inherent_likelihood": 3, "inherent_impact": 4, "treatment_option": "mitigate",
    "treatment_rationale": "Contact caps and scripts reduce how often it can happen.",
    "residual_likelihood": 1, "residual_impact": 2, "status": "treating",
}


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


def approve_assessment(author, approver, system):
    """An approved impact assessment of `system` (author and approver differ)."""
    a = impact.assessment_create(ctx=author, data={"ai_system": system.pk, **SECTIONS})
    impact.impact_create(ctx=author, assessment_id=a.pk, data=IMPACT)
    a.refresh_from_db()
    a = impact.assessment_submit(ctx=author, assessment_id=a.pk, version=a.version)
    return impact.assessment_approve(ctx=approver, assessment_id=a.pk, version=a.version)


def add_rated_risk(ctx, system, **fields):
    return risk_create(ctx=ctx, data={"title": "Customers contacted too often",
                                      "category": "misuse", "ai_systems": [system.pk],
                                      "owner": ctx.user.pk, **RATED, **fields})


@pytest.fixture
def ready(ctx, admin_ctx):
    """ready(**system fields) → a system in verification meeting every deployment check."""

    def make(**fields):
        system = make_ai_system(ctx, lifecycle_stage="verification", **fields)
        approve_assessment(ctx, admin_ctx, system)
        add_rated_risk(ctx, system)
        system.refresh_from_db()
        deployment_approval_create(ctx=admin_ctx, system_id=system.pk, version=system.version,
                                   note="Checked the pilot results.")
        system.refresh_from_db()
        return system

    return make
