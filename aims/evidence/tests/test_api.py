import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aims.evidence.models import Blob, Evidence
from aims.orgs.models import Membership
from aims.testing.factories import ctx_for, make_ai_system

from .conftest import add

pytestmark = pytest.mark.django_db


def _base(org):
    return f"/api/v1/orgs/{org.slug}/evidence"


def _upload(api, org, name="review.csv", content=b"user,access\n", **fields):
    data = {"title": "Access review", **fields}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="text/html")
    return api.client.post(_base(org), data=data, **api.headers)


def test_create_get_patch_delete(api, org, ctx, system, members):
    r = _upload(api, org, subject_kind="ai_system", subject_id=str(system.pk),
                effective_from="2026-07-01", effective_to="2026-09-30",
                owner=str(members["admin"].pk))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["ref"] == "EV-001" and body["kind"] == "file" and body["size"] == 12
    assert len(body["sha256"]) == 64 and body["freshness"] == "current"
    assert body["content_type"] == "text/csv"  # from the name, not the upload's text/html
    assert body["links"] == [{"subject_kind": "ai_system", "subject_id": str(system.pk),
                              "label": "AI system", "title": system.name,
                              "url": f"/o/{org.slug}/ai-systems/{system.pk}/"}]
    url = f"{_base(org)}/{body['id']}"
    assert api.get(url).json()["owner_email"] == members["admin"].email
    r = api.patch(url, {"version": 1, "valid_until": "2020-01-01", "title": "Q3 access review"})
    assert r.status_code == 200 and r.json()["freshness"] == "expired"
    assert api.patch(url, {"version": 1, "title": "stale"}).status_code == 409
    assert api.delete(url, {"version": 1}).status_code == 409
    r = api.delete(url, {"version": 2})
    assert r.status_code == 204 and r.content == b""
    assert api.get(url).status_code == 404


def test_link_and_note_without_file(api, org):
    r = _upload(api, org, content=None, url="https://grafana.example.com/d/fairness")
    assert r.status_code == 201 and r.json()["kind"] == "link", r.content
    r = _upload(api, org, content=None, note="Walked through the weekly model review.")
    assert r.status_code == 201 and r.json()["kind"] == "note"
    r = _upload(api, org, content=None, kind="file")
    assert r.status_code == 422 and "file" in r.json()["errors"]


