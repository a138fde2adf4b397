"""The integration routes over HTTP: tokens (owners and admins) and the push route."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aims.activity.models import Event
from aims.evidence.models import Blob, Evidence

from .conftest import issue

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _push(org, raw, **fields):
    data = {"title": "Eval report", "effective_from": "2026-01-01",
            "effective_to": "2026-03-31", **fields}
    data = {k: v for k, v in data.items() if v is not None}
    return Client().post(f"/api/v1/orgs/{org.slug}/evidence/push", data=data,
                         HTTP_AUTHORIZATION=f"Bearer {raw}")


def _file(content=b"<html>auc 0.9</html>", name="eval.html"):
    return SimpleUploadedFile(name, content, content_type="text/html")


def test_tokens_create_list_revoke(api_client_for, org, members, system):
    admin = api_client_for(members["admin"])
    base = f"/api/v1/orgs/{org.slug}/integration-tokens"
    r = admin.post(base, {"name": "claims CI", "expires_in_days": 90,
                          "controls": ["A.6.2.4"], "systems": [system.name]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["token"].startswith("aimsi_") and body["state"] == "active"
    assert body["systems"] == [str(system.pk)] and body["controls"] == ["A.6.2.4"]
    assert body["created_by_email"] == members["admin"].email
    listed = admin.get(base).json()
    assert [t["id"] for t in listed] == [body["id"]] and "token" not in listed[0]
    assert api_client_for(members["editor"]).get(base).status_code == 403
    assert api_client_for(members["editor"]).post(base, {"name": "x"}).status_code == 403
    r = admin.post(base, {"name": "x", "controls": ["Z.1"]})
    assert r.status_code == 422 and "controls" in r.json()["errors"]
    assert admin.delete(f"{base}/{body['id']}").status_code == 204
    assert admin.get(base).json()[0]["state"] == "revoked"
    assert _push(org, body["token"], controls="A.6.2.4", file=_file()).status_code == 401


def test_push_a_file_onto_controls_and_systems(admin_ctx, org, system):
    _, raw = issue(admin_ctx)
    r = _push(org, raw, controls="A.6.2.4, A.6.2.7", systems=str(system.pk), file=_file(),
              valid_until="2027-01-01", description="From the nightly pipeline.")
    assert r.status_code == 201, r.content
    (pushed,) = r.json()["evidence"]
    assert pushed["ref"] == "EV-001" and len(pushed["sha256"]) == 64
    evidence = Evidence.objects.for_org(org).get()
    assert str(evidence.valid_until) == "2027-01-01"
    event = Event.objects.get(org=org, object_id=str(evidence.pk))
    assert event.actor_label.startswith("integration token “claims-model CI”")
    assert len(event.changes["supports"]["after"]) == 3


def test_push_a_link_and_repeated_fields(admin_ctx, org, system, other_system):
    _, raw = issue(admin_ctx)
    r = _push(org, raw, url="https://ci.example.com/runs/42",
              systems=[str(system.pk), other_system.name])
    assert r.status_code == 201, r.content
    assert r.json()["evidence"][0]["sha256"] is None


@pytest.mark.parametrize("fields,field,status", [
    ({"controls": "A.6.2.4"}, "file", 422),
    ({"controls": "A.6.2.4", "url": "ftp//nope"}, "url", 422),
    ({"controls": "A.6.2.4", "effective_to": None, "url": "https://x.example.com"},
     "effective_to", 422),
    ({"controls": "A.6.2.4", "effective_from": "2026-13-01"}, "effective_from", 422),
    ({"controls": "A.6.2.4", "title": ""}, "title", 422),
    ({"url": "https://x.example.com"}, "controls", 422),
    ({"controls": "A.99.9", "url": "https://x.example.com"}, "controls", 422),
])
def test_bad_pushes_get_422_naming_the_field(admin_ctx, org, fields, field, status):
    _, raw = issue(admin_ctx)
    r = _push(org, raw, **fields)
    assert r.status_code == status, r.content
    assert field in str(r.json()), r.json()
    assert not Evidence.objects.for_org(org).exists()


def test_a_limited_token_gets_403_outside_its_limits(admin_ctx, org, system, other_system):
    _, raw = issue(admin_ctx, controls=["A.6.2.4"], systems=[str(system.pk)])
    assert _push(org, raw, controls="A.7.4", file=_file()).status_code == 403
    r = _push(org, raw, controls="A.6.2.4", systems=str(other_system.pk), file=_file())
    assert r.status_code == 403 and "limited" in r.json()["detail"]
    assert not Evidence.objects.for_org(org).exists() and not Blob.objects.for_org(org).exists()
    assert _push(org, raw, controls="A.6.2.4", file=_file()).status_code == 201


def test_another_organisation_is_404_and_bad_secrets_401(admin_ctx, org, other_org):
    _, raw = issue(admin_ctx)
    assert _push(other_org, raw, controls="A.6.2.4", file=_file()).status_code == 404
    assert _push(org, raw[:-2], controls="A.6.2.4", file=_file()).status_code == 401
    assert _push(org, "", controls="A.6.2.4", file=_file()).status_code == 401


def test_members_push_with_their_own_token(api_client_for, org, members, system):
    for role, status in (("viewer", 403), ("auditor", 403), ("editor", 201)):
        client = api_client_for(members[role])
        r = client.client.post(f"/api/v1/orgs/{org.slug}/evidence/push", data={
            "title": "x", "effective_from": "2026-01-01", "effective_to": "2026-01-31",
            "systems": str(system.pk), "file": _file()}, **client.headers)
        assert r.status_code == status, (role, r.content)


def test_push_a_model_card(admin_ctx, org, system):
    _, raw = issue(admin_ctx)
    card = SimpleUploadedFile("README.md", (DATA / "empty_card.md").read_bytes())
    r = _push(org, raw, title=None, model_card="true", systems=str(system.pk), file=card)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["model"] == "tiny-model" and len(body["evidence"]) == 1
    assert "Limitations: no section says it." in body["gaps"]
    card = SimpleUploadedFile("README.md", b"---\n: : :\n---\n")
    r = _push(org, raw, model_card="true", systems=str(system.pk), file=card)
    assert r.status_code == 422 and "file" in r.json()["errors"]
    r = _push(org, raw, model_card="true", file=_file())
    assert r.status_code == 422 and "systems" in r.json()["errors"]
    assert Evidence.objects.for_org(org).count() == 1
