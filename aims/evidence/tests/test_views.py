import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from aims.evidence.models import Evidence, EvidenceLink
from aims.testing.factories import ctx_for
from aims.testing.queries import SESSION

from .conftest import add

pytestmark = pytest.mark.django_db


def _form(**values):
    base = {"kind": "file", "title": "Model validation report", "description": "",
            "url": "", "note": "", "effective_from": "2026-07-01", "effective_to": "2026-09-30",
            "valid_until": "", "owner": "", "source": "Model risk team", "subject_kind": "",
            "subject_id": "", "next": ""}
    return {**base, **values}


def test_register_page_counts_stale_and_filters(org, ctx, members, web_client_for, soa_item):
    add(ctx, valid_until=datetime.date(2000, 1, 1), links=[soa_item], title="Old review")
    add(ctx, content=None, note="n", title="Fresh note")
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/evidence/").content.decode()
    assert "Old review" in body and "Fresh note" in body
    assert "<strong>1</strong> expired" in body and "Stale evidence" in body
    assert f"/o/{org.slug}/soa/A.6.2.6/" in body  # links to what it supports
    assert "Add evidence" not in body  # viewers cannot add
    body = c.get(f"/o/{org.slug}/evidence/?freshness=expired").content.decode()
    assert "Old review" in body and "Fresh note" not in body
    body = c.get(f"/o/{org.slug}/evidence/?linked_kind=compliance_item&sort=title").content.decode()
    assert "Old review" in body and "Fresh note" not in body
    body = c.get(f"/o/{org.slug}/evidence/?q=nothing-like-this").content.decode()
    assert "No evidence matches" in body


def test_empty_register_says_what_to_do(org, members, web_client_for):
    body = web_client_for(members["editor"]).get(f"/o/{org.slug}/evidence/").content.decode()
    assert "No evidence yet" in body and "Add the first evidence" in body


def test_add_from_a_record_returns_there(org, members, web_client_for, soa_item):
    c = web_client_for(members["editor"])
    nxt = f"/o/{org.slug}/soa/A.6.2.6/"
    url = (f"/o/{org.slug}/evidence/new/?subject_kind=compliance_item&subject_id={soa_item.pk}"
           f"&next={nxt}")
    page = c.get(url).content.decode()
    assert "A.6.2.6" in page and f'value="{soa_item.pk}" selected' in page
    upload = SimpleUploadedFile("../../validation.pdf", b"%PDF-1.4 report", "text/html")
    r = c.post(url, _form(file=upload, subject_kind="compliance_item",
                          subject_id=str(soa_item.pk), next=nxt))
    assert r.status_code == 302 and r["Location"] == nxt
    e = Evidence.objects.for_org(org).get()
    assert (e.file_name, e.content_type) == ("validation.pdf", "application/pdf")
    assert EvidenceLink.objects.for_org(org).get().subject_id == soa_item.pk
    page = c.get(nxt).content.decode()
    assert e.ref in page and f"/o/{org.slug}/evidence/{e.pk}/" in page


@pytest.mark.parametrize("nxt", ["https://evil.example.com/", "//evil.example.com/x",
                                 "/\\evil.example.com", "javascript:alert(1)"])
def test_unsafe_next_is_ignored(org, members, web_client_for, nxt):
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/evidence/new/",
               _form(kind="note", note="Observed.", next=nxt))
    assert r.status_code == 302
    assert r["Location"].startswith(f"/o/{org.slug}/evidence/")


def test_add_refusals_are_422_on_the_form(org, members, web_client_for, settings, other_org):
    c = web_client_for(members["editor"])
    url = f"/o/{org.slug}/evidence/new/"
    r = c.post(url, _form())  # a file evidence without a file
    assert r.status_code == 422 and "File evidence needs a file" in r.content.decode()
    r = c.post(url, _form(kind="note", note="x", subject_kind="compliance_item",
                          subject_id="00000000-0000-0000-0000-000000000000"))
    assert r.status_code == 422 and "No such record" in r.content.decode()
    settings.AIMS_EVIDENCE_MAX_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 200_000))
    r = c.post(url, _form(file=big))
    assert r.status_code == 413  # refused from its Content-Length, before the body is read
    assert "files up to 1 MB" in r.content.decode() and "AIMS_EVIDENCE_MAX_MB" in r.content.decode()
    just_over = SimpleUploadedFile("over.bin", b"x" * (1024 * 1024 + 1))
    r = c.post(url, _form(file=just_over))
    assert r.status_code == 422 and "at most 1 MB" in r.content.decode()
    assert not Evidence.objects.for_org(org).exists()


