import pytest

from aims.suppliers.tests.conftest import SUPPLIER, all_answers
from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db


def _base(org):
    return f"/api/v1/orgs/{org.slug}/suppliers"


def test_crud_and_filters(org, ctx, api, members):
    system = make_ai_system(ctx, name="Chatbot")
    r = api.post(_base(org), {**SUPPLIER, "ai_systems": [str(system.pk)],
                              "owner": str(members["editor"].pk)})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["ai_systems"] == [{"id": str(system.pk), "name": "Chatbot"}]
    assert body["review_state"] == "never" and body["overdue"] is False
    assert body["rating"] == "" and body["owner_email"] == members["editor"].email
    sid = body["id"]
    r = api.post(_base(org), {"name": "Broker", "kind": "customer"})
    assert r.status_code == 201
    assert api.get(_base(org), {"kind": "customer"}).json()["count"] == 1
    assert api.get(_base(org), {"supplies": "api"}).json()["count"] == 1
    assert api.get(_base(org), {"ai_system": str(system.pk)}).json()["count"] == 1
    assert api.get(_base(org), {"rating": "none"}).json()["count"] == 2
    assert api.get(_base(org), {"overdue": "true"}).json()["count"] == 0
    assert api.get(_base(org), {"review": "never"}).json()["count"] == 2
    assert api.get(_base(org), {"rating": "awful"}).status_code == 422
    r = api.patch(f"{_base(org)}/{sid}", {"version": 1, "criticality": "low"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert api.patch(f"{_base(org)}/{sid}", {"version": 1, "name": "x"}).status_code == 409
    r = api.post(_base(org), {**SUPPLIER, "supplies": []})
    assert r.status_code == 422
    assert api.delete(f"{_base(org)}/{sid}", {"version": 2}).status_code == 204
    assert api.get(f"{_base(org)}/{sid}").status_code == 404


def test_checklist_answers_and_review(org, api):
    sid = api.post(_base(org), SUPPLIER).json()["id"]
    checklist = api.get(f"{_base(org)}/{sid}/due-diligence").json()
    assert len(checklist) == 11 and {c["version"] for c in checklist} == {0}
    assert checklist[0]["item"] == "lineage" and checklist[0]["status"] == ""
    url = f"{_base(org)}/{sid}/due-diligence/lineage"
    r = api.patch(url, {"version": 0, "status": "concern", "notes": "No release notes."})
    assert r.status_code == 200 and r.json()["version"] == 1
    assert api.patch(url, {"version": 0, "notes": "again"}).status_code == 409
    assert api.patch(f"{_base(org)}/{sid}/due-diligence/bogus",
                     {"version": 0, "status": "satisfactory"}).status_code == 404
    assert api.get(_base(org)).json()["items"][0]["concerns"] == 1

    reviews = f"{_base(org)}/{sid}/reviews"
    r = api.post(reviews, {"version": 1, "rating": "low", "summary": "Early."})
    assert r.status_code == 422 and "Model lineage" not in r.content.decode()
    answers = [a for a in all_answers() if a["item"] != "lineage"]
    r = api.post(reviews, {"version": 1, "rating": "medium", "summary": "One concern.",
                           "reviewed_on": "2025-02-10", "answers": answers})
    assert r.status_code == 201, r.content
    review = r.json()
    assert review["next_review_date"] == "2026-02-10" and len(review["answers"]) == 11
    party = api.get(f"{_base(org)}/{sid}").json()
    assert party["rating"] == "medium" and party["last_review_date"] == "2025-02-10"
    assert party["version"] == 2
    listed = api.get(reviews).json()
    assert listed["count"] == 1 and listed["items"][0]["reviewer_email"]


def test_responsibilities(org, api):
    sid = api.post(_base(org), SUPPLIER).json()["id"]
    url = f"{_base(org)}/{sid}/responsibilities"
    r = api.post(url, {"topic": "monitoring", "activity": "Drift report", "responsible": "us"})
    assert r.status_code == 201
    rid = r.json()["id"]
    assert api.post(url, {"topic": "monitoring", "responsible": "customer"}).status_code == 422
    assert api.get(url).json()["count"] == 1
    r = api.patch(f"{url}/{rid}", {"version": 1, "responsible": "supplier"})
    assert r.status_code == 200 and r.json()["responsible"] == "supplier"
    assert api.delete(f"{url}/{rid}", {"version": 2}).status_code == 204
    assert api.get(url).json()["count"] == 0


def test_viewers_read_but_cannot_write(org, members, api, api_client_for):
    sid = api.post(_base(org), SUPPLIER).json()["id"]
    viewer = api_client_for(members["viewer"])
    assert viewer.get(f"{_base(org)}/{sid}/due-diligence").status_code == 200
    assert viewer.patch(f"{_base(org)}/{sid}/due-diligence/lineage",
                        {"version": 0, "status": "satisfactory"}).status_code == 403
    assert viewer.post(_base(org), {**SUPPLIER, "name": "Other"}).status_code == 403
