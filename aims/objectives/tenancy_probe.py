"""How the tenancy, role and error matrices reach the objectives routes (see
aims.core.testing.tenancy)."""

from __future__ import annotations

import datetime

from aims.objectives.services import measurement_create, objective_create


def build(world, ctx, tag: str) -> None:
    """One objective, linked to the world's AI system, with one measurement."""
    objective = objective_create(ctx=ctx, data={
        "title": f"{tag} approval-rate parity", "policy_topic": "fairness",
        "metric": f"{tag} confidential disparity metric", "target": "0.05", "unit": "ratio",
        "direction": "lower", "frequency": "quarterly", "owner": world.editor.pk,
        "due_date": datetime.date(2030, 12, 31), "ai_systems": [world.system.pk]})
    measurement = measurement_create(ctx=ctx, objective_id=objective.pk, data={
        "measured_on": datetime.date(2025, 3, 31), "value": "0.0625",
        "note": f"{tag} board-only sample note"})
    world.extra["objective"] = objective
    world.extra["measurement"] = measurement
    world.secrets += [objective.title, objective.metric, measurement.note,
                      str(objective.pk), str(measurement.pk)]


PATH_PARAMS = {
    "objective_id": lambda w: w.extra["objective"].pk,
    "measurement_id": lambda w: w.extra["measurement"].pk,
}
ORG_UNIQUE_PARAMS = {"objective_id", "measurement_id"}
VERSIONED_BY = {
    "objective_id": lambda w: w.extra["objective"].version,
    "measurement_id": lambda w: w.extra["measurement"].version,
}
BODIES = {
    ("POST", "/orgs/{slug}/objectives"): lambda s, i: {
        "title": "Probe objective", "policy_topic": "transparency",
        "metric": "Share of probes answered.", "target": "90", "unit": "%",
        "direction": "higher", "due_date": "2030-06-30", "owner": str(s.editor.pk),
        "ai_systems": [str(s.system.pk)]},
    ("PATCH", "/orgs/{slug}/objectives/{objective_id}"):
        lambda s, i: {"version": i.extra["objective"].version, "title": "Probe renamed objective"},
    ("POST", "/orgs/{slug}/objectives/{objective_id}/measurements"):
        lambda s, i: {"measured_on": "2025-06-30", "value": "0.04", "note": "Probe measurement"},
}

WRITE_PERMS = {"objectives": "objectives.change"}
WEB_PARAMS = {
    "objective_id": lambda w: w.extra["objective"].pk,
    "measurement_id": lambda w: w.extra["measurement"].pk,
}
