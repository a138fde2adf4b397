import xml.etree.ElementTree as ET

import pytest

from aims.activity.models import Event
from aims.objectives.models import Measurement, Objective
from aims.testing.factories import add_member, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db

BODY = {"title": "Declines reviewed by a person", "policy_topic": "human_oversight",
        "metric": "Share of automated declines reviewed before the letter is sent.",
        "target": "100", "unit": "%", "direction": "higher", "baseline": "82",
        "frequency": "monthly", "due_date": "2030-06-30"}


def _base(org) -> str:
    return f"/api/v1/orgs/{org.slug}/objectives"


def test_crud_round_trip_with_measurements(org, ctx, api):
    system = make_ai_system(ctx, name="Credit engine")
    base = _base(org)
    r = api.post(base, {**BODY, "ai_systems": [str(system.pk)], "owner": str(ctx.user.pk)})
    assert r.status_code == 201, r.content
    body = r.json()
    oid = body["id"]
    assert body["target"] == "100.0000" and body["ai_systems"] == [str(system.pk)]
    assert body["track_status"] == "no_data" and body["latest_value"] is None
    assert body["owner_email"] == ctx.user.email

    r = api.post(f"{base}/{oid}/measurements", {"measured_on": "2025-05-31", "value": "96.8"})
    assert r.status_code == 201, r.content
    assert r.json()["value"] == "96.8000" and r.json()["meets_target"] is False
    mid = r.json()["id"]
    r = api.post(f"{base}/{oid}/measurements", {"measured_on": "2025-06-30", "value": 100})
    assert r.status_code == 201 and r.json()["meets_target"] is True
    r = api.post(f"{base}/{oid}/measurements", {"measured_on": "2025-06-30", "value": 99})
    assert r.status_code == 422 and "measured_on" in r.json()["errors"]

    r = api.get(f"{base}/{oid}")
    assert r.status_code == 200
    assert r.json()["latest_value"] == "100.0000" and r.json()["latest_on"] == "2025-06-30"
    assert r.json()["track_status"] == "on_track" and r.json()["progress"] == 100
    assert r.json()["measurement_overdue"] is True  # June 2025 is long gone
    assert r.json()["next_measurement_due"] == "2025-08-14"

    r = api.get(f"{base}/{oid}/measurements")
    assert r.status_code == 200 and r.json()["count"] == 2
    assert [m["measured_on"] for m in r.json()["items"]] == ["2025-05-31", "2025-06-30"]

    r = api.patch(f"{base}/{oid}", {"version": 1, "target": "99.5", "ai_systems": []})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert r.json()["ai_systems"] == [] and r.json()["target"] == "99.5000"
    r = api.patch(f"{base}/{oid}", {"version": 1, "unit": "percent"})
    assert r.status_code == 409 and r.json()["current"]["target"] == "99.5000"

    r = api.delete(f"{base}/{oid}/measurements/{mid}", {"version": 2})
    assert r.status_code == 409
    r = api.delete(f"{base}/{oid}/measurements/{mid}", {"version": 1})
    assert r.status_code == 204 and r.content == b""
    r = api.delete(f"{base}/{oid}", {"version": 2})
    assert r.status_code == 204
    assert api.get(f"{base}/{oid}").status_code == 404
    assert not Measurement.objects.for_org(org).exists()


def test_list_filters_and_track_status(org, ctx, api):
    base = _base(org)
    on = api.post(base, BODY).json()["id"]
    api.post(base, {**BODY, "title": "Nothing measured yet"})
    api.post(f"{base}/{on}/measurements", {"measured_on": "2025-06-30", "value": "100"})
    r = api.get(base, {"track": "on_track"})
    assert r.status_code == 200 and [o["id"] for o in r.json()["items"]] == [on]
    r = api.get(base, {"track": "no_data"})
    assert [o["title"] for o in r.json()["items"]] == ["Nothing measured yet"]
    r = api.get(base, {"q": "nothing"})
    assert r.json()["count"] == 1
    assert api.get(base, {"track": "sideways"}).status_code == 422
    assert api.get(base, {"owner": "not-a-uuid"}).status_code == 422
    assert api.get(base, {"owner": str(ctx.user.pk)}).json()["count"] == 0


def test_chart_is_an_svg_image(org, api):
    base = _base(org)
    oid = api.post(base, {**BODY, "title": "Gap <between> & groups"}).json()["id"]
    api.post(f"{base}/{oid}/measurements", {"measured_on": "2025-06-30", "value": "97"})
    r = api.get(f"{base}/{oid}/chart.svg")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("image/svg+xml")
    assert "default-src 'none'" in r["Content-Security-Policy"]
    root = ET.fromstring(r.content)
    assert root.get("role") == "img"
    assert "Gap <between> & groups" in root.find("{http://www.w3.org/2000/svg}title").text
    assert api.get(f"{base}/00000000-0000-0000-0000-000000000000/chart.svg").status_code == 404


def test_validation_errors_name_the_field_and_save_nothing(org, api):
    base = _base(org)
    cases = [({"target": "lots"}, "target"), ({"policy_topic": "other"}, "policy_reference"),
             ({"target": "0.00001"}, "target"), ({"title": ""}, "title"),
             ({"ai_systems": ["00000000-0000-0000-0000-000000000000"]}, "ai_systems")]
    for change, field in cases:
        r = api.post(base, {**BODY, **change})
        assert r.status_code == 422, (change, r.content)
        assert field in r.content.decode()
    assert not Objective.objects.for_org(org).exists()
    assert not Event.objects.filter(org=org, object_type="objectives.objective").exists()


def test_people_and_systems_from_another_org_are_refused(org, other_org, api):
    outsider = add_member(other_org, "editor")
    foreign = make_ai_system(ctx_for(other_org, outsider), name="Globex secret model")
    r = api.post(_base(org), {**BODY, "owner": str(outsider.pk)})
    assert r.status_code == 422 and "owner" in r.json()["errors"]
    r = api.post(_base(org), {**BODY, "ai_systems": [str(foreign.pk)]})
    assert r.status_code == 422 and "ai_systems" in r.json()["errors"]
    assert "Globex secret model" not in r.content.decode()


@pytest.mark.parametrize("role,status", [("viewer", 403), ("auditor", 403), ("editor", 201),
                                         ("admin", 201), ("owner", 201)])
def test_who_may_write(org, members, api_client_for, role, status):
    client = api_client_for(members[role])
    r = client.post(_base(org), BODY)
    assert r.status_code == status
    assert client.get(_base(org)).status_code == 200
