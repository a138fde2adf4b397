import pytest

from aims.activity.models import Event
from aims.inventory.models import AISystem

pytestmark = pytest.mark.django_db

BODY = {"name": "CV screening", "intended_purpose": "Ranks applications.",
        "roles": ["deployer"], "eu_risk_class": "high",
        "eu_class_override_reason": "Counsel classed it before the questionnaire existed."}


def test_crud_round_trip(org, api):
    base = f"/api/v1/orgs/{org.slug}/ai-systems"
    r = api.post(base, BODY)
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["version"] == 1
    r = api.get(base, {"eu_risk_class": "high"})
    assert r.status_code == 200 and r.json()["count"] == 1
    assert r.json()["items"][0]["name"] == "CV screening"
    r = api.patch(f"{base}/{sid}", {"version": 1, "business_unit": "People & HR"})
    assert r.status_code == 200 and r.json()["version"] == 2
    r = api.patch(f"{base}/{sid}", {"version": 1, "lifecycle_stage": "retired"})
    assert r.status_code == 409
    assert r.json()["current"]["business_unit"] == "People & HR"
    r = api.delete(f"{base}/{sid}", {"version": 2})
    assert r.status_code == 204 and r.content == b""
    assert api.get(f"{base}/{sid}").status_code == 404


def test_validation_errors_name_the_field(org, api):
    base = f"/api/v1/orgs/{org.slug}/ai-systems"
    r = api.post(base, {**BODY, "in_scope": False, "scope_justification": "N/A"})
    assert r.status_code == 422
    assert "scope_justification" in r.json()["errors"]
    r = api.post(base, {**BODY, "roles": []})
    assert r.status_code == 422 and "roles" in r.content.decode()
    assert not AISystem.objects.for_org(org).exists()
    assert not Event.objects.filter(org=org, object_type="inventory.aisystem").exists()