def test_add_checks_csrf_after_the_size_guard(org, members):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(members["editor"])
    r = c.post(f"/o/{org.slug}/evidence/new/", _form(kind="note", note="Forged"))
    assert r.status_code == 403
    assert not Evidence.objects.for_org(org).exists()


def test_viewer_cannot_add_edit_link_or_delete(org, ctx, members, web_client_for, system):
    e = add(ctx)
    c = web_client_for(members["viewer"])
    base = f"/o/{org.slug}/evidence"
    assert c.get(f"{base}/new/").status_code == 403
    assert c.post(f"{base}/new/", _form(kind="note", note="x")).status_code == 403
    assert c.get(f"{base}/{e.pk}/edit/").status_code == 403
    assert c.post(f"{base}/{e.pk}/delete/", {"version": 1}).status_code == 403
    assert c.post(f"{base}/{e.pk}/links/add/", {"subject_kind": "ai_system",
                                                 "subject_id": system.pk}).status_code == 403
    assert c.get(f"{base}/{e.pk}/download/").status_code == 200


def test_detail_link_unlink_edit_delete(org, ctx, members, web_client_for, system, soa_item):
    e = add(ctx, links=[system])
    c = web_client_for(members["editor"])
    base = f"/o/{org.slug}/evidence/{e.pk}"
    page = c.get(f"{base}/").content.decode()
    assert e.blob.sha256 in page and system.name in page and "Unlink" in page
    assert f"/o/{org.slug}/ai-systems/{system.pk}/" in page
    options = c.get(f"/o/{org.slug}/evidence/records/?subject_kind=compliance_item").content
    assert b"A.6.2.6" in options
    r = c.post(f"{base}/links/add/", {"subject_kind": "compliance_item",
                                       "subject_id": str(soa_item.pk)})
    assert r.status_code == 302
    assert EvidenceLink.objects.for_org(org).count() == 2
    r = c.post(f"{base}/links/remove/", {"subject_kind": "ai_system", "subject_id": str(system.pk)})
    assert r.status_code == 302 and EvidenceLink.objects.for_org(org).count() == 1
    r = c.post(f"{base}/edit/", {"title": "Renamed", "description": "", "effective_from": "",
                                  "effective_to": "", "valid_until": "2030-01-01", "source": "",
                                  "owner": "", "version": 1})
    assert r.status_code == 302
    e.refresh_from_db()
    assert (e.title, e.version) == ("Renamed", 2)
    assert "Delete the evidence" in c.get(f"{base}/delete/").content.decode()
    assert c.post(f"{base}/delete/", {"version": 1}).status_code == 409
    r = c.post(f"{base}/delete/", {"version": 2})
    assert r.status_code == 302 and not Evidence.objects.for_org(org).exists()


def test_download_is_an_attachment_with_the_clean_name(org, ctx, members, web_client_for):
    e = add(ctx, content=b"<html>", name='..\\x"y\r\n.html')
    r = web_client_for(members["auditor"]).get(f"/o/{org.slug}/evidence/{e.pk}/download/")
    assert r["Content-Disposition"] == "attachment; filename=\"x'y.html\""
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Type"] == "text/html"


def test_verify_button(org, ctx, members, web_client_for):
    e = add(ctx)
    auditor = web_client_for(members["auditor"])
    assert "Verify files" in auditor.get(f"/o/{org.slug}/evidence/verify/").content.decode()
    body = auditor.post(f"/o/{org.slug}/evidence/verify/").content.decode()
    assert "All intact" in body
    default_storage.delete(e.blob.name)
    body = auditor.post(f"/o/{org.slug}/evidence/verify/").content.decode()
    assert "Missing" in body and e.ref in body
    assert web_client_for(members["viewer"]).post(
        f"/o/{org.slug}/evidence/verify/").status_code == 403


def test_control_page(org, ctx, members, web_client_for, soa_item):
    from aims.compliance.services import compliance_item_update

    compliance_item_update(ctx=ctx, ref="A.6.2.6", version=soa_item.version, data={
        "applicable": True, "inclusion_reason": "legal", "owner": members["admin"].pk,
        "justification": "Lending rules require it.", "status": "partial"})
    e = add(ctx, links=[soa_item])
    c = web_client_for(members["editor"])
    body = c.get(f"/o/{org.slug}/soa/A.6.2.6/").content.decode()
    for text in ("Lending rules require it.", "Partially implemented", e.ref, "Add evidence",
                 f"/o/{org.slug}/soa/A.6.2.6/edit/?from=item", "Request evidence",
                 f"/o/{org.slug}/tasks/new/?kind=evidence_request&amp;subject_kind="
                 f"compliance_item&amp;subject_id={soa_item.pk}",
                 f"/o/{org.slug}/catalog/A.6.2.6/"):
        assert text in body, text
    clause = c.get(f"/o/{org.slug}/soa/6.1.4/").content.decode()
    assert "What an auditor will ask to see" in clause
    assert c.get(f"/o/{org.slug}/soa/Z.9/").status_code == 404
    soa = c.get(f"/o/{org.slug}/soa/").content.decode()
    row = re.search(r'<tr id="ctl-A\.6\.2\.6".*?</tr>', soa, re.S).group(0)
    assert f'href="/o/{org.slug}/soa/A.6.2.6/"' in row and ">1</span>" in row
    clauses = c.get(f"/o/{org.slug}/soa/clauses/").content.decode()
    assert f'href="/o/{org.slug}/soa/6.1.4/"' in clauses


