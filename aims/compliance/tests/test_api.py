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
