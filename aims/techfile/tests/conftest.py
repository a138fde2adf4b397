"""A high-risk AI system the organisation provides, and ways to fill its record."""

from __future__ import annotations

import pytest

from aims.inventory.services import resource_create
from aims.objectives.services import monitor_create
from aims.risks.services import risk_create
from aims.testing.factories import make_ai_system

MONITOR = {"name": "Approval-rate gap between age groups", "indicator": "bias",
           "method": "Monthly comparison of approval rates by age band from the decision log.",
           "frequency": "monthly", "unit": "points", "upper_threshold": "5"}


@pytest.fixture
def provided(ctx):
    """A bare high-risk system the organisation provides: most sections have gaps."""
    return make_ai_system(ctx, name="Loan scorer", roles=["provider"], eu_risk_class="high",
                          lifecycle_stage="development")


def add_risk(ctx, system, **more):
    return risk_create(ctx=ctx, data={
        "title": "Thin-file applicants declined too often", "category": "bias",
        "ai_systems": [system.pk], "inherent_likelihood": 3, "inherent_impact": 4, **more})


def add_data(ctx, system, **more):
    return resource_create(ctx=ctx, data={
        "name": "Loan book 2019-2025", "kind": "data", "ai_systems": [system.pk],
        "data_provenance": "Our own loan book, exported from the core banking system.", **more})


def add_monitor(ctx, system, **more):
    return monitor_create(ctx=ctx, data={**MONITOR, "ai_system": system.pk,
                                         "owner": ctx.user.pk, "analyst": ctx.user.pk, **more})
