import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aims.documents import services
from aims.documents.models import Document, DocumentVersion
from aims.documents.tests.conftest import approve, draft_of, new_version, submit

pytestmark = pytest.mark.django_db


def _url(org, rest=""):
    return f"/o/{org.slug}/documents/{rest}"


def test_empty_list_says_what_to_do(org, members, web_client_for):
    html = web_client_for(members["editor"]).get(_url(org)).content.decode()
    assert "No documents yet." in html and "?template=ai_policy" in html
    html = web_client_for(members["viewer"]).get(_url(org)).content.decode()
    assert "No documents yet." in html and "Add a document" not in html


def test_create_from_template_then_write_and_submit(org, members, web_client_for):
    c = web_client_for(members["editor"])
    page = c.get(_url(org, "new/?template=ai_impact_procedure")).content.decode()
    assert 'value="ai_impact_procedure" selected' in page
    r = c.post(_url(org, "new/"), {"template": "ai_impact_procedure", "title": "",
                                   "review_interval_months": "12", "requirements": ["8.4"]})
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.for_org(org).get()
    assert doc.title == "AI system impact assessment procedure"
    assert [x.ref for x in doc.requirements.all()] == ["8.4"]
    v = draft_of(doc)
    assert r["Location"] == _url(org, f"{doc.pk}/versions/{v.pk}/edit/")
    page = c.get(r["Location"]).content.decode()
    assert "When an assessment is needed" in page  # the template's text, ready to edit
    r = c.post(r["Location"], {"content": "# Procedure\n\nOur words.", "change_summary": "First",
                               "version": v.version})
    assert r.status_code == 302
    r = c.post(_url(org, f"{doc.pk}/versions/{v.pk}/submit/"), {"version": v.version + 1})
    assert r.status_code == 302
    assert draft_of(doc).status == "in_review"


def test_create_needs_a_title_or_template(org, members, web_client_for):
    r = web_client_for(members["editor"]).post(_url(org, "new/"),
                                               {"review_interval_months": "12"})
    assert r.status_code == 422 and "Give the document a title" in r.content.decode()


def test_detail_shows_the_version_in_force_while_the_next_is_drafted(
        org, members, ctx, admin_ctx, document, web_client_for):
    approve(ctx, admin_ctx, document)
    new_version(ctx, document, "# AI policy\n\nA <script>alert(1)</script> new draft.")
    html = web_client_for(members["auditor"]).get(_url(org, f"{document.pk}/")).content.decode()
    assert "In force today: version 1" in html
    assert "People stay in charge." in html and "new draft" not in html
    assert "Version 2 is draft." in html
    assert f"{timezone.localdate():%Y-%m-%d} by {members['admin'].display_name}" in html
    assert '/o/acme/catalog/5.2/' in html and '/o/acme/catalog/A.2.2/' in html
    assert "Start a new version" not in html and "Submit for review" not in html
    v2 = draft_of(document)
    html = web_client_for(members["auditor"]).get(
        _url(org, f"{document.pk}/versions/{v2.pk}/")).content.decode()
    assert "new draft" in html and "<script>" not in html and "alert(1)" not in html


def test_in_force_on_a_date_form(org, members, ctx, admin_ctx, document, web_client_for):
    approve(ctx, admin_ctx, document)
    c = web_client_for(members["viewer"])
    html = c.get(_url(org, f"{document.pk}/?on=2001-01-01")).content.decode()
    assert "No version was in force on 2001-01-01." in html
    html = c.get(_url(org, f"{document.pk}/?on=not-a-date")).content.decode()
    assert "Enter a valid date." in html and "In force today: version 1" in html


def test_approve_and_return_by_role(org, members, ctx, document, web_client_for):
    v = submit(ctx, document)
    approve_url = _url(org, f"{document.pk}/versions/{v.pk}/approve/")
    html = web_client_for(members["editor"]).get(_url(org, f"{document.pk}/")).content.decode()
    assert "Waiting for an owner or admin" in html and approve_url not in html
    assert web_client_for(members["editor"]).post(approve_url,
                                                  {"version": v.version}).status_code == 403
    admin = web_client_for(members["admin"])
    html = admin.get(_url(org, f"{document.pk}/")).content.decode()
    assert approve_url in html
    r = admin.post(approve_url, {"version": v.version,
                                 "effective_from": "1999-01-01"})
    assert r.status_code == 422 and "cannot take effect before" in r.content.decode()
    r = admin.post(approve_url, {"version": v.version, "comment": "Fine."})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == "approved"


