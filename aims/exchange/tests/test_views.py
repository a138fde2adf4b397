import io
import json
import zipfile

URL = "/o/acme/audit-pack/"


def test_the_page_explains_the_pack(web_client_for, members):
    r = web_client_for(members["viewer"]).get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Download the audit pack" in html and "aims verify-pack" in html
    assert 'name="start"' in html and 'name="end"' in html
    assert "<script>" not in html


def test_submitting_the_form_downloads_the_pack(web_client_for, members, record):
    r = web_client_for(members["auditor"]).get(URL, {"start": "2026-01-01",
                                                     "end": "2026-06-30"})
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    assert json.loads(zf.read("manifest.json"))["period"]["to"] == "2026-06-30"


def test_a_bad_period_keeps_what_was_typed_and_says_why(web_client_for, members):
    r = web_client_for(members["viewer"]).get(URL, {"start": "2026-06-30", "end": "2026-01-01"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "before it starts" in html and 'value="2026-06-30"' in html
    r = web_client_for(members["viewer"]).get(URL, {"start": "soon", "end": ""})
    assert r.status_code == 422 and "Enter a valid date" in r.content.decode()


def test_strangers_get_404(web_client_for, other_org, client):
    from aims.orgs.models import Membership

    stranger = Membership.objects.get(org=other_org, role="owner").user
    assert web_client_for(stranger).get(URL).status_code == 404
    assert client.get(URL).status_code == 302
