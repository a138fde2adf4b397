"""How the tenancy, role and error matrices reach the objectives routes (see
aims.testing.tenancy)."""

from __future__ import annotations

import datetime

from aims.objectives.services import (
    measurement_create,
    monitor_create,
    monitor_result_record,
    objective_create,
)


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
    # Two monitors: one without results (so it can be deleted) and one with a result. Neither
    # names the world's AI system, which must stay deletable.
    monitor = monitor_create(ctx=ctx, data={
        "name": f"{tag} override-rate watch", "indicator": "human_override",
        "method": f"{tag} confidential override query", "frequency": "monthly", "unit": "%",
        "upper_threshold": "12", "owner": world.editor.pk})
    measured = monitor_create(ctx=ctx, data={
        "name": f"{tag} complaint count", "indicator": "complaints",
        "method": f"{tag} confidential complaints query", "frequency": "monthly",
        "unit": "count", "upper_threshold": "10"})
    result = monitor_result_record(ctx=ctx, monitor_id=measured.pk, data={
        "measured_on": datetime.date(2025, 4, 30), "value": "14.5",
        "note": f"{tag} underwriting backlog note"})
    world.extra.update(monitor=monitor, measured_monitor=measured, monitor_result=result)
    world.secrets += [monitor.name, monitor.method, measured.name, result.note,
                      str(monitor.pk), str(measured.pk), str(result.pk)]


PATH_PARAMS = {
    "objective_id": lambda w: w.extra["objective"].pk,
    "measurement_id": lambda w: w.extra["measurement"].pk,
    "monitor_id": lambda w: w.extra["monitor"].pk,
    "result_id": lambda w: w.extra["monitor_result"].pk,
}
ORG_UNIQUE_PARAMS = {"objective_id", "measurement_id", "monitor_id", "result_id"}
VERSIONED_BY = {
    "objective_id": lambda w: w.extra["objective"].version,
    "measurement_id": lambda w: w.extra["measurement"].version,
    "monitor_id": lambda w: w.extra["monitor"].version,
    "result_id": lambda w: w.extra["monitor_result"].version,
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
    ("POST", "/orgs/{slug}/monitors"): lambda s, i: {
        "name": "Probe drift watch", "indicator": "drift", "method": "Probe PSI query.",
        "frequency": "weekly", "unit": "PSI", "upper_threshold": "0.2"},
    ("PATCH", "/orgs/{slug}/monitors/{monitor_id}"):
        lambda s, i: {"version": i.extra["monitor"].version, "name": "Probe renamed monitor"},
    ("POST", "/orgs/{slug}/monitors/{monitor_id}/results"):
        lambda s, i: {"measured_on": "2025-05-31", "value": "9.5", "note": "Probe result"},
}

# Result routes address the monitor that has the result.
_RESULTS = "/orgs/{slug}/monitors/{monitor_id}/results"
ROUTE_PARAMS = {
    (method, route): {"monitor_id": lambda w: w.extra["measured_monitor"].pk}
    for method, route in (("GET", _RESULTS), ("POST", _RESULTS),
                          ("DELETE", _RESULTS + "/{result_id}"))
}

WRITE_PERMS = {"objectives": "objectives.change", "monitors": "monitoring.change"}
WEB_PARAMS = {
    "objective_id": lambda w: w.extra["objective"].pk,
    "measurement_id": lambda w: w.extra["measurement"].pk,
    "monitor_id": lambda w: w.extra["measured_monitor"].pk,
    "result_id": lambda w: w.extra["monitor_result"].pk,
}
