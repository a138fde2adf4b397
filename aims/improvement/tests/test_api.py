from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aims.improvement.tests.conftest import incident_data

pytestmark = pytest.mark.django_db


def base(org) -> str:
    return f"/api/v1/orgs/{org.slug}"


def _iso(dt: datetime.datetime) -> str:
    return dt.isoformat()


def test_nonconformity_lifecycle_over_the_api(org, members, api, api_client_for):
    auditor = api_client_for(members["auditor"])
    url = base(org) + "/nonconformities"
    r = auditor.post(url, {"title": "No bias test before release", "source": "audit_finding",
                           "requirement": "A.6.2.4", "severity": "major",
                           "description": "Release 4.2 shipped without the bias test."})
    assert r.status_code == 201, r.content
    nc = r.json()
    assert (nc["ref"], nc["status"], nc["requirement"]) == ("NC-001", "open", "A.6.2.4")
    nc_url = f"{url}/{nc['id']}"

    r = api.patch(nc_url, {"version": nc["version"], "rca_method": "five_whys",
                           "whys": ["Test skipped", "Gate not blocking"],
                           "root_cause": "The release gate only warned."})
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    # The auditor may not plan actions; the editor may.
    action = {"title": "Make the gate blocking", "owner": str(members["editor"].pk),
              "due_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()}
    assert auditor.post(f"{nc_url}/actions", action).status_code == 403
    r = api.post(f"{nc_url}/actions", action)
    assert r.status_code == 201, r.content
    task = r.json()
    assert api.get(f"{nc_url}").json()["status"] == "action_planned"
    # Closing now names everything missing.
    r = auditor.post(f"{nc_url}/close", {"version": version})
    assert r.status_code == 422
    assert len(r.json()["errors"]["__all__"]) == 2
    r = api.post(f"{nc_url}/actions/{task['id']}/complete",
                 {"version": task["version"], "note": "Gate blocks since 4.3."})
    assert r.status_code == 200 and r.json()["status"] == "done"
    listed = api.get(f"{nc_url}/actions").json()
    assert listed["count"] == 1 and listed["items"][0]["completion_note"] == "Gate blocks since 4.3."
    assert api.post(f"{nc_url}/verify", {"version": version, "result": "effective"}
                    ).status_code == 403
    r = auditor.post(f"{nc_url}/verify", {"version": version, "result": "effective",
                                          "notes": "Releases 4.3 and 4.4 ran the test."})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["verification"]["result"] == "effective" and body["status"] == "verifying"
    r = auditor.post(f"{nc_url}/close", {"version": body["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "closed" and r.json()["closed_by_email"] == members["auditor"].email
    assert api.get(url, {"status": "closed"}).json()["count"] == 1
    assert api.get(url, {"status": "open"}).json()["count"] == 0


def test_incident_api_and_raise_nonconformity(org, members, api, api_client_for):
    url = base(org) + "/incidents"
    now = timezone.now()
    data = incident_data(reporting_needed=True, report_to="Regulator",
                         report_deadline=now - datetime.timedelta(hours=2))
    body = {k: _iso(v) if isinstance(v, datetime.datetime) else v for k, v in data.items()}
    r = api.post(url, body)
    assert r.status_code == 201, r.content
    incident = r.json()
    assert incident["ref"] == "INC-001" and incident["reporting_overdue"] is True
    assert api.get(url, {"reporting_overdue": "true"}).json()["count"] == 1
    bad = {**body, "detected_at": _iso(now - datetime.timedelta(days=10))}
    r = api.post(url, bad)
    assert r.status_code == 422 and "detected_at" in r.json()["errors"]
    assert api_client_for(members["viewer"]).post(url, body).status_code == 403
    auditor = api_client_for(members["auditor"])
    raise_nc = f"{url}/{incident['id']}/nonconformity"
    # No body at all is refused (as is any body but an object); an empty object takes
    # everything from the incident.
    r = auditor.client.post(raise_nc, data="", content_type="application/json",
                            **auditor.headers)
    assert r.status_code == 422
    r = auditor.post(raise_nc, {})
    assert r.status_code == 201, r.content
    assert r.json()["source"] == "incident" and r.json()["origin_id"] == incident["id"]
    assert api.get(f"{url}/{incident['id']}").json()["nonconformity_ref"] == "NC-001"
    r = api.patch(f"{url}/{incident['id']}", {"version": 2, "reported_at": _iso(now),
                                              "report_reference": "REG-77"})
    assert r.status_code == 200, r.content
    assert r.json()["reporting_overdue"] is False


def test_improvements_api(org, members, api, api_client_for):
    url = base(org) + "/improvements"
    r = api_client_for(members["auditor"]).post(url, {"title": "Automate drift alerts",
                                                      "source": "audit"})
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["ref"] == "IMP-001" and item["status"] == "proposed"
    assert api_client_for(members["auditor"]).patch(
        f"{url}/{item['id']}", {"version": 1, "status": "accepted"}).status_code == 403
    r = api.patch(f"{url}/{item['id']}", {"version": 1, "status": "accepted"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert api.get(url, {"status": "accepted"}).json()["count"] == 1
    assert api.delete(f"{url}/{item['id']}", {"version": 2}).status_code == 204


def test_export_files_open(org, api, builder):
    nc = builder.ready(requirement="9.2", description="=HYPERLINK(\"x\")")
    builder.raise_(title="Second")
    r = api.get(base(org) + "/nonconformities/export", {"format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "Ref" and "Corrective actions" in header and "Days open" in header
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_ref) == {"NC-001", "NC-002"}
    first = by_ref[nc.ref]
    assert first["Requirement"] == "9.2" and first["Effectiveness"] == "Effective"
    assert first["Status"] == "Verifying effectiveness"
    assert first["Description"].startswith("'=")  # not run as a formula
    assert "done" in first["Corrective actions"]
    r = api.get(base(org) + "/nonconformities/export", {"format": "csv", "q": "Second"})
    reader = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["Ref"] for row in reader] == ["NC-002"]
    assert reader[0]["Age"] == "0–30 days"


@pytest.mark.parametrize("path,grow", [
    ("/nonconformities", "nc"), ("/incidents", "incident"), ("/improvements", "improvement"),
    ("/nonconformities/export", "nc"),
])
def test_list_queries_do_not_grow(org, members, api, builder, ctx, django_assert_max_num_queries,
                                  path, grow):
    from aims.improvement import services
    from aims.testing.factories import add_member, make_ai_system

    def add(n):
        for i in range(n):
            owner = add_member(org, "editor", email=f"q{grow}{add.count}@{org.slug}.example.com")
            add.count += 1
            if grow == "nc":
                nc = builder.raise_(owner=owner.pk, requirement="9.2")
                builder.action(nc)
            elif grow == "incident":
                system = make_ai_system(ctx, name=f"QC system {add.count}")
                services.incident_create(ctx=ctx, data=incident_data(
                    owner=owner.pk, ai_systems=[system.pk]))
            else:
                services.improvement_create(ctx=ctx, data={"title": f"Idea {i}",
                                                           "owner": owner.pk})
    add.count = 0
    url = base(org) + path
    add(5)
    with django_assert_max_num_queries(12):
        assert api.get(url).status_code == 200
    add(35)
    with django_assert_max_num_queries(12):
        r = api.get(url, {"limit": 100})
        assert r.status_code == 200


@pytest.mark.parametrize("raw", ["[]", "null", '"text"', "7"])
def test_bodies_that_are_not_objects_are_refused(org, members, builder, raw):
    from django.test import Client

    from aims.accounts.services import token_create
    from aims.improvement import services

    incident = services.incident_create(ctx=builder.ctx, data=incident_data())
    nc = builder.raise_()
    _, token = token_create(user=members["owner"], name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for path in ("/incidents", f"/incidents/{incident.pk}/nonconformity", "/nonconformities",
                 f"/nonconformities/{nc.pk}/actions", f"/nonconformities/{nc.pk}/verify",
                 f"/nonconformities/{nc.pk}/close", "/improvements"):
        r = client.post(base(org) + path, data=raw, content_type="application/json")
        assert 400 <= r.status_code < 500, (path, r.status_code, r.content[:200])


def test_a_status_sent_as_null_is_a_field_error_not_a_crash(org, api):
    """Found by fuzzing the API: null for the status used to reach the model's own rules
    and fail there with a 500."""
    data = incident_data()
    body = {k: _iso(v) if isinstance(v, datetime.datetime) else v for k, v in data.items()}
    incident = api.post(base(org) + "/incidents", body).json()
    r = api.patch(f"{base(org)}/incidents/{incident['id']}", {"version": 1, "status": None})
    assert r.status_code == 422 and "status" in r.json()["errors"]
    assert api.get(f"{base(org)}/incidents/{incident['id']}").json()["version"] == 1