@pytest.mark.parametrize("name,stored", [
    ("../../etc/passwd", "passwd"),
    ("evil\x00.txt", "evil.txt"),
    ("x" * 1000 + ".pdf", "x" * 196 + ".pdf"),
    ('quote"d\nname.txt', "quote'dname.txt"),
    ("Prüfbericht – Q3.csv", "Prüfbericht – Q3.csv"),
])
def test_hostile_names_never_reach_a_path(api, org, name, stored):
    r = _upload(api, org, name=name, content=b"hostile " + name.encode("utf-8", "replace"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["file_name"] == stored
    blob = Blob.objects.for_org(org).get(sha256=body["sha256"])
    assert blob.name == f"evidence/{org.pk}/{body['sha256'][:2]}/{body['sha256']}"
    d = api.get(f"{_base(org)}/{body['id']}/download")
    assert d.status_code == 200
    assert d["Content-Disposition"].startswith("attachment;")
    assert "\n" not in d["Content-Disposition"] and ".." not in d["Content-Disposition"]
    assert d["X-Content-Type-Options"] == "nosniff"
    assert b"".join(d.streaming_content).startswith(b"hostile ")


def test_download_keeps_the_name_and_guesses_type_from_it(api, org, ctx):
    e = add(ctx, content=b"<script>alert(1)</script>", name="looks-like.html")
    d = api.get(f"{_base(org)}/{e.pk}/download")
    assert d["Content-Type"] == "text/html"
    assert d["Content-Disposition"] == 'attachment; filename="looks-like.html"'
    assert "sandbox" in d["Content-Security-Policy"]
    note = add(ctx, content=None, note="n")
    assert api.get(f"{_base(org)}/{note.pk}/download").status_code == 404


def test_upload_limit_by_content_length_and_while_streaming(api, org, settings):
    settings.AIMS_EVIDENCE_MAX_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = b"x" * (1024 * 1024 + 200_000)  # past the limit plus room for the fields: early
    r = _upload(api, org, content=big)
    assert r.status_code == 413  # refused from its Content-Length, before the body is read
    assert "files up to 1 MB" in r.json()["detail"]
    r = _upload(api, org, content=b"x" * (1024 * 1024 + 1))  # just past: refused while read
    assert r.status_code == 422 and "1 MB" in r.json()["errors"]["file"][0]
    assert not Evidence.objects.for_org(org).exists() and not Blob.objects.for_org(org).exists()
    assert _upload(api, org, content=b"x" * (1024 * 1024)).status_code == 201


def test_links_endpoints(api, org, ctx, system, soa_item, other_org):
    e = add(ctx)
    url = f"{_base(org)}/{e.pk}/links"
    r = api.post(url, {"subject_kind": "compliance_item", "subject_id": str(soa_item.pk)})
    assert r.status_code == 201 and r.json()["subject_kind"] == "compliance_item"
    assert api.post(url, {"subject_kind": "planet", "subject_id": str(system.pk)}).status_code == 422
    foreign = make_ai_system(ctx_for(other_org, Membership.objects.get(
        org=other_org, role="owner").user), name="Globex model")
    r = api.post(url, {"subject_kind": "ai_system", "subject_id": str(foreign.pk)})
    assert r.status_code == 422 and "subject_id" in r.json()["errors"]
    assert "Globex" not in r.content.decode()
    records = f"/api/v1/orgs/{org.slug}/records/compliance_item/{soa_item.pk}/evidence"
    assert [x["ref"] for x in api.get(records).json()["items"]] == [e.ref]
    assert api.get(f"/api/v1/orgs/{org.slug}/records/ai_system/{foreign.pk}/evidence"
                   ).status_code == 404
    r = api.delete(f"{url}/compliance_item/{soa_item.pk}")
    assert r.status_code == 204 and r.content == b""
    assert api.get(records).json()["count"] == 0
    assert api.delete(f"{url}/compliance_item/{soa_item.pk}").status_code == 422


def test_list_filters(api, org, ctx, soa_item):
    add(ctx, links=[soa_item], valid_until=datetime.date(2000, 1, 1))
    add(ctx, content=None, note="n", title="Note", effective_from=datetime.date(2026, 1, 1))
    base = _base(org)
    assert api.get(base).json()["count"] == 2
    assert [x["title"] for x in api.get(base, {"freshness": "expired"}).json()["items"]] == [
        "Access review Q3"]
    assert api.get(base, {"linked_kind": "compliance_item"}).json()["count"] == 1
    assert api.get(base, {"kind": "note"}).json()["count"] == 1
    assert api.get(base, {"covers_from": "2026-06-01"}).json()["count"] == 1
    assert api.get(base, {"sort": "title"}).json()["items"][0]["title"] == "Access review Q3"
    assert api.get(base, {"sort": "size"}).status_code == 422
    assert api.get(base, {"linked_kind": "planet"}).status_code == 422


def test_viewer_reads_but_cannot_write(api_client_for, members, org, ctx):
    e = add(ctx)
    viewer = api_client_for(members["viewer"])
    assert viewer.get(f"{_base(org)}/{e.pk}").status_code == 200
    assert viewer.get(f"{_base(org)}/{e.pk}/download").status_code == 200
    assert _upload(viewer, org).status_code == 403
    assert viewer.patch(f"{_base(org)}/{e.pk}", {"version": 1, "title": "x"}).status_code == 403


@pytest.mark.parametrize("path", [
    "/api/v1/orgs/{slug}/evidence",
    "/api/v1/orgs/{slug}/records/compliance_item/{item}/evidence",
])
def test_list_query_count_does_not_grow(path, api, org, ctx, soa_item, members,
                                        django_assert_max_num_queries):
    from aims.testing.factories import add_member

    url = path.format(slug=org.slug, item=soa_item.pk)
    counts = []
    for n in (5, 40):
        have = Evidence.objects.for_org(org).count()
        for i in range(have, n):
            owner = add_member(org, "editor", email=f"ev-owner-{i}@acme.example.com")
            add(ctx_for(org, owner), content=f"file {i}".encode(), links=[soa_item],
                owner=owner.pk, title=f"Evidence {i}")
        assert api.get(url).status_code == 200
        with django_assert_max_num_queries(6) as captured:
            r = api.get(url, {"limit": 100})
        assert r.status_code == 200 and r.json()["count"] == n
        counts.append(len(captured))
    assert counts[0] == counts[1]
