"""The API's contract as its OpenAPI document states it: one schema per name, the errors every
operation can answer with, the permission every operation needs, and a door that checks access
before it reads the body and refuses fields it does not know."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from aims.core.api import READ_ERRORS, WRITE_ERRORS
from aims.orgs.api import PERMISSION_KEY
from aims.orgs.permissions import role_can
from aims.testing.tenancy import (
    BODIES,
    Multipart,
    Op,
    api_operations,
    call,
    fill,
    slug_operations,
)
from config.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document():
    """The document as clients read it (JSON: status codes are strings)."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def schema_clashes(of_api, monkeypatch) -> dict[str, int]:
    """{name: how many different shapes the document generated under it} for the names used
    by more than one shape (the document itself keeps only the last one it met)."""
    seen: dict[str, set[str]] = defaultdict(set)
    original = OpenAPISchema.add_schema_definitions

    def recording(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            seen[name].add(json.dumps(definition, sort_keys=True))
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    NinjaAPI.get_openapi_schema(of_api, path_prefix="")  # built afresh, never from a cache
    assert seen, "no schema was generated"
    return {name: len(shapes) for name, shapes in seen.items() if len(shapes) > 1}


def test_schema_names_are_unique(monkeypatch):
    """Two different shapes under one name would make the document describe one of them
    wrongly (a body validated by one schema, documented with another)."""
    assert not schema_clashes(api, monkeypatch)


def test_the_name_check_catches_a_clash(monkeypatch):
    from ninja import Schema

    first = type("Clash", (Schema,), {"__annotations__": {"a": int}})
    second = type("Clash", (Schema,), {"__annotations__": {"b": str}})
    first_in = type("FirstIn", (Schema,), {"__annotations__": {"inner": first}})
    second_in = type("SecondIn", (Schema,), {"__annotations__": {"inner": second}})
    toy = NinjaAPI(urls_namespace="toy")
    for path, body in (("/first", first_in), ("/second", second_in)):
        def view(request, payload):
            return None

        view.__annotations__ = {"payload": body}  # real classes: this module defers its own
        toy.post(path, response=None)(view)

    assert schema_clashes(toy, monkeypatch) == {"Clash": 2}


def test_every_operation_declares_the_errors_it_can_answer(document):
    missing = {}
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            codes = WRITE_ERRORS if method != "get" else READ_ERRORS
            absent = [c for c in codes if str(c) not in spec["responses"]]
            if absent:
                missing[f"{method.upper()} {path}"] = absent
    assert not missing


def test_every_operation_in_an_organisation_names_its_permission(document):
    unnamed = [f"{method.upper()} {path}" for path, methods in document["paths"].items()
               if "{slug}" in path for method, spec in methods.items()
               if PERMISSION_KEY not in spec]
    assert not unnamed
    perms = {spec[PERMISSION_KEY] for methods in document["paths"].values()
             for spec in methods.values() if PERMISSION_KEY in spec}
    assert "member" in perms and "risks.change" in perms


def _write_ops_needing(document) -> list[tuple[Op, str]]:
    found: list[tuple[Op, str]] = []
    for op in slug_operations():
        spec = document["paths"][op.path][op.method.lower()]
        if op.method != "GET" and spec[PERMISSION_KEY] != "member":
            found.append((op, spec[PERMISSION_KEY]))
    return found


def test_a_role_without_the_permission_is_refused_before_the_body_is_read(
        document, world, api_client_for, members):
    """A viewer sending an empty or broken body gets 403, not the validation error: what is
    in the body never tells someone without access anything."""
    viewer = api_client_for(members["viewer"])
    ops = _write_ops_needing(document)
    assert len(ops) > 40
    wrong = []
    for op, perm in ops:
        if role_can("viewer", perm):
            continue
        url, _ = fill(op, slug_world=world, id_world=world)
        for body in ({}, {"version": "not a number", "unexpected": 1}):
            response = call(viewer, op, url, body if op.has_body else None)
            if response.status_code != 403:
                wrong.append((str(op), body, response.status_code, response.content[:120]))
    assert not wrong


def test_a_non_member_is_refused_before_the_body_is_read(world, api_client_for, other_org):
    """Someone outside the organisation gets 404 whatever they send."""
    from aims.testing.factories import add_member

    stranger = api_client_for(add_member(other_org, "owner", email="stranger@example.com"))
    wrong = []
    for op in slug_operations():
        if op.method == "GET":
            continue
        url, _ = fill(op, slug_world=world, id_world=world)
        response = call(stranger, op, url, {} if op.has_body else None)
        if response.status_code != 404:
            wrong.append((str(op), response.status_code, response.content[:120]))
    assert not wrong


def test_unknown_fields_are_refused_and_named(world, api_client_for):
    """A misspelt field is an error (422 naming it), never silently dropped."""
    owner = api_client_for(world.owner)
    ops = [op for op in slug_operations() if op.has_body and op.key in BODIES]
    assert len(ops) > 40
    wrong = []
    for op in ops:
        url, body = fill(op, slug_world=world, id_world=world)
        if isinstance(body, Multipart):
            continue
        with transaction.atomic():
            response = call(owner, op, url, {**body, "colour_of_the_sky": "blue"})
            transaction.set_rollback(True)
        if response.status_code != 422 or "colour_of_the_sky" not in response.content.decode():
            wrong.append((str(op), response.status_code, response.content[:160]))
    assert not wrong


def test_text_beyond_the_bound_is_refused_and_named(world, api_client_for):
    owner = api_client_for(world.owner)
    response = owner.post(f"/api/v1/orgs/{world.org.slug}/issues",
                          {"kind": "internal", "title": "Large", "description": "x" * 100_001})
    assert response.status_code == 422
    assert "description" in response.content.decode()
    assert "100000 characters" in response.content.decode()


def test_every_delete_answers_204_without_a_body(document):
    deletes = [(path, spec) for path, methods in document["paths"].items()
               for method, spec in methods.items() if method == "delete"]
    assert len(deletes) > 20
    wrong = [path for path, spec in deletes
             if "204" not in spec["responses"] or "200" in spec["responses"]]
    assert not wrong


def test_every_operation_is_listed(document):
    """The live operations the other matrices walk are the ones the document lists."""
    listed = {(m.upper(), p) for p, methods in document["paths"].items() for m in methods}
    assert {(op.method, op.path) for op in api_operations()} == listed


def _served_operations():
    for router in {r for _, r in api._routers}:
        for view in router.path_operations.values():
            yield from view.operations


def test_a_response_schema_has_one_model_whatever_the_operation():
    """Each status's schema is wrapped once for all operations (aims.core.api), not once per
    operation: building thousands of identical models made every process slow to start."""
    operations = list(_served_operations())
    assert len(operations) > 200
    wrappers: dict[object, set[int]] = defaultdict(set)
    for op in operations:
        for model in op.response_models.values():
            if model is not None:
                wrappers[model.model_fields["response"].annotation].add(id(model))
    assert len(wrappers) < 2 * len(operations)
    assert {schema: ids for schema, ids in wrappers.items() if len(ids) > 1} == {}
