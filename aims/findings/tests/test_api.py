"""The findings API: upload, list with filters, detail, PATCH, the acceptance steps, raising."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.findings.models import Finding, Scan
from aims.findings.tests.conftest import result, sarif

API = "/api/v1/orgs/acme"


def _upload(api, system, content: bytes, name: str = "scan.sarif"):
    return api.client.post(f"{API}/ai-systems/{system.pk}/findings/import",
                           data={"file": SimpleUploadedFile(name, content)}, **api.headers)


def test_upload_list_filter_detail(api, system, llm_scan):
    r = _upload(api, system, llm_scan)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["ref"], body["new"], body["results"]) == ("SC-001", 4, 4)
    assert len(body["sha256"]) == 64 and body["file_name"] == "scan.sarif"
    items = api.get(f"{API}/findings").json()["items"]
    assert [i["severity"] for i in items] == ["critical", "high", "medium", "low"]
    assert api.get(f"{API}/findings", {"tool": "depcheck"}).json()["count"] == 1
    assert api.get(f"{API}/findings", {"severity": "high"}).json()["count"] == 1
    assert api.get(f"{API}/findings", {"owasp_llm": "LLM07"}).json()["count"] == 1
    assert api.get(f"{API}/findings", {"status": "unresolved",
                                       "ai_system": str(system.pk)}).json()["count"] == 4
    assert api.get(f"{API}/findings", {"q": "CWE-502"}).json()["count"] == 1
    assert api.get(f"{API}/findings", {"severity": "urgent"}).status_code == 422
    dep = next(i for i in items if i["tool_name"] == "depcheck")
    one = api.get(f"{API}/findings/{dep['id']}").json()
    assert one["cwes"] == ["CWE-502"] and one["cvss_score"] == "9.8"
    assert one["location"] == "requirements.txt" and one["start_line"] == 12
    assert one["ai_system_name"] == system.name
    scans = api.get(f"{API}/findings-scans", {"ai_system": str(system.pk)}).json()
    assert scans["count"] == 1


def test_hostile_uploads_get_422_and_write_nothing(api, system, org):
    for content, says in ((b"{", "Not valid JSON"),
                          (b'{"version": "1.0", "runs": []}', "Only SARIF 2.1.0"),
                          (b"\x00\xff" * 10, "not UTF-8")):
        r = _upload(api, system, content)
        assert r.status_code == 422, r.content
        assert says in str(r.json()), r.json()
    r = api.client.post(f"{API}/ai-systems/{system.pk}/findings/import", data={},
                        **api.headers)
    assert r.status_code == 422 and "file" in str(r.json())
    assert not Finding.objects.for_org(org).exists() and not Scan.objects.for_org(org).exists()


def test_viewer_is_refused_before_the_body_is_read(api_client_for, members, system, org):
    viewer = api_client_for(members["viewer"])
    r = _upload(viewer, system, b"{")
    assert r.status_code == 403
    assert not Scan.objects.for_org(org).exists()


def test_patch_accept_approve_and_raise(api, api_client_for, members, system):
    _upload(api, system, sarif([result(), result(line=2)]))
    first, second = api.get(f"{API}/findings").json()["items"]
    r = api.patch(f"{API}/findings/{first['id']}", {"version": first["version"],
                                                      "status": "false_positive"})
    assert r.status_code == 422 and "status_reason" in str(r.json())
    r = api.patch(f"{API}/findings/{first['id']}", {"status": "fixed"})
    assert r.status_code == 422 and "version" in str(r.json())
    r = api.patch(f"{API}/findings/{first['id']}", {
        "version": first["version"], "status": "false_positive",
        "status_reason": "The value comes from our own config file."})
    assert r.status_code == 200 and r.json()["status"] == "false_positive"
    r = api.patch(f"{API}/findings/{first['id']}", {"version": first["version"],
                                                      "status": "open"})
    assert r.status_code == 409
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    r = api.post(f"{API}/findings/{second['id']}/accept", {
        "version": second["version"], "justification": "Internal only; fix planned in Q3.",
        "expires_on": until})
    assert r.status_code == 200 and r.json()["status"] == "acceptance_requested"
    version = r.json()["version"]
    assert api.post(f"{API}/findings/{second['id']}/approve",
                    {"version": version}).status_code == 403  # editors do not approve
    admin = api_client_for(members["admin"])
    r = admin.post(f"{API}/findings/{second['id']}/approve", {"version": version})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted" and r.json()["expires_on"] == until
    assert r.json()["acceptance_approved_by"] == members["admin"].email
    r = api.post(f"{API}/findings/{second['id']}/risk", {"inherent_likelihood": 3})
    assert r.status_code == 422 and "inherent_impact" in r.json()["errors"]
    r = api.post(f"{API}/findings/{second['id']}/risk", {"inherent_likelihood": 3,
                                                          "inherent_impact": 2})
    assert r.status_code == 201 and r.json()["ref"] == "R-001", r.content
    assert api.post(f"{API}/findings/{second['id']}/risk", {}).status_code == 409
    r = api.post(f"{API}/findings/{second['id']}/nonconformity", {"severity": "minor"})
    assert r.status_code == 201 and r.json()["ref"].startswith("NC-")
    one = api.get(f"{API}/findings/{second['id']}").json()
    assert one["risk"] and one["nonconformity"]
