import io
import json
import zipfile

from aims.orgs.models import Membership

URL = "/api/v1/orgs/acme/audit-pack"


def test_a_viewer_downloads_the_pack(api_client_for, members, record):
    r = api_client_for(members["viewer"]).get(URL, {"from": "2026-01-01", "to": "2026-06-30"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    assert 'filename="acme-audit-pack-20260101-20260630.zip"' in r["Content-Disposition"]
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["made_by"] == members["viewer"].email
    assert {f["record"] for f in manifest["files"] if f["section"] == "evidence"} == {
        record.inside.ref, record.open_ended.ref}


def test_the_period_defaults_to_the_last_twelve_months(api_client_for, members):
    r = api_client_for(members["auditor"]).get(URL)
    assert r.status_code == 200
    b"".join(r.streaming_content)


def test_bad_periods_are_422_naming_the_field(api_client_for, members):
    client = api_client_for(members["viewer"])
    r = client.get(URL, {"from": "2026-06-30", "to": "2026-01-01"})
    assert r.status_code == 422
    assert "to" in json.dumps(r.json()) and "before it starts" in json.dumps(r.json())
    r = client.get(URL, {"from": "yesterday"})
    assert r.status_code == 422 and "from" in json.dumps(r.json())


def test_other_organisations_and_strangers_get_nothing(api_client_for, other_org, client):
    stranger = Membership.objects.get(org=other_org, role="owner").user
    assert api_client_for(stranger).get(URL).status_code == 404
    assert client.get(URL).status_code == 401
