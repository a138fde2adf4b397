"""Task records and routes for the tenancy, role and API-error matrices (aims.testing)."""

from __future__ import annotations

import datetime

from aims.tasks.services import task_create


def build(world, ctx, tag: str) -> None:
    """An evidence request about the world's SoA control, owned by the world's editor, named
    with `tag` so a leak is easy to spot."""
    task = task_create(ctx=ctx, subject=world.soa_item, data={
        "title": f"{tag} upload the signed AI policy", "kind": "evidence_request",
        "description": f"{tag} confidential: the board minutes of March",
        "owner": world.editor.pk, "priority": "high",
        "due_date": datetime.date.today() + datetime.timedelta(days=10)})
    world.extra["task"] = task
    world.secrets += [task.title, task.description, str(task.pk)]


PATH_PARAMS = {"task_id": lambda w: w.extra["task"].pk}
ORG_UNIQUE_PARAMS = {"task_id"}
WEB_PARAMS = dict(PATH_PARAMS)
VERSIONED_BY = {"task_id": lambda w: w.extra["task"].version}
WRITE_PERMS = {"tasks": "tasks.change"}
# Answering adds the evidence and completes the request: two events.
MULTI_EVENT_ROUTES = {("POST", "/orgs/{slug}/tasks/{task_id}/answer")}

BODIES = {
    ("POST", "/orgs/{slug}/tasks"): lambda s, i: {
        "title": "Probe task", "kind": "review", "owner": str(s.editor.pk),
        "due_date": "2031-03-31", "recurrence_every": 3, "recurrence_unit": "months",
        "subject_kind": "ai_system", "subject_id": str(s.system.pk)},
    ("PATCH", "/orgs/{slug}/tasks/{task_id}"):
        lambda s, i: {"version": i.extra["task"].version, "title": "Probe renamed task"},
    ("POST", "/orgs/{slug}/tasks/{task_id}/complete"):
        lambda s, i: {"version": i.extra["task"].version, "note": "Probe completed it."},
    ("POST", "/orgs/{slug}/tasks/{task_id}/answer"):
        lambda s, i: {"version": i.extra["task"].version, "kind": "note",
                      "note": "Probe: the policy is signed, see minutes."},
}
