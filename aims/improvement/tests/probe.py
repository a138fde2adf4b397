"""How the tenancy, role and error matrices reach the improvement routes (see
aims.testing.tenancy): an incident, three nonconformities in the states their routes need
(a bare one to edit and delete, one with an open corrective action to complete, one ready to
verify and close) and an improvement opportunity."""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.improvement.services import (
    improvement_create,
    incident_create,
    nonconformity_action_complete,
    nonconformity_action_create,
    nonconformity_create,
    nonconformity_update,
    nonconformity_verify,
)


def build(world, ctx, tag: str) -> None:
    """Records of every improvement kind, named with `tag`. `ctx` is the owner's."""
    now = timezone.now()
    incident = incident_create(ctx=ctx, data={
        "title": f"{tag} scorecard drift on the broker channel", "incident_type": "drift",
        "occurred_at": now - datetime.timedelta(days=2), "detected_at": now
        - datetime.timedelta(days=1), "severity": "high",
        "description": f"{tag} secret drift analysis", "owner": world.editor.pk,
        "ai_systems": [world.system.pk], "serious_kind": "other",
        "aware_at": now - datetime.timedelta(hours=12)})
    nc_data = {"source": "other", "owner": world.editor.pk, "severity": "minor"}
    bare = nonconformity_create(ctx=ctx, data={
        **nc_data, "title": f"{tag} missing model card sign-off",
        "description": f"{tag} confidential finding text"})
    working = nonconformity_create(ctx=ctx, data={
        **nc_data, "title": f"{tag} override log not reviewed",
        "description": f"{tag} private override review gap"})
    open_action = nonconformity_action_create(ctx=ctx, nc_id=working.pk, data={
        "title": f"{tag} set up weekly override review", "owner": world.editor.pk,
        "due_date": timezone.localdate() + datetime.timedelta(days=30)})
    ready = nonconformity_create(ctx=ctx, data={
        **nc_data, "title": f"{tag} bias test skipped before release",
        "description": f"{tag} hidden release checklist gap"})
    ready = nonconformity_update(ctx=ctx, nc_id=ready.pk, version=ready.version, data={
        "rca_method": "free_text", "root_cause": f"{tag} release gate did not block"})
    done = nonconformity_action_create(ctx=ctx, nc_id=ready.pk, data={
        "title": f"{tag} make the bias test a blocking gate", "owner": world.editor.pk,
        "due_date": timezone.localdate()})
    nonconformity_action_complete(ctx=ctx, nc_id=ready.pk, action_id=done.pk,
                                  version=done.version)
    ready = nonconformity_verify(ctx=ctx, nc_id=ready.pk, version=ready.version, data={
        "result": "effective", "notes": f"{tag} sampled three releases"})
    improvement = improvement_create(ctx=ctx, data={
        "title": f"{tag} automate drift alerts", "benefit": f"{tag} secret benefit",
        "owner": world.editor.pk})
    world.extra.update(incident=incident, nc=bare, nc_working=working, nc_action=open_action,
                       nc_ready=ready, improvement=improvement)
    world.secrets += [
        incident.title, incident.description, bare.title, bare.description, working.title,
        working.description, open_action.title, ready.title, ready.description,
        ready.root_cause, done.title, improvement.title, improvement.benefit,
        *(str(x.pk) for x in (incident, bare, working, open_action, ready, done,
                              improvement))]


def _x(name):
    return lambda w: w.extra[name].pk


PATH_PARAMS = {"incident_id": _x("incident"), "nc_id": _x("nc"),
               "corrective_action_id": _x("nc_action"), "improvement_id": _x("improvement")}
ORG_UNIQUE_PARAMS = {"incident_id", "nc_id", "corrective_action_id", "improvement_id"}
VERSIONED_BY = {"incident_id": lambda w: w.extra["incident"].version,
                "nc_id": lambda w: w.extra["nc"].version,
                "improvement_id": lambda w: w.extra["improvement"].version}

