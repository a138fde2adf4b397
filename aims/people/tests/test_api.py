import datetime

import pytest
from django.utils import timezone

from aims.testing.factories import make_ai_system

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _base(org):
    return f"/api/v1/orgs/{org.slug}"


def test_role_crud_with_assignments_and_competence(org, members, api_client_for, owner_ctx):
    system = make_ai_system(owner_ctx, name="Chatbot")
    c = api_client_for(members["admin"])
    r = c.post(f"{_base(org)}/aims-roles", {
        "name": "Chatbot owner", "responsibilities": "Runs the chatbot.",
        "requirements": ["A.6.2.6"], "ai_systems": [str(system.pk)]})
    assert r.status_code == 201, r.content
    role = r.json()
    assert [q["ref"] for q in role["requirements"]] == ["A.6.2.6"]
    # The same shape as a document's requirements: the catalog's id with the reference.
    assert set(role["requirements"][0]) == {"id", "ref", "title"}
    assert role["ai_systems"] == [{"id": str(system.pk), "name": "Chatbot"}]
    url = f"{_base(org)}/aims-roles/{role['id']}"
    r = c.post(f"{url}/assignments", {"member": str(members["editor"].pk)})
    assert r.status_code == 201, r.content
    assignment = r.json()
    assert assignment["current"] and assignment["role_name"] == "Chatbot owner"
    r = c.post(f"{url}/competence-requirements", {"title": "Knows prompt injection"})
    assert r.status_code == 201 and r.json()["ai_specific"] is True
    got = c.get(url).json()
    assert [h["member"] for h in got["holders"]] == [str(members["editor"].pk)]
    assert [x["title"] for x in got["competence_requirements"]] == ["Knows prompt injection"]
    r = c.patch(f"{url}/assignments/{assignment['id']}",
                {"version": 1, "until": TODAY.isoformat()})
    assert r.status_code == 200 and r.json()["until"] == TODAY.isoformat()
    r = c.patch(url, {"version": 1, "name": "Chatbot product owner"})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert c.patch(url, {"version": 1, "name": "Stale"}).status_code == 409
    listed = c.get(f"{_base(org)}/role-assignments", {"member": str(members["editor"].pk)})
    assert listed.json()["count"] == 1


def test_assignment_of_a_non_member_is_422(org, members, api_client_for, other_org):
    from aims.orgs.models import Membership

    c = api_client_for(members["owner"])
    role = c.post(f"{_base(org)}/aims-roles", {"name": "X", "responsibilities": "Y"}).json()
    outsider = Membership.objects.get(org=other_org, role="owner").user
    r = c.post(f"{_base(org)}/aims-roles/{role['id']}/assignments", {"member": str(outsider.pk)})
    assert r.status_code == 422 and "member" in r.content.decode()


def test_editor_may_record_training_but_not_roles(org, members, api):
    r = api.post(f"{_base(org)}/aims-roles", {"name": "X", "responsibilities": "Y"})
    assert r.status_code == 403
    r = api.post(f"{_base(org)}/training-records", {
        "member": str(members["editor"].pk), "topic": "EU AI Act basics", "ai_specific": True,
        "completed_on": (TODAY - datetime.timedelta(days=400)).isoformat(),
        "expires_on": (TODAY - datetime.timedelta(days=35)).isoformat()})
    assert r.status_code == 201, r.content
    record = r.json()
    assert record["status"] == "expired" and record["member_name"]
    r = api.post(f"{_base(org)}/training-records", {
        "member": str(members["viewer"].pk), "topic": "Excel", "completed_on": TODAY.isoformat()})
    assert r.status_code == 201
    listed = api.get(f"{_base(org)}/training-records", {"status": "expired"}).json()
    assert [x["topic"] for x in listed["items"]] == ["EU AI Act basics"]
    listed = api.get(f"{_base(org)}/training-records", {"ai_specific": "false"}).json()
    assert [x["topic"] for x in listed["items"]] == ["Excel"]
    listed = api.get(f"{_base(org)}/training-records",
                     {"member": str(members["viewer"].pk)}).json()
    assert listed["count"] == 1
    assert api.get(f"{_base(org)}/training-records", {"status": "stale"}).status_code == 422
    url = f"{_base(org)}/training-records/{record['id']}"
    assert api.patch(url, {"version": 1, "provider": "Law firm"}).json()["version"] == 2
    assert api.delete(url, {"version": 1}).status_code == 409
    r = api.delete(url, {"version": 2})
    assert r.status_code == 204 and r.content == b""


def test_competence_gaps_and_standard_roles(org, members, api_client_for):
    owner = api_client_for(members["owner"])
    added = owner.post(f"{_base(org)}/aims-roles/standard")
    assert added.status_code == 200 and len(added.json()) == 6
    assert owner.post(f"{_base(org)}/aims-roles/standard").json() == []
    auditor_role = next(r for r in added.json() if r["code"] == "internal_auditor")
    url = f"{_base(org)}/aims-roles/{auditor_role['id']}"
    owner.post(f"{url}/competence-requirements",
               {"title": "Can audit an AI impact assessment", "ai_specific": True})
    owner.post(f"{url}/assignments", {"member": str(members["auditor"].pk)})
    gaps = owner.get(f"{_base(org)}/competence-gaps").json()
    assert gaps["count"] == 1
    [gap] = gaps["items"]
    assert gap["member"] == str(members["auditor"].pk) and gap["role_name"] == "Internal auditor"
    assert [m["title"] for m in gap["missing"]] == ["Can audit an AI impact assessment"]
    assert gap["lapsed"] is None


def test_concern_channel_get_and_save(org, members, api_client_for):
    viewer, owner = api_client_for(members["viewer"]), api_client_for(members["owner"])
    url = f"{_base(org)}/concern-channel"
    assert viewer.get(url).status_code == 404
    body = {"version": 0, "channels": "Form on the intranet", "recipients": "Ethics officer",
            "confidentiality": "Anonymous allowed", "response_times": "Two days"}
    assert viewer.post(url, body).status_code == 403
    r = owner.post(url, body)
    assert r.status_code == 200 and r.json()["version"] == 1
    assert owner.post(url, body).status_code == 409
    r = owner.post(url, {**body, "version": 1, "response_times": "One day"})
    assert r.json()["version"] == 2 and r.json()["changed_by_name"]
    assert viewer.get(url).json()["response_times"] == "One day"


def test_role_delete_refused_while_held(org, members, api_client_for):
    c = api_client_for(members["owner"])
    role = c.post(f"{_base(org)}/aims-roles", {"name": "X", "responsibilities": "Y"}).json()
    url = f"{_base(org)}/aims-roles/{role['id']}"
    a = c.post(f"{url}/assignments", {"member": str(members["editor"].pk)}).json()
    assert c.delete(url, {"version": 1}).status_code == 422
    assert c.delete(f"{url}/assignments/{a['id']}", {"version": 1}).status_code == 204
    assert c.delete(url, {"version": 1}).status_code == 204
    assert c.get(url).status_code == 404
