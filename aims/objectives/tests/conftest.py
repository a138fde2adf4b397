"""Objectives helpers: records made through the real services, and their log entries."""

from __future__ import annotations

import datetime

import pytest

from aims.activity.models import Event
from aims.objectives import services

OBJECTIVE = {
    "title": "Approval-rate gap between groups", "policy_topic": "fairness",
    "metric": "Largest approval-rate difference between age bands, per quarter.",
    "target": "0.05", "unit": "ratio", "direction": "lower", "frequency": "quarterly",
    "due_date": datetime.date(2030, 12, 31),
}


@pytest.fixture
def make_objective(ctx):
    def make(c=None, **overrides):
        return services.objective_create(ctx=c or ctx, data={**OBJECTIVE, **overrides})
    return make


@pytest.fixture
def measure(ctx):
    """measure(objective, value, on=date) records a measurement."""
    def make(objective, value, on=None, c=None, note=""):
        return services.measurement_create(ctx=c or ctx, objective_id=objective.pk, data={
            "measured_on": on or datetime.date(2025, 3, 31), "value": value, "note": note})
    return make


def events_for(obj) -> list[Event]:
    """The log entries about `obj`, oldest first."""
    return list(Event.objects.filter(org=obj.org, object_id=str(obj.pk)).order_by("seq"))
