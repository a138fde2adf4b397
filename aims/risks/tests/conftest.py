"""Helpers shared by the risk tests: a valid risk in one call, and a second methodology."""

from __future__ import annotations

import pytest

from aims.risks.defaults import default_methodology_data
from aims.testing.factories import make_ai_system


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="Credit decision engine")


@pytest.fixture
def make_risk(ctx):
    """make_risk(**fields) → a risk created through the service as the editor."""
    from aims.risks.services import risk_create

    def make(ctx=ctx, **fields):
        data = {"title": "Approvals differ unfairly between groups", "category": "bias",
                **fields}
        return risk_create(ctx=ctx, data=data)

    return make


def three_by_three(**overrides) -> dict:
    """A valid, smaller methodology: 3 × 3, three bands, high accepted freely."""
    data = default_methodology_data()
    data["likelihood_scale"] = data["likelihood_scale"][:3]
    data["impact_scale"] = data["impact_scale"][:3]
    data["bands"] = [{"level": "low", "min": 1, "max": 2}, {"level": "medium", "min": 3, "max": 4},
                     {"level": "high", "min": 5, "max": 9}]
    data["acceptance_threshold"] = "high"
    data["change_note"] = "Simpler scales for a small organisation."
    return {**data, **overrides}
