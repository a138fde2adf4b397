import pytest

pytestmark = pytest.mark.django_db


def test_soa_list_and_patch(org, api, members):
    base = f"/api/v1/orgs/{org.slug}/soa"
    r = api.get(base)
    assert r.status_code == 200 and len(r.json()) == 38
    assert r.json()[0]["ref"] == "A.2.2" and r.json()[-1]["ref"] == "A.10.4"
    item = api.get(f"{base}/A.7.4").json()
    r = api.patch(f"{base}/A.7.4", {"version": item["version"], "applicable": False,
                                    "justification": "-"})
    assert r.status_code == 422
    assert "justification" in r.json()["errors"]
    r = api.patch(f"{base}/A.7.4", {
        "version": item["version"], "applicable": True, "inclusion_reason": "risk_treatment",
        "status": "partial", "owner": str(members["admin"].pk), "notes": "Checks in pipeline"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["applicable"], body["status"], body["owner_email"]) == (
        True, "partial", members["admin"].email)
    r = api.patch(f"{base}/A.7.4", {"version": item["version"], "status": "implemented"})
    assert r.status_code == 409 and r.json()["current"]["status"] == "partial"
    assert api.get(f"{base}?applicable=yes").json()[0]["ref"] == "A.7.4"
    assert api.patch(f"{base}/A.99.9", {"version": 1}).status_code == 404
    assert api.patch(f"{base}/A.7.4", {"version": 2, "status": "done"}).status_code == 422


def test_soa_item_id_links_evidence_and_tasks_to_the_control(org, api):
    """The id the SoA gives is the one evidence and tasks name a control by."""
    base = f"/api/v1/orgs/{org.slug}"
    listed = {i["ref"]: i["id"] for i in api.get(f"{base}/soa").json()}
    item_id = api.get(f"{base}/soa/A.6.2.6").json()["id"]
    assert listed["A.6.2.6"] == item_id
    assert len(set(listed.values())) == 38

    r = api.client.post(f"{base}/evidence", data={
        "title": "Monitoring runbook", "url": "https://wiki.example.com/runbooks/monitoring"},
        **api.headers)
    assert r.status_code == 201, r.content
    r = api.post(f"{base}/evidence/{r.json()['id']}/links",
                 {"subject_kind": "compliance_item", "subject_id": item_id})
    assert r.status_code == 201, r.content
    supporting = api.get(f"{base}/records/compliance_item/{item_id}/evidence").json()
    assert [e["title"] for e in supporting["items"]] == ["Monitoring runbook"]

    r = api.post(f"{base}/tasks", {"title": "Collect the monitoring logs",
                                   "kind": "evidence_request",
                                   "subject_kind": "compliance_item", "subject_id": item_id})
    assert r.status_code == 201, r.content
    assert (r.json()["subject_kind"], r.json()["subject_id"]) == ("compliance_item", item_id)
    assert api.get(f"{base}/tasks", {"subject_kind": "compliance_item",
                                     "subject_id": item_id}).json()["count"] == 1
