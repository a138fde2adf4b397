"""How the API refuses bad input: 422 naming the field, 409 with the current record, 404 for
ids that do not parse, 4xx for bodies that are not JSON, and never a 500. Every refusal leaves
the record and its activity log exactly as they were.

The generic checks (missing version, stale version, malformed ids, junk queries and bodies)
run over every operation of the live API, with the bodies of aims.testing.tenancy.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from aims.accounts.services import token_create
from aims.testing.tenancy import (
    API,
    BODIES,
    Multipart,
    fill,
    org_state,
    param_value,
    slug_operations,
)


class Api:
    """A token-authenticated client that returns 500s instead of raising them."""

    def __init__(self, user):
        _, raw = token_create(user=user, name="errors")
        self.client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")

    def send(self, method: str, url: str, body=None, *, raw: bytes | str | None = None,
             content_type: str = "application/json"):
        fn = getattr(self.client, method.lower())
        if raw is not None:
            return fn(url, data=raw, content_type=content_type)
        if isinstance(body, Multipart):  # an upload route's body: sent as a browser would
            return fn(url, data=dict(body))
        if body is not None:
            return fn(url, data=json.dumps(body), content_type=content_type)
        return fn(url)


def error_fields(response) -> set[str]:
    """The fields a 422 names, whether pydantic or a service refused the input."""
    body = response.json()
    if isinstance(body.get("detail"), list):
        return {p for e in body["detail"] for p in e["loc"] if isinstance(p, str)} - {
            "body", "payload", "query", "path"}
    return set(body.get("errors", {}))


@pytest.fixture
def api(world):
    return Api(world.owner)


def _systems(world) -> str:
    return f"{API}/orgs/{world.org.slug}/ai-systems"


VALID_SYSTEM = {"name": "Fraud screening", "intended_purpose": "Flags suspicious claims.",
                "roles": ["deployer"]}


@pytest.mark.django_db
@pytest.mark.parametrize("change,field", [
    ({"name": None}, "name"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "acme claims triage model"}, "name"),  # taken, whatever the case
    ({"intended_purpose": None}, "intended_purpose"),
    ({"roles": []}, "roles"),
    ({"roles": None}, "roles"),
    ({"roles": ["overlord"]}, "roles"),
    ({"roles": ["user", "user"]}, "roles"),
    ({"roles": "user"}, "roles"),
    ({"lifecycle_stage": "launched"}, "lifecycle_stage"),
    ({"eu_risk_class": "spicy"}, "eu_risk_class"),
    ({"in_scope": False}, "scope_justification"),
    ({"in_scope": False, "scope_justification": "n/a"}, "scope_justification"),
    ({"status": "retired", "lifecycle_stage": "development"}, "status"),
    ({"lifecycle_stage": "deployed"}, "lifecycle_stage"),
    ({"owner": "00000000-0000-0000-0000-000000000000"}, "owner"),
    ({"owner": "not-a-uuid"}, "owner"),
])
def test_ai_system_create_names_the_bad_field(world, api, change, field):
    body = {**VALID_SYSTEM, **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = org_state(world.org)
    response = api.send("POST", _systems(world), body)
    assert response.status_code == 422, response.content
    assert field in error_fields(response), response.json()
    assert field in response.content.decode()
    assert org_state(world.org) == before


@pytest.mark.django_db
def test_valid_ai_system_is_created(world, api):
    """The baseline the refusals above are measured against."""
    response = api.send("POST", _systems(world), VALID_SYSTEM)
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_every_patch_without_version_is_422_naming_version(world, api):
    ops = [op for op in slug_operations() if op.method == "PATCH"]
    assert len(ops) >= 5
    before = org_state(world.org)
    for op in ops:
        url, body = fill(op, slug_world=world, id_world=world)
        body = {k: v for k, v in body.items() if k != "version"}
        response = api.send("PATCH", url, body)
        assert response.status_code == 422, (str(op), response.content)
        assert "version" in error_fields(response), (str(op), response.json())
    assert org_state(world.org) == before


@pytest.mark.django_db
def test_every_stale_patch_is_409_with_the_saved_values(world, api):
    ops = [op for op in slug_operations() if op.method == "PATCH"]
    for op in ops:
        url, first = fill(op, slug_world=world, id_world=world)
        saved = api.send("PATCH", url, first)
        assert saved.status_code == 200, (str(op), saved.content)
        before = org_state(world.org)
        # Someone else's edit, still based on the version the first writer read.
        stale = {**BODIES[op.key](world, world), "version": first["version"]}
        stale = {k: ("Lost update" if k not in ("version", "owner", "role")
                     and isinstance(v, str) else v)
                 for k, v in stale.items()}
        if "role" in stale:
            stale["role"] = "auditor"
        response = api.send("PATCH", url, stale)
        assert response.status_code == 409, (str(op), response.content)
        current = response.json()["current"]
        assert current["version"] == saved.json()["version"] == first["version"] + 1
        for key, value in first.items():
            if key != "version":
                assert str(current[key]) == str(value), (str(op), key, current)
        assert org_state(world.org) == before, str(op)


@pytest.mark.django_db
def test_every_delete_checks_its_version(world, api):
    ops = [op for op in slug_operations() if op.method == "DELETE" and "version" in op.required_query]
    assert len(ops) >= 3
    before = org_state(world.org)
    for op in ops:
        url, _ = fill(op, slug_world=world, id_world=world)
        bare = url.split("?")[0]
        response = api.send("DELETE", bare)
        assert response.status_code == 422 and "version" in error_fields(response), str(op)
        response = api.send("DELETE", f"{bare}?version=97")
        assert response.status_code == 409, (str(op), response.content)
        assert response.json()["current"]["version"] == 1
        response = api.send("DELETE", f"{bare}?version=one")
        assert response.status_code == 422, str(op)
    assert org_state(world.org) == before


@pytest.mark.django_db
def test_stale_scope_is_409_with_the_latest_version(world, api):
    url = f"{API}/orgs/{world.org.slug}/scope"
    before = org_state(world.org)
    response = api.send("POST", url, {"based_on": 0, "statement": "A rival first draft."})
    assert response.status_code == 409
    current = response.json()["current"]
    assert current["number"] == world.scope.number
    assert current["statement"] == world.scope.statement
    assert org_state(world.org) == before


MALFORMED = ["not-a-uuid", "0", "-1", "99999999999999999999", "9223372036854775808",
             "00000000-0000-0000-0000-000000000000", "%00", "%20", "caf%C3%A9", "x" * 400,
             "..%2F..%2Fetc", "'%20OR%201=1--"]


@pytest.mark.django_db
def test_malformed_path_parameters_are_404_or_422(world, api):
    before = org_state(world.org)
    failures = []
    for op in slug_operations():
        for param in [p for p in op.path_params if p != "slug"]:
            url, body = fill(op, slug_world=world, id_world=world)
            good = str(param_value(op, param, world))
            for junk in MALFORMED:
                response = api.send(op.method, url.replace(good, junk, 1), body)
                if response.status_code not in (404, 422):
                    failures.append((str(op), param, junk, response.status_code))
    assert not failures
    assert org_state(world.org) == before


JUNK_QUERY = ["", "abc", "-1", "0", "99999999999999999999", "9223372036854775808", "%00",
              "2024-13-45", "true", "x" * 2000]


@pytest.mark.django_db
def test_junk_query_strings_never_500(world, api):
    failures = []
    schema = Client().get(f"{API}/openapi.json").json()["paths"]
    for op in slug_operations():
        if op.method != "GET":
            continue
        url, _ = fill(op, slug_world=world, id_world=world)
        names = [p["name"] for p in schema[op.path]["get"].get("parameters", [])
                 if p["in"] == "query"]
        for name in names:
            for junk in JUNK_QUERY:
                response = api.send("GET", f"{url}?{name}={junk}")
                if response.status_code >= 500:
                    failures.append((str(op), name, junk, response.status_code))
    assert not failures


BAD_BODIES = [
    ("not json", b"name=Fraud&roles=user", "application/json"),
    ("truncated json", b'{"name": "Fraud", ', "application/json"),
    ("invalid utf-8", b'{"name": "\xff\xfe"}', "application/json"),
    ("json array", b"[1, 2, 3]", "application/json"),
    ("json null", b"null", "application/json"),
    ("json string", b'"hello"', "application/json"),
    ("json number", b"42", "application/json"),
    ("deeply nested", b"[" * 100_000, "application/json"),
    ("form encoded", b"name=Fraud&roles=user", "application/x-www-form-urlencoded"),
    ("xml", b"<system><name>Fraud</name></system>", "application/xml"),
    ("empty", b"", "application/json"),
    ("over the size limit", json.dumps({"name": "x" * 3_000_000}).encode(), "application/json"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("label,raw,content_type", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bodies_that_are_not_the_schema_are_4xx(world, api, label, raw, content_type):
    before = org_state(world.org)
    failures = []
    for op in slug_operations():
        if op.key not in BODIES:
            continue
        url, _ = fill(op, slug_world=world, id_world=world)
        response = api.send(op.method, url, raw=raw, content_type=content_type)
        if not 400 <= response.status_code < 500:
            failures.append((str(op), response.status_code, response.content[:200]))
    assert not failures
    assert org_state(world.org) == before


@pytest.mark.django_db
def test_text_beyond_its_bound_is_refused_naming_the_field(world, api):
    """A 900,000-character description fits in a request but not in the record: 422 naming
    the field (free text is bounded at aims.core.api.MAX_TEXT); within the bound it is kept."""
    url = f"{API}/orgs/{world.org.slug}/issues"
    response = api.send("POST", url, {"kind": "internal", "title": "Large",
                                      "description": "lorem " * 150_000})
    assert response.status_code == 422 and "description" in error_fields(response)
    response = api.send("POST", url, {"kind": "internal", "title": "Long but within",
                                      "description": "lorem " * 16_000})
    assert response.status_code == 201, response.content[:200]
    assert len(response.json()["description"]) == len("lorem " * 16_000)
    response = api.send("POST", url, {"kind": "internal", "title": "T" * 5000})
    assert response.status_code == 422 and "title" in error_fields(response)


@pytest.mark.django_db
def test_control_characters_in_text_never_500(world, api):
    """PostgreSQL refuses NUL in text; the API must answer 4xx for it, not crash."""
    before = org_state(world.org)
    url = f"{API}/orgs/{world.org.slug}/issues"
    response = api.send("POST", url, {"kind": "internal", "title": "Nul\x00byte"})
    assert response.status_code in (201, 422), response.content[:200]
    if response.status_code == 422:
        assert org_state(world.org) == before
    response = api.send("POST", url, {"kind": "internal", "title": "Tab\tand\u202eRTL"})
    assert response.status_code == 201
