"""The role matrix of the API: every live organisation route × every membership role.

The routes come from the running API (through aims.testing.tenancy); the permission each
route needs is named once below, and whether a role holds it comes from
aims.orgs.permissions.PERMISSIONS, so the expectations move with the table instead of repeating
it. Each call runs in a savepoint that is rolled back, so every route sees the same starting
record.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from aims.orgs.models import Membership
from aims.orgs.permissions import PERMISSIONS, Role, role_can
from aims.testing.factories import UserFactory
from aims.testing.tenancy import (
    API,
    PROBE_MULTI_EVENT_ROUTES,
    PROBE_ROUTE_PERMS,
    PROBE_WRITE_PERMS,
    Op,
    call,
    fill,
    org_state,
    slug_operations,
)

# The permission a write needs, by the path segment after /orgs/{slug}/.
WRITE_PERMS = {
    "ai-systems": "inventory.change",
    "soa": "compliance.change",
    "scope": "context.change",
    "issues": "context.change",
    "interested-parties": "context.change",
    "members": "members.manage",
    **PROBE_WRITE_PERMS,
}
# Reads need org.view unless named here.
READ_PERMS = {"activity": "activity.view"}

# Operations the matrix must keep covering, whatever else the API grows.
REQUIRED = {
    ("GET", "/orgs/{slug}/ai-systems"), ("POST", "/orgs/{slug}/ai-systems"),
    ("GET", "/orgs/{slug}/ai-systems/{system_id}"),
    ("PATCH", "/orgs/{slug}/ai-systems/{system_id}"),
    ("DELETE", "/orgs/{slug}/ai-systems/{system_id}"),
    ("PATCH", "/orgs/{slug}/soa/{ref}"), ("GET", "/orgs/{slug}/soa/export"),
    ("GET", "/orgs/{slug}/issues"), ("POST", "/orgs/{slug}/issues"),
    ("PATCH", "/orgs/{slug}/issues/{issue_id}"), ("DELETE", "/orgs/{slug}/issues/{issue_id}"),
    ("GET", "/orgs/{slug}/interested-parties"), ("POST", "/orgs/{slug}/interested-parties"),
    ("PATCH", "/orgs/{slug}/interested-parties/{party_id}"),
    ("DELETE", "/orgs/{slug}/interested-parties/{party_id}"),
    ("POST", "/orgs/{slug}/scope"),
    ("PATCH", "/orgs/{slug}/members/{member_id}"),
    ("DELETE", "/orgs/{slug}/members/{member_id}"), ("POST", "/orgs/{slug}/invitations"),
    ("GET", "/orgs/{slug}/activity"), ("GET", "/orgs/{slug}/activity/verify"),
}


def segment(op: Op) -> str:
    rest = op.route.removeprefix("/orgs/{slug}").strip("/")
    return rest.split("/", 1)[0]


def perm_for(op: Op) -> str:
    if op.key in PROBE_ROUTE_PERMS:
        return PROBE_ROUTE_PERMS[op.key]
    if op.method == "GET":
        return READ_PERMS.get(segment(op), "org.view")
    assert segment(op) in WRITE_PERMS, f"{op}: name the permission it needs in WRITE_PERMS"
    return WRITE_PERMS[segment(op)]


@pytest.mark.django_db
def test_matrix_covers_the_routes_that_matter():
    keys = {op.key for op in slug_operations()}
    assert keys >= REQUIRED, REQUIRED - keys
    for op in slug_operations():
        assert perm_for(op) in PERMISSIONS


@pytest.mark.django_db
def test_reads_are_open_to_every_role_and_writes_are_not():
    """The table itself says what the brief promises; if it changes, so must the product."""
    for role in Role:
        assert role_can(role, "org.view") and role_can(role, "activity.view")
    # So the owner's row of the matrix is the positive control of organisation A.
    assert all(role_can("owner", perm) for perm in PERMISSIONS)
    for perm in ("inventory.change", "compliance.change", "context.change"):
        assert {r for r in Role if role_can(r, perm)} == {"owner", "admin", "editor"}
    assert {r for r in Role if role_can(r, "members.manage")} == {"owner", "admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_matrix(world, members, api_client_for, role):
    client = api_client_for(members[role])
    failures = []
    # Every call is rolled back, so each starts from this state.
    before = org_state(world.org)
    for op in slug_operations():
        allowed = role_can(role, perm_for(op))
        url, body = fill(op, slug_world=world, id_world=world)
        with transaction.atomic():
            response = call(client, op, url, body)
            after = org_state(world.org)
            transaction.set_rollback(True)
        status = response.status_code
        if op.method == "GET":
            expected = "200" if allowed else "403"
            ok = status == 200 if allowed else status == 403
            ok = ok and after == before
        elif allowed:
            # Removing a member also releases (and logs) whatever they owned.
            cascades = ((op.method == "DELETE" and "/members/" in op.path)
                        or op.key in PROBE_MULTI_EVENT_ROUTES)
            expected = "2xx and " + ("new events" if cascades else "one new event")
            added = len(after["events"]) - len(before["events"])
            ok = 200 <= status < 300 and (added >= 1 if cascades else added == 1)
        else:
            expected = "403 and nothing changed"
            ok = status == 403 and after == before
        if not ok:
            failures.append(f"{role} {op}: got {status}, expected {expected}: "
                            f"{response.content[:200]!r}")
    assert not failures, "\n".join(failures)


def _member(org, role):
    return Membership.objects.get(org=org, user__email=f"{role}@{org.slug}.example.com")


@pytest.mark.django_db
def test_admin_cannot_grant_or_take_ownership(org, members, api_client_for):
    client = api_client_for(members["admin"])
    newcomer = UserFactory(email="newcomer@example.org")
    viewer, owner = _member(org, "viewer"), _member(org, "owner")
    before = org_state(org)
    base = f"{API}/orgs/{org.slug}/members"
    responses = {
        "grant owner": client.patch(f"{base}/{viewer.pk}",
                                    {"role": "owner", "version": viewer.version}),
        "demote owner": client.patch(f"{base}/{owner.pk}",
                                     {"role": "viewer", "version": owner.version}),
        "remove owner": client.delete(f"{base}/{owner.pk}?version={owner.version}"),
        "invite as owner": client.post(f"{API}/orgs/{org.slug}/invitations",
                                       {"email": newcomer.email, "role": "owner"}),
    }
    assert {k: r.status_code for k, r in responses.items()} == dict.fromkeys(responses, 403)
    assert org_state(org) == before


@pytest.mark.django_db
def test_owner_can_grant_ownership_and_admin_can_manage_others(org, members, api_client_for):
    viewer, editor = _member(org, "viewer"), _member(org, "editor")
    base = f"{API}/orgs/{org.slug}/members"
    r = api_client_for(members["admin"]).patch(f"{base}/{editor.pk}",
                                               {"role": "viewer", "version": editor.version})
    assert r.status_code == 200 and r.json()["role"] == "viewer"
    r = api_client_for(members["owner"]).patch(f"{base}/{viewer.pk}",
                                               {"role": "owner", "version": viewer.version})
    assert r.status_code == 200 and r.json()["role"] == "owner"


@pytest.mark.django_db
def test_last_owner_cannot_leave(org, members, api_client_for):
    owner = _member(org, "owner")
    client = api_client_for(members["owner"])
    before = org_state(org)
    base = f"{API}/orgs/{org.slug}/members/{owner.pk}"
    assert client.patch(base, {"role": "admin", "version": owner.version}).status_code == 422
    assert client.delete(f"{base}?version={owner.version}").status_code == 422
    assert org_state(org) == before
