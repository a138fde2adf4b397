import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aims.documents import services
from aims.documents.tests.conftest import approve, new_version, submit

pytestmark = pytest.mark.django_db


def _base(org):
    return f"/api/v1/orgs/{org.slug}/documents"


def test_full_workflow_over_the_api(org, members, api, api_client_for):
    base = _base(org)
    r = api.post(base, {"title": "AI policy", "kind": "ai_policy", "template": "ai_policy",
                        "owner": str(members["editor"].pk)})
    assert r.status_code == 201, r.content
    doc = r.json()
    assert (doc["ref"], doc["title"], doc["kind"]) == ("DOC-001", "AI policy", "ai_policy")
    assert [x["ref"] for x in doc["requirements"]] == ["5.2", "A.2.2"]
    assert (doc["open_number"], doc["open_status"], doc["approved_number"]) == (1, "draft", None)
    item = f"{base}/{doc['id']}"
    r = api.get(f"{item}/versions")
    assert r.status_code == 200 and r.json()["count"] == 1
    v1 = r.json()["items"][0]
    vurl = f"{item}/versions/{v1['id']}"
    r = api.patch(vurl, {"version": v1["version"], "content": "# AI policy\n\nFirst text."})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = api.post(f"{vurl}/submit", {"version": 2})
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    # The editor wrote it, and editors cannot approve anyway.
    r = api.post(f"{vurl}/approve", {"version": 3})
    assert r.status_code == 403 and "Approving documents needs the role" in r.json()["detail"]
    admin = api_client_for(members["admin"])
    r = admin.post(f"{vurl}/approve", {"version": 3, "comment": "Agreed at the board."})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "approved" and body["approved_by"] == str(members["admin"].pk)
    assert body["effective_from"] == timezone.localdate().isoformat()
    r = api.patch(vurl, {"version": body["version"], "content": "Sneaky edit"})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    # A new version copies the text in force; the diff shows what it changes.
    assert api.post(f"{item}/versions", {}).status_code == 422
    r = api.post(f"{item}/versions", {"change_summary": "Adds suppliers."})
    assert r.status_code == 201 and r.json()["number"] == 2
    v2 = r.json()
    assert v2["content"] == "# AI policy\n\nFirst text."
    r = api.patch(f"{item}/versions/{v2['id']}",
                  {"version": v2["version"], "content": "# AI policy\n\nSecond text."})
    assert r.status_code == 200
    r = api.get(f"{item}/diff")
    assert r.status_code == 200
    d = r.json()
    assert (d["old"], d["new"], d["changed"]) == (1, 2, True)
    assert "-First text." in d["diff"] and "+Second text." in d["diff"]
    r = api.get(f"{item}/in-force")
    assert r.status_code == 200 and r.json()["number"] == 1
    r = api.get(f"{item}/in-force", {"on": "2001-01-01"})
    assert r.status_code == 404 and "2001-01-01" in r.json()["detail"]
    r = api.get(f"{item}/in-force", {"on": "not-a-date"})
    assert r.status_code == 422
    r = api.get(item)
    assert (r.json()["approved_number"], r.json()["open_number"]) == (1, 2)
    assert r.json()["next_review_date"] is not None
    # Once approved, the document stays.
    r = api.delete(item, {"version": r.json()["version"]})
    assert r.status_code == 422


def test_return_and_delete(org, members, api, api_client_for):
    base = _base(org)
    doc = api.post(base, {"title": "Data procedure", "kind": "procedure", "content": "Text"}).json()
    item = f"{base}/{doc['id']}"
    v = api.get(f"{item}/versions").json()["items"][0]
    vurl = f"{item}/versions/{v['id']}"
    api.post(f"{vurl}/submit", {"version": v["version"]})
    admin = api_client_for(members["admin"])
    r = admin.post(f"{vurl}/return", {"version": 2, "comment": "Name the data steward."})
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert r.json()["review_comment"] == "Name the data steward."
    r = api.delete(item, {"version": doc["version"]})
    assert r.status_code == 204 and r.content == b""
    assert api.get(item).status_code == 404


def test_list_filters_and_validation(org, ctx, admin_ctx, api, document):
    other = services.document_create(ctx=ctx, data={"title": "Lifecycle", "kind": "procedure"})
    approve(ctx, admin_ctx, document)
    base = _base(org)
    r = api.get(base, {"status": "approved"})
    assert [d["ref"] for d in r.json()["items"]] == [document.ref]
    r = api.get(base, {"status": "draft", "kind": "procedure"})
    assert [d["ref"] for d in r.json()["items"]] == [other.ref]
    assert api.get(base, {"status": "bogus"}).status_code == 422
    r = api.post(base, {"title": "X", "kind": "record", "requirements": ["Z.9"]})
    assert r.status_code == 422 and "requirements" in r.json()["errors"]
    r = api.patch(f"{base}/{document.pk}", {"title": "No version"})
    assert r.status_code == 422


def test_pdf_names_the_approval(org, members, ctx, admin_ctx, api, document):
    approve(ctx, admin_ctx, document)
    r = api.get(f"{_base(org)}/{document.pk}/pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="acme-doc-001-ai-policy-v1.pdf"'
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
                    .split())
    for expected in ("DOC-001", "AI policy", "Version 1", "Approved",
                     f"{members['admin'].display_name} on {timezone.localdate():%Y-%m-%d}",
                     f"Effective date {timezone.localdate():%Y-%m-%d}",
                     "People stay in charge."):
        assert expected in text, expected
    new_version(ctx, document, "# Draft two")
    r = api.get(f"{_base(org)}/{document.pk}/pdf", {"number": 2})
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "not in force" in " ".join(text.split())
    assert api.get(f"{_base(org)}/{document.pk}/pdf", {"number": 9}).status_code == 422


def test_file_download(org, ctx, api, document):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aims.documents.tests.conftest import draft_of

    v = draft_of(document)
    url = f"{_base(org)}/{document.pk}/versions/{v.pk}/file"
    assert api.get(url).status_code == 404
    services.document_version_update(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                     version=v.version, data={"content": ""},
                                     upload=SimpleUploadedFile("policy.pdf", b"%PDF-1 bytes"))
    r = api.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1 bytes"
    assert "policy.pdf" in r["Content-Disposition"]


def test_list_query_count_is_bounded(org, ctx, api, django_assert_max_num_queries):
    counts = []
    for n in (5, 40):
        while _count(ctx) < n:
            doc = services.document_create(ctx=ctx, data={"title": f"Doc {_count(ctx)}",
                                                          "content": "x",
                                                          "owner": ctx.user.pk})
            if _count(ctx) % 3 == 0:
                submit(ctx, doc)
        api.get(_base(org))
        with django_assert_max_num_queries(6) as captured:
            r = api.get(_base(org), {"limit": 100})
        assert r.status_code == 200 and r.json()["count"] == n
        counts.append(len(captured))
    assert counts[0] == counts[1]


def _count(ctx):
    from aims.documents.models import Document

    return Document.objects.for_org(ctx.org).count()


def test_dates_are_iso(org, api, document):
    r = api.get(f"{_base(org)}/{document.pk}/versions")
    assert datetime.datetime.fromisoformat(r.json()["items"][0]["created_at"])


@pytest.mark.parametrize("raw", [b"[1, 2, 3]", b"null", b'"hello"', b"42"])
def test_bodies_that_are_not_objects_are_refused(org, api, raw):
    r = api.client.post(_base(org), data=raw, content_type="application/json", **api.headers)
    # The body parser refuses anything but a JSON object: a malformed request, nothing saved.
    assert r.status_code == 400
    assert api.get(_base(org)).json()["count"] == 0
