"""Integration tokens can push evidence and do nothing else: every other operation of the live
API refuses one (401, or 403/404 as the rest of the API answers), and the push route holds it
to its organisation and its limits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from aims.integrations.services import integration_token_create
from aims.testing.factories import ctx_for
from aims.testing.tenancy import API, Multipart, api_operations, call, fill, org_state

PUSH = ("POST", "/orgs/{slug}/evidence/push")


class TokenClient:
    """A client presenting an integration token, shaped as `call` expects (client, headers)."""

    def __init__(self, raw: str) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def _send(self, method, path, data=None):
        fn = getattr(self.client, method)
        if data is not None:
            return fn(path, data=data, content_type="application/json", **self.headers)
        return fn(path, **self.headers)

    def get(self, path, data=None):
        return self._send("get", path, data)

    def post(self, path, data=None):
        return self._send("post", path, data)

    def patch(self, path, data=None):
        return self._send("patch", path, data)

    def put(self, path, data=None):
        return self._send("put", path, data)


def _evidence_push(client, world, **fields):
    body = Multipart({"title": "Pipeline report", "effective_from": "2026-01-01",
                      "effective_to": "2026-03-31",
                      "file": SimpleUploadedFile("report.json", b'{"auc": 0.8}'), **fields})
    op = next(op for op in api_operations() if op.key == PUSH)
    return call(client, op, f"{API}/orgs/{world.org.slug}/evidence/push", body)


@pytest.mark.django_db
def test_an_integration_token_is_refused_by_every_other_operation(world_a, world_b):
    client = TokenClient(world_a.extra["integration_secret"])
    ops = [op for op in api_operations() if op.key != PUSH]
    assert len(ops) > 100  # the whole API, not a sample
    failures = []
    for op in ops:
        for id_world in (world_a, world_b):
            url, body = fill(op, slug_world=id_world, id_world=id_world)
            with transaction.atomic():
                before = org_state(world_a.org), org_state(world_b.org)
                response = call(client, op, url, body)
                after = org_state(world_a.org), org_state(world_b.org)
                transaction.set_rollback(True)
            if response.status_code not in (401, 403) or after != before:
                failures.append(f"{op} in {id_world.org.slug}: {response.status_code}, "
                                f"changed={after != before}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_it_pushes_only_into_its_organisation_and_limits(world_a, world_b):
    client = TokenClient(world_a.extra["integration_secret"])
    with transaction.atomic():
        r = _evidence_push(client, world_a, controls="A.6.2.4", systems=str(world_a.system.pk))
        assert r.status_code == 201, r.content
        transaction.set_rollback(True)
    before_b = org_state(world_b.org)
    # Another organisation's push route: as a non-member, 404; its system by id: not found.
    assert _evidence_push(client, world_b, controls="A.6.2.4").status_code == 404
    r = _evidence_push(client, world_a, systems=str(world_b.system.pk))
    assert r.status_code == 422 and "systems" in r.json()["errors"]
    assert org_state(world_b.org) == before_b

    with transaction.atomic():
        _, raw = integration_token_create(
            ctx=ctx_for(world_a.org, world_a.owner), name="Limited pipeline",
            controls=["A.6.2.4"], systems=[str(world_a.system.pk)])
    limited = TokenClient(raw)
    before = org_state(world_a.org)
    for fields in ({"controls": "A.7.4"}, {"controls": "A.6.2.4,A.7.4"},
                   {"systems": str(world_b.system.pk)}):
        r = _evidence_push(limited, world_a, **fields)
        assert r.status_code in (403, 422), (fields, r.content)
    assert _evidence_push(limited, world_a, controls="A.7.4").status_code == 403
    assert org_state(world_a.org) == before
    r = _evidence_push(limited, world_a, controls="A.6.2.4", systems=str(world_a.system.pk))
    assert r.status_code == 201, r.content