def test_author_sees_why_they_cannot_approve(org, members, web_client_for):
    from aims.testing.factories import ctx_for

    admin_ctx = ctx_for(org, members["admin"])
    doc = services.document_create(ctx=admin_ctx, data={"title": "Mine", "content": "x"})
    v = submit(admin_ctx, doc)
    html = web_client_for(members["admin"]).get(_url(org, f"{doc.pk}/")).content.decode()
    assert "you cannot approve it" in html
    r = web_client_for(members["admin"]).post(
        _url(org, f"{doc.pk}/versions/{v.pk}/approve/"), {"version": v.version})
    assert r.status_code == 403


def test_return_with_reason(org, members, ctx, document, web_client_for):
    v = submit(ctx, document)
    admin = web_client_for(members["admin"])
    url = _url(org, f"{document.pk}/versions/{v.pk}/return/")
    assert admin.post(url, {"version": v.version, "comment": "no"}).status_code == 422
    r = admin.post(url, {"version": v.version, "comment": "Add the exceptions section."})
    assert r.status_code == 302
    html = web_client_for(members["editor"]).get(_url(org, f"{document.pk}/")).content.decode()
    assert "Add the exceptions section." in html


def test_approved_versions_cannot_be_edited_from_the_web(org, members, ctx, admin_ctx, document,
                                                         web_client_for):
    v = approve(ctx, admin_ctx, document)
    c = web_client_for(members["editor"])
    url = _url(org, f"{document.pk}/versions/{v.pk}/edit/")
    assert c.get(url).status_code == 302
    r = c.post(url, {"content": "tampered", "version": v.version})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.content != "tampered"


