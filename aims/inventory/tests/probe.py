"""How the tenancy, role and error matrices reach the inventory's routes (see
aims.testing.tenancy): the change log, lifecycle moves and approvals, and resources. The
change log, lifecycle records and approvals are append-only, so they have no item routes."""

from __future__ import annotations

from aims.inventory.services import (
    ai_system_stage_change,
    deployment_approval_create,
    resource_create,
    system_change_record,
)
from aims.testing.factories import make_ai_system


def build(world, ctx, tag: str) -> None:
    """A further AI system with one logged change, one lifecycle move, one deployment approval
    and one resource; the world's own system keeps an empty history, so it stays deletable (a
    system with a history must be retired instead). `ctx` is the owner's, who may approve."""
    system = make_ai_system(ctx, name=f"{tag} Telematics Pricing Model", owner=world.editor.pk)
    change = system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": f"{tag} confidential retraining on broker data", "significant": False})
    system = ai_system_stage_change(ctx=ctx, system_id=system.pk, to_stage="verification",
                                    version=system.version,
                                    note=f"{tag} secret rollback after the broker complaint")
    approval = deployment_approval_create(ctx=ctx, system_id=system.pk, version=system.version,
                                          note=f"{tag} approved for the hidden pilot region")
    resource = resource_create(ctx=ctx, data={
        "name": f"{tag} Broker claims warehouse", "kind": "data",
        "description": f"{tag} private claims extract", "owner": world.editor.pk,
        "data_provenance": f"{tag} bought from a broker consortium",
        "ai_systems": [system.pk]})
    world.extra.update(changed_system=system, system_change=change, approval=approval,
                       resource=resource)
    world.secrets += [system.name, change.description, str(system.pk), str(change.pk),
                      approval.note, str(approval.pk), resource.name, resource.description,
                      resource.data_provenance, str(resource.pk),
                      f"{tag} secret rollback after the broker complaint"]


def _resource(w):
    return w.extra["resource"]


PATH_PARAMS = {"resource_id": lambda w: _resource(w).pk}
ORG_UNIQUE_PARAMS = {"resource_id"}
VERSIONED_BY = {"resource_id": lambda w: _resource(w).version}

S = "/orgs/{slug}/ai-systems/{system_id}"
BODIES = {
    ("POST", S + "/changes"):
        lambda s, i: {"description": "Probe change: moved to a new cluster.",
                      "significant": False},
    ("POST", S + "/stage"): lambda s, i: {
        "to_stage": "verification", "version": i.system.version,
        "note": "Probe: back to verification for a re-test."},
    ("POST", S + "/deployment-approvals"):
        lambda s, i: {"version": i.system.version, "note": "Probe approval."},
    ("POST", "/orgs/{slug}/resources"): lambda s, i: {
        "name": "Probe resource", "kind": "tooling", "owner": str(s.editor.pk),
        "ai_systems": [str(s.system.pk)]},
    ("PATCH", "/orgs/{slug}/resources/{resource_id}"):
        lambda s, i: {"version": _resource(i).version, "name": "Probe renamed resource"},
}
WRITE_PERMS = {"resources": "inventory.change"}
ROUTE_PERMS = {("POST", S + "/deployment-approvals"): "lifecycle.approve"}
# A stage move logs the system's new stage and the lifecycle record.
MULTI_EVENT_ROUTES = {("POST", S + "/stage")}
WEB_PARAMS = {"resource_id": lambda w: _resource(w).pk}
