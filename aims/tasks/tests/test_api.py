"""The tasks API: list and filters, create, patch, complete, answer (JSON or multipart), delete."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aims.evidence.selectors import evidence_for
from aims.tasks.services import task_complete

TODAY = datetime.date.today()
pytestmark = pytest.mark.django_db


def base(org):
    return f"/api/v1/orgs/{org.slug}"


def test_create_get_patch_delete(org, api, members, control):
    r = api.post(f"{base(org)}/tasks", {
        "title": "Quarterly access review", "kind": "review", "owner": str(members["admin"].pk),
        "due_date": "2030-03-31", "recurrence_every": 3, "recurrence_unit": "months",
        "subject_kind": "compliance_item", "subject_id": str(control.pk)})
    assert r.status_code == 201, r.content
    task = r.json()
    assert (task["ref"], task["owner_email"], task["subject_kind"]) == (
        "T-001", members["admin"].email, "compliance_item")
    url = f"{base(org)}/tasks/{task['id']}"
    assert api.get(url).json()["title"] == "Quarterly access review"
    r = api.patch(url, {"version": 1, "priority": "urgent", "recurrence_every": None,
                        "recurrence_unit": None})
    assert r.status_code == 200, r.content
    assert (r.json()["priority"], r.json()["recurrence_unit"]) == ("urgent", "")
    assert api.patch(url, {"version": 1, "title": "Stale"}).status_code == 409
    r = api.delete(url, {"version": 2})
    assert r.status_code == 204 and r.content == b""
    assert api.get(url).status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"recurrence_every": 400, "recurrence_unit": "days", "due_date": "2030-01-01"},
     "recurrence_every"),
    ({"kind": "evidence_request", "subject_kind": "compliance_item"}, "subject_id"),
    ({"kind": "chore"}, "kind"),
    ({"subject_kind": "planet", "subject_id": "00000000-0000-0000-0000-000000000001"},
     "subject_kind"),
])
def test_create_names_the_bad_field(org, api, body, field):
    r = api.post(f"{base(org)}/tasks", {"title": "T", **body})
    assert r.status_code == 422, r.content
    assert field in r.content.decode()


def test_evidence_request_owner_is_checked(org, api, members, control):
    r = api.post(f"{base(org)}/tasks", {
        "title": "Upload", "kind": "evidence_request", "owner": str(members["viewer"].pk),
        "subject_kind": "compliance_item", "subject_id": str(control.pk)})
    assert r.status_code == 422 and "owner" in r.json()["errors"]


def test_list_filters(org, api, ctx, members, make_task, control):
    editor, admin = members["editor"], members["admin"]
    late = make_task(title="Late", owner=editor.pk, due_date=TODAY - datetime.timedelta(days=1))
    make_task(title="Admin's", owner=admin.pk, subject=control, kind="evidence_request")
    done = make_task(title="Done", owner=editor.pk)
    task_complete(ctx=ctx, task_id=done.pk, version=1)

    def titles(**params):
        r = api.get(f"{base(org)}/tasks", params)
        assert r.status_code == 200, r.content
        return sorted(t["title"] for t in r.json()["items"])

    assert titles() == ["Admin's", "Done", "Late"]
    assert titles(owner="me") == ["Done", "Late"]
    assert titles(owner=str(admin.pk)) == ["Admin's"]
    assert titles(owner="none") == []
    assert titles(owner="junk") == []
    assert titles(overdue=True) == ["Late"]
    assert titles(status="active") == ["Admin's", "Late"]
    assert titles(status="done") == ["Done"]
    assert titles(kind="evidence_request") == ["Admin's"]
    assert titles(subject_kind="compliance_item", subject_id=str(control.pk)) == ["Admin's"]
    assert titles(q="lat") == ["Late"]
    assert titles(q=late.ref) == ["Late"]
    r = api.get(f"{base(org)}/me/tasks")
    assert [t["title"] for t in r.json()["items"]] == ["Late"]
    assert r.json()["items"][0]["overdue"] is True


def test_viewer_completes_own_task_but_not_others(org, members, api_client_for, make_task):
    viewer = api_client_for(members["viewer"])
    own = make_task(owner=members["viewer"].pk)
    other = make_task(owner=members["editor"].pk)
    r = viewer.post(f"{base(org)}/tasks/{own.pk}/complete", {"version": 1, "note": "Done."})
    assert r.status_code == 200 and r.json()["status"] == "done", r.content
    assert r.json()["completion_note"] == "Done."
    r = viewer.post(f"{base(org)}/tasks/{other.pk}/complete", {"version": 1})
    assert r.status_code == 403


def test_answer_as_json_note(org, api, ctx, control, evidence_request):
    r = api.post(f"{base(org)}/tasks/{evidence_request.pk}/answer",
                 {"version": 1, "note": "Seen the signed report.", "title": "Report seen"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["task"]["status"] == "done" and body["evidence_ref"].startswith("EV-")
    assert [e.title for e in evidence_for(ctx=ctx, subject=control)] == ["Report seen"]


def test_answer_as_multipart_file(org, members, ctx, control, evidence_request,
                                  api_client_for):
    client = api_client_for(members["editor"])
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 results", content_type="application/pdf")
    r = client.client.post(f"{base(org)}/tasks/{evidence_request.pk}/answer",
                           {"version": "1", "file": upload, "valid_until": "2031-01-01"},
                           **client.headers)
    assert r.status_code == 200, r.content
    (evidence,) = evidence_for(ctx=ctx, subject=control)
    assert (evidence.kind, evidence.file_name) == ("file", "report.pdf")
    assert evidence.valid_until == datetime.date(2031, 1, 1)


@pytest.mark.parametrize("body,field", [
    ({"note": "n"}, "version"),
    ({"version": 1, "kind": "scroll"}, "kind"),
    ({"version": 1, "kind": "link"}, "url"),
    ({"version": 1, "valid_until": "someday", "note": "n"}, "valid_until"),
])
def test_answer_names_the_bad_field(org, api, evidence_request, body, field):
    r = api.post(f"{base(org)}/tasks/{evidence_request.pk}/answer", body)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]


def test_answer_refuses_bodies_that_are_not_objects(org, api, evidence_request):
    url = f"{base(org)}/tasks/{evidence_request.pk}/answer"
    for raw in (b"[1]", b"null", b"{", b"[" * 50_000):
        r = api.client.post(url, data=raw, content_type="application/json", **api.headers)
        assert r.status_code == 422, raw[:10]


@pytest.mark.parametrize("raw", [b'"hello"', b"[1]", b"null", b"42"])
def test_create_refuses_bodies_that_are_not_objects(org, api, raw):
    r = api.client.post(f"{base(org)}/tasks", data=raw, content_type="application/json",
                        **api.headers)
    assert r.status_code in (400, 422), r.content
