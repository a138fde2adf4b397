"""Tenant isolation of the API, proved route by route from the live OpenAPI schema.

Every operation whose path holds `{slug}` is called by the owner of organisation A with
organisation B's slug and B's real ids (and again with A's slug and B's ids): each must answer
404 without naming anything of B's, and B's record and activity log must be untouched. A route
added later is picked up automatically; if it has a path parameter, a required query parameter
or a body the tables of aims.testing.tenancy cannot fill, the mapping test fails until
someone adds it there.

The worlds, the route tables and the helpers that fill and send each call live in
aims.testing.tenancy; the world_a, world_b and worlds fixtures in this package's conftest.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from aims.accounts.services import token_create
from aims.integrations.services import integration_token_create, integration_token_revoke
from aims.testing.factories import ctx_for
from aims.testing.tenancy import (
    API,
    ORG_UNIQUE_PARAMS,
    SOA_REF,
    api_operations,
    assert_no_secrets,
    call,
    fill,
    org_state,
    signed_in,
    slug_operations,
    unmapped,
)


@pytest.mark.django_db
def test_every_route_is_mapped():
    """A new route with an unknown parameter or body must be added to the tables of tenancy.py."""
    gaps = {str(op): unmapped(op) for op in api_operations() if unmapped(op)}
    assert not gaps, f"routes this tenancy test cannot call yet: {gaps}"


@pytest.mark.django_db
def test_route_list_is_not_trivially_small():
    ops = slug_operations()
    assert len(ops) >= 25, [str(o) for o in ops]
    assert {"GET", "POST", "PATCH", "DELETE"} <= {o.method for o in ops}


@pytest.mark.django_db
def test_positive_control(worlds, api_client_for):
    """The owner of B can make every call: B's tables hold real ids and bodies, so the 404s
    A's owner gets below come from the tenancy checks, not from bad ids. (A's owner making every
    call is the owner row of the role matrix, test_roles_api: every operation answers 2xx.)"""
    w = worlds["B"]
    client = api_client_for(w.owner)
    failures = []
    for op in slug_operations():
        url, body = fill(op, slug_world=w, id_world=w)
        with transaction.atomic():
            response = call(client, op, url, body)
            transaction.set_rollback(True)
        if response.status_code >= 300:
            failures.append((str(op), response.status_code, response.content[:200]))
    assert not failures


@pytest.mark.django_db
def test_other_orgs_slug_and_ids_are_404_and_change_nothing(worlds, api_client_for):
    a, b = worlds["A"], worlds["B"]
    client = api_client_for(a.owner)
    before_a, before_b = org_state(a.org), org_state(b.org)
    failures = []
    for op in slug_operations():
        url, body = fill(op, slug_world=b, id_world=b)
        response = call(client, op, url, body)
        if response.status_code != 404:
            failures.append((str(op), url, response.status_code, response.content[:200]))
        assert_no_secrets(response, b, f"{op} as A's owner on B")
    assert not failures
    assert org_state(b.org) == before_b
    assert org_state(a.org) == before_a


@pytest.mark.django_db
def test_own_slug_with_other_orgs_ids_is_404_and_changes_nothing(worlds, api_client_for):
    a, b = worlds["A"], worlds["B"]
    client = api_client_for(a.owner)
    before_a, before_b = org_state(a.org), org_state(b.org)
    ops = [op for op in slug_operations() if ORG_UNIQUE_PARAMS & set(op.path_params)]
    assert len(ops) >= 10, [str(o) for o in ops]
    failures = []
    for op in ops:
        url, body = fill(op, slug_world=a, id_world=b)
        response = call(client, op, url, body)
        if response.status_code != 404:
            failures.append((str(op), url, response.status_code, response.content[:200]))
        assert_no_secrets(response, b, f"{op} with A's slug and B's ids")
    assert not failures
    assert org_state(b.org) == before_b
    assert org_state(a.org) == before_a


@pytest.mark.django_db
def test_unknown_slug_is_404(worlds, api_client_for):
    a = worlds["A"]
    client = api_client_for(a.owner)
    before = org_state(a.org)
    failures = []
    for op in slug_operations():
        url, body = fill(op, slug_world=a, id_world=a, slug="no-such-org")
        response = call(client, op, url, body)
        if response.status_code != 404:
            failures.append((str(op), response.status_code, response.content[:200]))
    assert not failures
    assert org_state(a.org) == before


@pytest.mark.django_db
def test_every_route_needs_authentication(worlds):
    b = worlds["B"]
    before = org_state(b.org)
    anonymous = Client()
    failures = []
    for op in api_operations():
        url, body = fill(op, slug_world=b, id_world=b)
        response = call(anonymous, op, url, body)
        if response.status_code != 401:
            failures.append((str(op), response.status_code))
        assert_no_secrets(response, b, f"anonymous {op}")
    assert not failures
    assert org_state(b.org) == before


@pytest.mark.django_db
def test_revoked_or_bogus_token_is_401(worlds):
    b = worlds["B"]
    bogus = Client(HTTP_AUTHORIZATION="Bearer aims_not-a-real-token")
    assert bogus.get(f"{API}/orgs/{b.org.slug}/ai-systems").status_code == 401
    token, raw = token_create(user=b.owner, name="soon revoked")
    token.revoked_at = token.created_at
    token.save(update_fields=["revoked_at"])
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.get(f"{API}/orgs/{b.org.slug}/ai-systems").status_code == 401


@pytest.mark.django_db
def test_a_credential_that_fails_is_401_on_every_operation_before_csrf(worlds):
    """A client outside a browser (CSRF enforced, as in production) sending a credential that
    does not work gets 401 with the error body on every operation, writes included: the
    credential is judged, not the CSRF token a session would need. So does a client that
    sends nothing at all."""
    b = worlds["B"]
    revoked, revoked_raw = token_create(user=b.owner, name="revoked")
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    expired, expired_raw = token_create(user=b.owner, name="expired", expires_in_days=1)
    expired.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    expired.save(update_fields=["expires_at"])
    ctx = ctx_for(b.org, b.owner)
    gone, gone_raw = integration_token_create(ctx=ctx, name="revoked pipeline")
    integration_token_revoke(ctx=ctx, token_id=gone.pk)
    before = org_state(b.org)
    headers = {
        "nothing": None,
        "unknown": "Bearer aims_not-a-real-token",
        "revoked": f"Bearer {revoked_raw}",
        "expired": f"Bearer {expired_raw}",
        "revoked integration": f"Bearer {gone_raw}",
        "another scheme": "Basic YWxpY2U6cGFzc3dvcmQ=",
    }
    failures = []
    for name, header in headers.items():
        client = Client(enforce_csrf_checks=True,
                        **({"HTTP_AUTHORIZATION": header} if header else {}))
        for op in api_operations():
            if name != "unknown" and op.method == "GET":
                continue  # reads never met the CSRF check: one kind of credential covers them
            url, body = fill(op, slug_world=b, id_world=b)
            response = call(client, op, url, body)
            if response.status_code != 401 or not response.json().get("detail"):
                failures.append((name, str(op), response.status_code, response.content[:80]))
    assert not failures, failures[:20]
    assert org_state(b.org) == before


@pytest.mark.django_db
def test_session_write_without_csrf_token_is_refused(worlds):
    a = worlds["A"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(a.owner)
    before = org_state(a.org)
    assert client.get(f"{API}/orgs/{a.org.slug}/ai-systems").status_code == 200
    response = client.post(f"{API}/orgs/{a.org.slug}/issues",
                           data={"kind": "internal", "title": "Forged"},
                           content_type="application/json")
    assert response.status_code == 403, response.content
    assert org_state(a.org) == before


@pytest.mark.django_db
def test_other_users_token_cannot_be_revoked(worlds, api_client_for):
    a, b = worlds["A"], worlds["B"]
    session = signed_in(a.owner)  # token management takes a signed-in session
    response = session.delete(f"{API}/me/tokens/{b.token.pk}")
    assert response.status_code == 404
    assert_no_secrets(response, b, "revoking B's token")
    b.token.refresh_from_db()
    assert b.token.revoked_at is None


@pytest.mark.django_db
def test_own_org_lists_show_nothing_of_the_other(worlds, api_client_for):
    a, b = worlds["A"], worlds["B"]
    client = api_client_for(a.owner)
    for op in slug_operations():
        if op.method != "GET" or op.path_params != ("slug",):
            continue
        url, _ = fill(op, slug_world=a, id_world=a)
        response = client.get(url)
        assert response.status_code == 200, (str(op), response.content[:200])
        assert_no_secrets(response, b, f"{op} in A")
    response = client.get(f"{API}/orgs")
    assert [o["slug"] for o in response.json()] == [a.org.slug]
    response = client.get(f"{API}/orgs/{a.org.slug}/activity",
                          {"object_id": str(b.system.pk)})
    assert response.json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("method,route,body", [
    ("post", "/orgs/{slug}/ai-systems",
     lambda a, b: {"name": "X", "intended_purpose": "Y", "roles": ["user"],
                   "owner": str(b.editor.pk)}),
    ("patch", "/orgs/{slug}/ai-systems/" + "{system_id}",
     lambda a, b: {"version": a.system.version, "owner": str(b.editor.pk)}),
    ("patch", "/orgs/{slug}/soa/" + SOA_REF,
     lambda a, b: {"version": a.soa_item.version, "owner": str(b.owner.pk)}),
])
def test_owner_from_another_org_is_refused(worlds, api_client_for, method, route, body):
    """A body may not point at a person of another organisation either."""
    a, b = worlds["A"], worlds["B"]
    client = api_client_for(a.owner)
    before_a, before_b = org_state(a.org), org_state(b.org)
    url = API + route.format(slug=a.org.slug, system_id=a.system.pk)
    response = getattr(client, method)(url, body(a, b))
    assert response.status_code == 422, response.content
    assert "owner" in response.json()["errors"]
    assert_no_secrets(response, b, "owner from B")
    assert org_state(a.org) == before_a
    assert org_state(b.org) == before_b