def test_edit_from_the_control_page_returns_there(org, members, web_client_for, soa_item):
    c = web_client_for(members["editor"])
    prefix = f"i{soa_item.pk.hex[:8]}-"
    data = {prefix + k: v for k, v in {
        "applicable": "yes", "inclusion_reason": "legal", "justification": "", "status": "planned",
        "owner": "", "notes": "", "last_reviewed": "", "version": soa_item.version}.items()}
    r = c.post(f"/o/{org.slug}/soa/A.6.2.6/edit/?from=item", data)
    assert r.status_code == 302 and r["Location"] == f"/o/{org.slug}/soa/A.6.2.6/"


def test_panels_on_risk_and_impact_pages(org, ctx, members, web_client_for):
    from aims.risks.services import risk_create

    risk = risk_create(ctx=ctx, data={"title": "Drift", "category": "robustness"})
    e = add(ctx, links=[risk])
    body = web_client_for(members["editor"]).get(
        f"/o/{org.slug}/risks/{risk.pk}/?tab=evidence").content.decode()
    assert "Evidence of treatment" in body and e.ref in body
    assert f"subject_kind=risk&amp;subject_id={risk.pk}" in body


def test_register_query_count_does_not_grow(org, members, soa_item, system, web_client_for,
                                            django_assert_max_num_queries):
    from aims.testing.factories import add_member

    c = web_client_for(members["owner"])
    counts = []
    for n in (5, 40):
        have = Evidence.objects.for_org(org).count()
        for i in range(have, n):
            owner = add_member(org, "editor", email=f"ev-web-{i}@acme.example.com")
            add(ctx_for(org, owner), content=f"file {i}".encode(), links=[soa_item, system],
                owner=owner.pk, title=f"Evidence {i}")
        assert c.get(f"/o/{org.slug}/evidence/").status_code == 200
        with django_assert_max_num_queries(12 + SESSION) as captured:
            r = c.get(f"/o/{org.slug}/evidence/")
        assert r.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_activity_log_shows_evidence_events(org, ctx, members, web_client_for, system):
    """Link changes are logged under a name that is not a model field, so the log can label them."""
    from aims.evidence.services import evidence_delete, evidence_link, evidence_unlink

    e = add(ctx, links=[system])
    other = add(ctx, content=b"other")
    evidence_link(ctx=ctx, evidence_id=other.pk, subject=system)
    evidence_unlink(ctx=ctx, evidence_id=other.pk, subject=system)
    evidence_delete(ctx=ctx, evidence_id=other.pk, version=1)
    r = web_client_for(members["auditor"]).get(f"/o/{org.slug}/activity/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Supports" in body and system.name in body and e.ref in body


def test_upload_keeps_the_readable_name_and_shows_one_size(org, members, web_client_for):
    c = web_client_for(members["editor"])
    upload = SimpleUploadedFile("bias test <b>x<\\b> & 'q'.csv", b"group,rate\na,0.1\n" * 3,
                                "text/csv")
    r = c.post(f"/o/{org.slug}/evidence/new/", _form(file=upload))
    assert r.status_code == 302
    e = Evidence.objects.for_org(org).get()
    assert e.file_name == "bias test <b>x<_b> & 'q'.csv"
    page = c.get(r["Location"]).content.decode()
    assert "bias test &lt;b&gt;x&lt;_b&gt; &amp; &#x27;q&#x27;.csv" in page
    assert "51\xa0bytes ·" in page and "(51 bytes)" not in page


def test_a_refused_form_asks_for_the_chosen_file_again(org, members, web_client_for):
    c = web_client_for(members["editor"])
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf")
    r = c.post(f"/o/{org.slug}/evidence/new/", _form(file=upload, title=""))
    assert r.status_code == 422
    page = r.content.decode()
    assert "You chose “report.pdf”" in page and "Choose the file again" in page
    assert not Evidence.objects.for_org(org).exists()
