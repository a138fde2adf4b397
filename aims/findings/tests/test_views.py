"""The web pages: the register with filters, a finding, the upload, the AI system's tab, and
bounded queries at two data sizes."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.findings import services
from aims.findings.models import Finding
from aims.findings.tests.conftest import result, sarif
from aims.testing.factories import make_ai_system
from aims.testing.queries import budget


def test_upload_from_the_system_page_and_see_the_tab(org, members, system, web_client_for,
                                                     llm_scan):
    client = web_client_for(members["editor"])
    page = client.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=findings").content.decode()
    assert "No scanner has reported on this system yet" in page
    assert "No security findings" in page  # the header's count
    url = f"/o/{org.slug}/security-findings/import/{system.pk}/"
    r = client.post(url, {"file": SimpleUploadedFile("scan.sarif", b"{ nope")})
    assert r.status_code == 422 and "Not valid JSON" in r.content.decode()
    r = client.post(url, {"file": SimpleUploadedFile("scan.sarif", llm_scan)})
    assert r.status_code == 302 and r["Location"].endswith("?tab=findings")
    page = client.get(r["Location"]).content.decode()
    assert "4 open security findings (2 critical or high)" in page
    assert "IndirectPromptInjection" in page and "SC-001" in page
    risks_tab = client.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=risks").content.decode()
    assert "Open security findings" in risks_tab and "SystemPromptLeak" in risks_tab


def test_viewer_sees_no_upload_and_cannot_post(org, members, system, web_client_for):
    client = web_client_for(members["viewer"])
    page = client.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=findings").content.decode()
    assert "Upload a SARIF report" not in page
    r = client.post(f"/o/{org.slug}/security-findings/import/{system.pk}/",
                    {"file": SimpleUploadedFile("s.sarif", sarif([result()]))})
    assert r.status_code == 403
    assert not Finding.objects.for_org(org).exists()


def test_list_filters_and_detail_triage(org, members, ctx, system, web_client_for, llm_scan):
    services.scan_import(ctx=ctx, system_id=system.pk, content=llm_scan)
    client = web_client_for(members["editor"])
    page = client.get(f"/o/{org.slug}/security-findings/?severity=critical").content.decode()
    assert "vulnerable-dependency" in page and "RefusalTone" not in page
    empty = client.get(f"/o/{org.slug}/security-findings/?tool=nothing").content.decode()
    assert "Any tool" in empty
    f = Finding.objects.for_org(org).get(rule_id="probe.refusal.tone")
    detail = client.get(f"/o/{org.slug}/security-findings/{f.pk}/").content.decode()
    assert "Ask for acceptance" in detail and "Raise a risk" in detail
    r = client.post(f"/o/{org.slug}/security-findings/{f.pk}/triage/", {
        "version": f.version, "status": "false_positive", "status_reason": ""})
    assert r.status_code == 422 and "Say why it is a false positive" in r.content.decode()
    r = client.post(f"/o/{org.slug}/security-findings/{f.pk}/accept/", {
        "version": f.version, "justification": "Cosmetic; no user harm.",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=500)).isoformat()})
    assert r.status_code == 422 and "At most 366 days" in r.content.decode()
    assert "Cosmetic; no user harm." in r.content.decode()  # what was typed is kept


def _grow(ctx, system, n: int, start: int) -> None:
    services.scan_import(ctx=ctx, system_id=system.pk, content=sarif(
        [result(rule=f"rule-{i % 7}", line=i + 1) for i in range(start, start + n)],
        tool=f"tool{start}"))


@pytest.mark.parametrize("page", ["list", "detail", "tab", "risks_tab", "import"])
def test_pages_have_bounded_queries(org, members, ctx, web_client_for,
                                    django_assert_max_num_queries, page):
    client = web_client_for(members["editor"])
    systems = [make_ai_system(ctx, name=f"Bounded {n}") for n in range(2)]
    for n, size in enumerate((5, 60)):
        for s in systems:
            _grow(ctx, s, size, n * 1000)
        f = Finding.objects.for_org(org).order_by("-number").first()
        url = {"list": f"/o/{org.slug}/security-findings/",
               "detail": f"/o/{org.slug}/security-findings/{f.pk}/",
               "tab": f"/o/{org.slug}/ai-systems/{systems[0].pk}/?tab=findings",
               "risks_tab": f"/o/{org.slug}/ai-systems/{systems[0].pk}/?tab=risks",
               "import": f"/o/{org.slug}/security-findings/import/{systems[0].pk}/"}[page]
        with django_assert_max_num_queries(budget(url, 22)):
            assert client.get(url).status_code == 200


def _selected_status(html: str) -> str:
    """The label of the option the triage form's status field has selected."""
    import re
    select = re.search(r'<select name="status"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    option = re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select.group(1))
    assert option is not None
    return option.group(1)


def test_the_triage_form_shows_the_findings_real_status(org, members, ctx, system,
                                                        web_client_for):
    """Each state, as the triage form shows it: an acceptance asked for or granted is not
    shown as "Open", and saving the owner alone keeps it."""
    from aims.testing.factories import ctx_for
    services.scan_import(ctx=ctx, system_id=system.pk, content=sarif([
        result(rule=f"rule-{i}", line=i) for i in range(1, 5)]))
    found = list(Finding.objects.for_org(org).order_by("rule_id"))
    asking = ctx_for(org, members["editor"])
    until = timezone.localdate() + datetime.timedelta(days=30)
    services.finding_update(ctx=ctx, finding_id=found[1].pk, version=found[1].version,
                            data={"status": "fixed", "status_reason": "Patched."})
    services.finding_update(ctx=ctx, finding_id=found[2].pk, version=found[2].version,
                            data={"status": "false_positive",
                                  "status_reason": "Test code that never ships."})
    f3 = services.finding_accept_request(ctx=asking, finding_id=found[3].pk,
                                         version=found[3].version,
                                         justification="Internal only; no user data.",
                                         expires_on=until)
    f0 = services.finding_accept_request(ctx=asking, finding_id=found[0].pk,
                                         version=found[0].version,
                                         justification="Behind the VPN for now.",
                                         expires_on=until)
    services.finding_accept_approve(ctx=ctx_for(org, members["owner"]), finding_id=f0.pk,
                                    version=f0.version)
    client = web_client_for(members["owner"])
    expected = {found[0].pk: "Accepted (exception) — as it is", found[1].pk: "Fixed",
                found[2].pk: "False positive",
                f3.pk: "Acceptance awaiting approval — as it is"}
    for pk, label in expected.items():
        html = client.get(f"/o/{org.slug}/security-findings/{pk}/").content.decode()
        assert _selected_status(html) == label
    accepted = Finding.objects.for_org(org).get(pk=found[0].pk)
    r = client.post(f"/o/{org.slug}/security-findings/{accepted.pk}/triage/", {
        "version": accepted.version, "status": "accepted", "status_reason": "",
        "owner": str(members["editor"].pk)})
    assert r.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and accepted.owner == members["editor"]
    # An open finding still offers only what triage may set by hand.
    services.scan_import(ctx=ctx, system_id=system.pk, content=sarif([result(rule="new")]))
    fresh = Finding.objects.for_org(org).get(rule_id="new")
    html = client.get(f"/o/{org.slug}/security-findings/{fresh.pk}/").content.decode()
    assert _selected_status(html) == "Open" and "as it is" not in html