NC = "/orgs/{slug}/nonconformities/{nc_id}"
ROUTE_PARAMS = {
    ("POST", NC + "/actions/{corrective_action_id}/complete"): {"nc_id": _x("nc_working")},
    ("POST", NC + "/verify"): {"nc_id": _x("nc_ready")},
    ("POST", NC + "/close"): {"nc_id": _x("nc_ready")},
}

BODIES = {
    ("POST", "/orgs/{slug}/incidents"): lambda s, i: {
        "title": "Probe incident", "incident_type": "availability",
        "occurred_at": "2025-01-10T08:00:00Z", "detected_at": "2025-01-10T09:30:00Z",
        "description": "Probe: scoring service unavailable.", "owner": str(s.editor.pk),
        "ai_systems": [str(s.system.pk)]},
    ("PATCH", "/orgs/{slug}/incidents/{incident_id}"): lambda s, i: {
        "version": i.extra["incident"].version, "title": "Probe renamed incident",
        "owner": str(s.editor.pk)},
    ("POST", "/orgs/{slug}/incidents/{incident_id}/nonconformity"): lambda s, i: {},
    ("POST", "/orgs/{slug}/nonconformities"): lambda s, i: {
        "title": "Probe nonconformity", "source": "complaint", "requirement": "A.8.3",
        "description": "Probe: customers were not told.", "owner": str(s.editor.pk)},
    ("PATCH", NC): lambda s, i: {
        "version": i.extra["nc"].version, "title": "Probe renamed nonconformity",
        "owner": str(s.editor.pk)},
    ("POST", NC + "/actions"): lambda s, i: {
        "title": "Probe corrective action", "owner": str(s.editor.pk),
        "due_date": "2030-01-31"},
    ("POST", NC + "/actions/{corrective_action_id}/complete"): lambda s, i: {
        "version": i.extra["nc_action"].version, "note": "Probe: done."},
    ("POST", NC + "/verify"): lambda s, i: {
        "version": i.extra["nc_ready"].version, "result": "effective",
        "notes": "Probe: checked again."},
    ("POST", NC + "/close"): lambda s, i: {"version": i.extra["nc_ready"].version},
    ("POST", "/orgs/{slug}/improvements"): lambda s, i: {
        "title": "Probe improvement", "source": "suggestion", "owner": str(s.editor.pk)},
    ("PATCH", "/orgs/{slug}/improvements/{improvement_id}"): lambda s, i: {
        "version": i.extra["improvement"].version, "title": "Probe renamed improvement",
        "owner": str(s.editor.pk)},
}

WRITE_PERMS = {"incidents": "improvement.change", "nonconformities": "improvement.change",
               "improvements": "improvement.change"}
ROUTE_PERMS = {
    ("POST", "/orgs/{slug}/incidents"): "improvement.raise",
    ("POST", "/orgs/{slug}/incidents/{incident_id}/nonconformity"): "improvement.raise",
    ("POST", "/orgs/{slug}/nonconformities"): "improvement.raise",
    ("POST", "/orgs/{slug}/improvements"): "improvement.raise",
    ("POST", NC + "/verify"): "improvement.verify",
    ("POST", NC + "/close"): "improvement.verify",
}
# Raising a nonconformity from an incident also links the incident to it.
MULTI_EVENT_ROUTES = {("POST", "/orgs/{slug}/incidents/{incident_id}/nonconformity")}
# The web pages: the nonconformity with an open action, so its "mark done" form works.
WEB_PARAMS = {"incident_id": _x("incident"), "nc_id": _x("nc_working"),
              "corrective_action_id": _x("nc_action"), "improvement_id": _x("improvement")}
# Web write views auditors may use (improvement.raise / improvement.verify): for the lead to
# exempt in aims/core/tests/test_tenancy_web.py's read-only-role test.
AUDITOR_WEB_WRITES = {"improvement:nc_create", "improvement:incident_create",
                      "improvement:improvement_create", "improvement:incident_raise_nc",
                      "improvement:nc_verify", "improvement:nc_close"}
