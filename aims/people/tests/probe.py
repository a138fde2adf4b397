"""How the tenancy, role and error matrices reach the people routes (see
aims.testing.tenancy): AIMS roles with a holder and a competence requirement, a spare role
nobody holds (the one a delete removes), a training record and the concern channel. The world
holds no standard role, so adding the standard set always adds something."""

from __future__ import annotations

from django.utils import timezone

from aims.people.services import (
    aims_role_create,
    competence_requirement_create,
    concern_channel_save,
    role_assignment_create,
    training_record_create,
)


def build(world, ctx, tag: str) -> None:
    role = aims_role_create(ctx=ctx, data={
        "name": f"{tag} Model risk committee chair",
        "responsibilities": f"{tag} confidential oversight of the pricing models",
        "areas": f"{tag} secret reinsurance desk", "requirements": ["6.1.2"],
        "ai_systems": [world.system.pk]})
    spare = aims_role_create(ctx=ctx, data={
        "name": f"{tag} Vacant ethics lead",
        "responsibilities": f"{tag} unfilled ethics duties"})
    assignment = role_assignment_create(ctx=ctx, role_id=role.pk, data={
        "member": world.editor.pk, "note": f"{tag} appointed by the private board minute"})
    competence = competence_requirement_create(ctx=ctx, role_id=role.pk, data={
        "title": f"{tag} knows the hidden model validation playbook", "ai_specific": True})
    training = training_record_create(ctx=ctx, data={
        "member": world.editor.pk, "topic": f"{tag} confidential adversarial testing course",
        "ai_specific": True, "completed_on": timezone.localdate(),
        "provider": f"{tag} secret academy", "notes": f"{tag} scored top marks"})
    channel = concern_channel_save(ctx=ctx, version=0, data={
        "channels": f"{tag} hidden hotline 0800 123", "recipients": f"{tag} ethics officer",
        "confidentiality": f"{tag} reports stay anonymous",
        "response_times": f"{tag} answered within five days"})
    world.extra.update(aims_role=role, spare_role=spare, role_assignment=assignment,
                       competence_requirement=competence, training_record=training,
                       concern_channel=channel)
    world.secrets += [role.name, role.responsibilities, role.areas, spare.name,
                      spare.responsibilities, assignment.note, competence.title,
                      training.topic, training.provider, training.notes, channel.channels,
                      channel.recipients, channel.confidentiality, channel.response_times,
                      *(str(x.pk) for x in (role, spare, assignment, competence, training,
                                            channel))]


def _x(key):
    return lambda w: w.extra[key].pk


def _v(key):
    return lambda w: w.extra[key].version


PATH_PARAMS = {
    "aims_role_id": _x("aims_role"),
    "role_assignment_id": _x("role_assignment"),
    "competence_requirement_id": _x("competence_requirement"),
    "training_record_id": _x("training_record"),
}
ORG_UNIQUE_PARAMS = set(PATH_PARAMS)
VERSIONED_BY = {
    "aims_role_id": _v("aims_role"),
    "role_assignment_id": _v("role_assignment"),
    "competence_requirement_id": _v("competence_requirement"),
    "training_record_id": _v("training_record"),
}

R = "/orgs/{slug}/aims-roles/{aims_role_id}"
# A role somebody holds cannot be deleted: the delete route removes the spare one (same version).
ROUTE_PARAMS = {("DELETE", R): {"aims_role_id": _x("spare_role")}}

BODIES = {
    ("POST", "/orgs/{slug}/aims-roles"): lambda s, i: {
        "name": "Probe role", "responsibilities": "Probe duties.", "requirements": ["5.3"],
        "ai_systems": [str(s.system.pk)]},
    ("PATCH", R): lambda s, i: {"version": i.extra["aims_role"].version,
                                "name": "Probe renamed role"},
    ("POST", R + "/assignments"): lambda s, i: {"member": str(s.owner.pk),
                                                "note": "Probe assignment"},
    ("PATCH", R + "/assignments/{role_assignment_id}"): lambda s, i: {
        "version": i.extra["role_assignment"].version, "note": "Probe changed note"},
    ("POST", R + "/competence-requirements"): lambda s, i: {"title": "Probe competence"},
    ("PATCH", R + "/competence-requirements/{competence_requirement_id}"): lambda s, i: {
        "version": i.extra["competence_requirement"].version, "title": "Probe renamed"},
    ("POST", "/orgs/{slug}/training-records"): lambda s, i: {
        "member": str(s.editor.pk), "topic": "Probe training", "ai_specific": True,
        "completed_on": timezone.localdate().isoformat()},
    ("PATCH", "/orgs/{slug}/training-records/{training_record_id}"): lambda s, i: {
        "version": i.extra["training_record"].version, "topic": "Probe renamed training"},
    ("POST", "/orgs/{slug}/concern-channel"): lambda s, i: {
        "version": s.extra["concern_channel"].version, "channels": "Probe mailbox",
        "recipients": "Probe officer", "confidentiality": "Probe: anonymous allowed",
        "response_times": "Probe: two days"},
}
WRITE_PERMS = {"aims-roles": "people.change", "concern-channel": "people.change",
               "role-assignments": "people.change", "training-records": "training.change",
               "competence-gaps": "people.change"}
# Adding the standard roles logs one event per role added.
MULTI_EVENT_ROUTES = {("POST", "/orgs/{slug}/aims-roles/standard")}
WEB_PARAMS = dict(PATH_PARAMS)
