import csv
import io

import pytest
from openpyxl import load_workbook

from aims.activity.models import Event
from aims.risks.models import Risk
from aims.risks.tests.conftest import three_by_three
from aims.testing.responses import body

pytestmark = pytest.mark.django_db


def _base(org):
    return f"/api/v1/orgs/{org.slug}"


def test_crud_round_trip(org, api, system, members):
    base = f"{_base(org)}/risks"
    r = api.post(base, {"title": "Hallucinated fees", "category": "robustness",
                        "ai_systems": [str(system.pk)], "controls": ["A.8.2"],
                        "owner": str(members["admin"].pk),
                        "inherent_likelihood": 4, "inherent_impact": 4})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["ref"], body["inherent_score"], body["inherent_level"]) == ("R-001", 16,
                                                                             "critical")
    assert body["ai_systems"] == [{"id": str(system.pk), "name": system.name}]
    assert body["controls"] == ["A.8.2"] and body["methodology_version"] == 1
    assert body["owner_email"] == members["admin"].email and body["acceptance_required"]
    rid = body["id"]
    r = api.get(base, {"level": "critical"})
    assert r.status_code == 200 and r.json()["count"] == 1
    assert api.get(base, {"q": "nothing"}).json()["count"] == 0
    r = api.patch(f"{base}/{rid}", {"version": 1, "residual_likelihood": 2,
                                    "residual_impact": 2, "treatment_option": "mitigate",
                                    "treatment_rationale": "Answers cite the help centre now."})
    assert r.status_code == 200 and r.json()["residual_level"] == "low"
    assert not r.json()["acceptance_required"]
    r = api.patch(f"{base}/{rid}", {"version": 1, "title": "Stale"})
    assert r.status_code == 409 and r.json()["current"]["title"] == "Hallucinated fees"
    r = api.patch(f"{base}/{rid}", {"version": 2, "inherent_likelihood": 9})
    assert r.status_code == 422
    assert api.delete(f"{base}/{rid}", {"version": 2}).status_code == 204
    assert api.get(f"{base}/{rid}").status_code == 404


def test_validation_errors_name_the_field(org, api):
    base = f"{_base(org)}/risks"
    r = api.post(base, {"title": "X", "category": "bias", "controls": ["A.99"]})
    assert r.status_code == 422 and "controls" in r.json()["errors"]
    r = api.post(base, {"title": "X", "category": "bias", "treatment_option": "pray"})
    assert r.status_code == 422 and "treatment_option" in r.json()["errors"]
    assert not Risk.objects.for_org(org).exists()


def test_accept_is_for_the_owner_only(org, api, api_client_for, members):
    base = f"{_base(org)}/risks"
    rid = api.post(base, {"title": "Biased CV ranking", "category": "bias",
                          "owner": str(members["admin"].pk), "inherent_likelihood": 4,
                          "inherent_impact": 4}).json()["id"]
    r = api.post(f"{base}/{rid}/accept", {"version": 1})
    assert r.status_code == 403
    r = api_client_for(members["admin"]).post(f"{base}/{rid}/accept", {"version": 1})
    assert r.status_code == 200, r.content
    assert r.json()["accepted_by_email"] == members["admin"].email
    assert r.json()["status"] == "accepted"


def test_treatment_action_routes(org, api, members):
    base = f"{_base(org)}/risks"
    rid = api.post(base, {"title": "Drift", "category": "drift"}).json()["id"]
    r = api.post(f"{base}/{rid}/actions", {"title": "Weekly monitoring", "due_date": "2020-01-01",
                                          "owner": str(members["editor"].pk)})
    assert r.status_code == 201, r.content
    action = r.json()
    assert action["overdue"] and action["risk_ref"] == "R-001"
    r = api.get(f"{base}/{rid}/actions")
    assert r.json()["count"] == 1
    r = api.patch(f"{base}/{rid}/actions/{action['id']}", {"version": 1, "status": "done"})
    assert r.status_code == 200 and not r.json()["overdue"]
    r = api.delete(f"{base}/{rid}/actions/{action['id']}", {"version": 1})
    assert r.status_code == 409
    assert api.delete(f"{base}/{rid}/actions/{action['id']}", {"version": 2}).status_code == 204


def test_export_csv_and_xlsx(org, api, system):
    base = f"{_base(org)}/risks"
    api.post(base, {"title": "+1 looks like a formula", "category": "bias",
                    "ai_systems": [str(system.pk)], "inherent_likelihood": 2,
                    "inherent_impact": 5})
    api.post(base, {"title": "Other", "category": "privacy"})
    r = api.get(f"{base}/export", {"format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body(r).decode("utf-8-sig"))))
    assert [row["Ref"] for row in rows] == ["R-001", "R-002"]
    assert rows[0]["Title"] == "'+1 looks like a formula"
    assert rows[0]["Inherent level"] == "High" and rows[0]["Inherent score"] == "10"
    assert rows[0]["AI systems"] == system.name and rows[0]["Sign-off required"] == "Yes"
    r = api.get(f"{base}/export", {"format": "csv", "category": "privacy"})
    assert len(list(csv.DictReader(io.StringIO(body(r).decode("utf-8-sig"))))) == 1
    r = api.get(f"{base}/export", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Ref" and values[1][0] == "R-001" and len(values) == 3
    assert api.get(f"{base}/export", {"format": "pdf"}).status_code == 422


def test_methodology_routes(org, api, api_client_for, members):
    base = f"{_base(org)}/risk-methodology"
    r = api.get(base)
    assert r.status_code == 200 and r.json()["number"] == 1
    assert len(r.json()["likelihood_scale"]) == 5
    r = api.post(base, {"based_on": 1, **three_by_three()})
    assert r.status_code == 201, r.content
    assert r.json()["number"] == 2 and r.json()["author_email"] == members["editor"].email
    r = api.post(base, {"based_on": 1, **three_by_three()})
    assert r.status_code == 409 and r.json()["current"]["number"] == 2
    bad = three_by_three(bands=[{"level": "low", "min": 1, "max": 3}])
    r = api.post(base, {"based_on": 2, **bad})
    assert r.status_code == 422 and "bands" in r.json()["errors"]
    r = api.get(f"{base}/versions")
    assert [v["number"] for v in r.json()["items"]] == [2, 1]
    r = api_client_for(members["viewer"]).post(base, {"based_on": 2, **three_by_three()})
    assert r.status_code == 403
    assert Event.objects.filter(org=org, object_type="risks.riskmethodology").count() == 1