def test_new_version_diff_and_pdf(org, members, ctx, admin_ctx, document, web_client_for):
    approve(ctx, admin_ctx, document)
    c = web_client_for(members["editor"])
    r = c.post(_url(org, f"{document.pk}/versions/new/"), {"change_summary": "Yearly review"})
    assert r.status_code == 302
    v2 = draft_of(document)
    assert v2.content == document.versions.get(number=1).content
    services.document_version_update(ctx=ctx, document_id=document.pk, version_id=v2.pk,
                                     version=v2.version,
                                     data={"content": v2.content.replace("fairly", "fairly <b>&")})
    r = c.post(_url(org, f"{document.pk}/versions/new/"), {})
    assert r.status_code == 422 and "already has version 2" in r.content.decode()
    html = c.get(_url(org, f"{document.pk}/diff/")).content.decode()
    assert "version 1 → version 2" in html
    assert "<ins><span class=\"visually-hidden\">added: </span>We use AI to serve customers " \
           "fairly &lt;b&gt;&amp;.</ins>" in html
    r = c.get(_url(org, f"{document.pk}/diff/?old=1&new=7"))
    assert r.status_code == 422
    v1 = document.versions.get(number=1)
    r = c.get(_url(org, f"{document.pk}/versions/{v1.pk}/pdf/"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
                    .split())
    assert "DOC-001 v1 AI policy" in text and "Status Approved" in text
    assert f"Approved by {members['admin'].display_name}" in text


def test_delete_only_never_approved(org, members, ctx, admin_ctx, document, web_client_for):
    other = services.document_create(ctx=ctx, data={"title": "Scratch"})
    c = web_client_for(members["editor"])
    r = c.post(_url(org, f"{other.pk}/delete/"), {"version": other.version})
    assert r.status_code == 302
    assert not Document.objects.for_org(org).filter(pk=other.pk).exists()
    approve(ctx, admin_ctx, document)
    html = c.get(_url(org, f"{document.pk}/")).content.decode()
    assert f"/documents/{document.pk}/delete/" not in html
    document.refresh_from_db()
    r = c.post(_url(org, f"{document.pk}/delete/"), {"version": document.version})
    assert r.status_code == 422 and "cannot be deleted" in r.content.decode()


def test_edit_details(org, members, document, web_client_for):
    c = web_client_for(members["editor"])
    assert c.get(_url(org, f"{document.pk}/edit/")).status_code == 200
    r = c.post(_url(org, f"{document.pk}/edit/"), {
        "title": "AI policy", "kind": "ai_policy", "review_interval_months": "24",
        "requirements": ["5.2", "7.5.1"], "version": document.version})
    assert r.status_code == 302
    document.refresh_from_db()
    assert document.review_interval_months == 24
    assert sorted(r.ref for r in document.requirements.all()) == ["5.2", "7.5.1"]


def test_upload_a_file_version(org, members, document, web_client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = web_client_for(members["editor"])
    v = draft_of(document)
    url = _url(org, f"{document.pk}/versions/{v.pk}/edit/")
    r = c.post(url, {"content": "", "version": v.version,
                     "file": SimpleUploadedFile("board-pack.pdf", b"%PDF-1 board")})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.file_name == "board-pack.pdf"
    r = c.get(_url(org, f"{document.pk}/versions/{v.pk}/file/"))
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1 board"


def test_list_filters_and_overdue(org, members, ctx, admin_ctx, document, web_client_for):
    from aims.documents.tests.conftest import backdate_submission

    v = submit(ctx, document)
    backdate_submission(v, timezone.localdate() - datetime.timedelta(days=500))
    services.document_version_approve(
        ctx=admin_ctx, document_id=document.pk, version_id=v.pk, version=v.version,
        approved_on=timezone.localdate() - datetime.timedelta(days=500))
    services.document_create(ctx=ctx, data={"title": "Fresh draft"})
    c = web_client_for(members["viewer"])
    html = c.get(_url(org, "?review=overdue")).content.decode()
    assert "Review overdue" in html and "Fresh draft" not in html and "AI policy" in html
    html = c.get(_url(org, "?q=zzz")).content.decode()
    assert "No document matches these filters." in html


@pytest.mark.parametrize("path", ["", "{doc}/"])
def test_pages_use_bounded_queries(org, members, ctx, admin_ctx, web_client_for,
                                   django_assert_max_num_queries, path):
    c = web_client_for(members["viewer"])
    counts = []
    first = None
    for n in (5, 40):
        while Document.objects.for_org(org).count() < n:
            doc = services.document_create(ctx=ctx, data={"title": "D", "content": "x",
                                                          "owner": ctx.user.pk})
            first = first or doc
            if Document.objects.for_org(org).count() % 2:
                approve(ctx, admin_ctx, doc)
        # The detail page grows in versions instead.
        while DocumentVersion.objects.for_org(org).filter(document=first).count() < n // 2:
            if not DocumentVersion.objects.for_org(org).filter(
                    document=first, status__in=("draft", "in_review")).exists():
                new_version(ctx, first, f"# v {n}")
            approve(ctx, admin_ctx, first)
        url = _url(org, path.format(doc=first.pk))
        c.get(url)
        with django_assert_max_num_queries(14) as captured:
            r = c.get(url)
        assert r.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_requirement_documents_tag(org, members, ctx, document, rf):
    from django.template import Context, Template

    from aims.catalog.models import Requirement

    req = Requirement.objects.get(framework__code="iso42001", ref="5.2")
    html = Template("{% load documents_tags %}{% requirement_documents req %}").render(
        Context({"ctx": ctx, "req": req}))
    assert f"/o/{org.slug}/documents/{document.pk}/" in html and "not yet approved" in html
    other = Requirement.objects.get(framework__code="iso42001", ref="9.2")
    html = Template("{% load documents_tags %}{% requirement_documents req %}").render(
        Context({"ctx": ctx, "req": other}))
    assert "No document says it satisfies 9.2 yet." in html


def test_a_document_from_the_ai_policy_template_is_an_ai_policy(org, members, web_client_for):
    import re
    c = web_client_for(members["editor"])
    page = c.get(_url(org, "new/?template=ai_policy")).content.decode()
    kind = re.search(r'<select name="kind".*?</select>', page, re.S).group(0)
    # What the browser sends back is what is selected: the template's kind, not "procedure".
    assert re.search(r'<option value="" selected>', kind)
    assert 'value="procedure" selected' not in kind
    r = c.post(_url(org, "new/"), {"template": "ai_policy", "title": "", "kind": "",
                                   "review_interval_months": "12"})
    assert r.status_code == 302
    doc = Document.objects.for_org(org).get()
    assert (doc.title, doc.kind, doc.get_kind_display()) == ("AI policy", "ai_policy",
                                                               "AI policy")


def test_markdown_preview_is_rendered_and_sanitised(org, members, web_client_for):
    c = web_client_for(members["editor"])
    text = "# Scope\n\n- **All** AI systems\n\n<script>alert(1)</script><img src=x onerror=y>"
    r = c.post(_url(org, "preview/"), {"content": text}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = r.content.decode()
    assert "<h1" in body and "<strong>All</strong>" in body
    assert "<script" not in body and "onerror" not in body and "<html" not in body
    # Without htmx (the button opens a tab): a page of its own.
    page = c.post(_url(org, "preview/"), {"content": text}).content.decode()
    assert "<html" in page and "<strong>All</strong>" in page and "Nothing was saved" in page
    assert not Document.objects.for_org(org).exists()
    # Readers cannot use it; a GET is not a preview.
    assert web_client_for(members["viewer"]).post(
        _url(org, "preview/"), {"content": text}).status_code == 403
    assert c.get(_url(org, "preview/")).status_code == 405


def test_the_draft_editor_offers_a_preview(org, members, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(_url(org, "new/"), {"template": "ai_policy", "title": "", "kind": "",
                                   "review_interval_months": "12"})
    page = c.get(r["Location"]).content.decode()
    assert 'hx-post="/o/' in page and '/documents/preview/"' in page
    assert 'id="md-preview"' in page and "data-warn-unsaved" in page
