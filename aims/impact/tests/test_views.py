import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aims.impact import services
from aims.impact.models import ImpactAssessment, Status
from aims.impact.tests.conftest import IMPACT, SECTIONS, submitted_on

pytestmark = pytest.mark.django_db


def _impact_form(prefix="new", **values):
    data = {**IMPACT, **values}
    return {f"{prefix}-{k}" if prefix else k: v for k, v in data.items()}


def test_editor_starts_fills_and_submits_through_the_pages(org, members, system,
                                                          web_client_for):
    c = web_client_for(members["editor"])
    page = c.get(f"/o/{org.slug}/impact-assessments/new/?system={system.pk}").content.decode()
    assert f'value="{system.pk}" selected' in page
    r = c.post(f"/o/{org.slug}/impact-assessments/new/",
               {"ai_system": system.pk, "trigger": "", "copy_previous": "on"})
    a = ImpactAssessment.objects.for_org(org).get()
    assert r.status_code == 302 and r.url.endswith(f"/impact-assessments/{a.pk}/edit/")
    edit = c.get(r.url).content.decode()
    assert system.intended_purpose in edit  # pre-filled from the inventory
    assert "What a good answer covers" in edit
    r = c.post(r.url, {**SECTIONS, "trigger": "initial", "trigger_note": "", "version": 1})
    assert r.status_code == 302
    r = c.post(f"/o/{org.slug}/impact-assessments/{a.pk}/impacts/new/", _impact_form())
    assert r.status_code == 302 and r.url.endswith("/edit/#impacts")
    a.refresh_from_db()
    r = c.post(f"/o/{org.slug}/impact-assessments/{a.pk}/submit/", {"version": a.version})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.IN_REVIEW
    detail = c.get(f"/o/{org.slug}/impact-assessments/{a.pk}/").content.decode()
    assert "Waiting for an owner or admin" in detail
    assert 'aria-label="Approve"' not in detail


def test_incomplete_submission_names_the_sections(org, members, ctx, system, web_client_for):
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk})
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/impact-assessments/{a.pk}/submit/", {"version": a.version})
    assert r.status_code == 422
    body = r.content.decode()
    assert "Reasonably foreseeable misuse: Required before review" in body
    assert "Impacts: Record at least one impact" in body


def test_bad_impact_is_refused_next_to_the_field(org, members, draft, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/impact-assessments/{draft.pk}/impacts/new/",
               _impact_form(residual_rating="", severity=""))
    assert r.status_code == 422
    body = r.content.decode()
    assert "This field is required." in body
    assert draft.impacts.count() == 1


def test_impact_row_edits_inline(org, members, draft, web_client_for):
    c = web_client_for(members["editor"])
    impact = draft.impacts.get()
    url = f"/o/{org.slug}/impact-assessments/{draft.pk}/impacts/{impact.pk}/edit/"
    form = c.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and b"<html" not in form.content
    prefix = f"i{impact.pk.hex[:8]}"
    r = c.post(url, {**_impact_form(prefix, description="Updated wording."),
                     f"{prefix}-version": impact.version}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Updated wording." in r.content.decode()
    assert 'role="status"' in r.content.decode()


def test_author_sees_why_they_cannot_approve_and_is_refused(org, members, admin_ctx, system,
                                                             web_client_for):
    a = services.assessment_create(ctx=admin_ctx, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=admin_ctx, assessment_id=a.pk, data=IMPACT)
    a = services.assessment_submit(ctx=admin_ctx, assessment_id=a.pk, version=1)
    c = web_client_for(members["admin"])
    page = c.get(f"/o/{org.slug}/impact-assessments/{a.pk}/").content.decode()
    assert "You wrote this assessment" in page and 'aria-label="Approve"' not in page
    r = c.post(f"/o/{org.slug}/impact-assessments/{a.pk}/approve/", {"version": a.version})
    assert r.status_code == 403
    assert "approver ≠ author" in r.content.decode()
    a.refresh_from_db()
    assert a.status == Status.IN_REVIEW


def test_admin_approves_and_the_system_page_shows_it(org, members, in_review, system,
                                                     web_client_for):
    c = web_client_for(members["admin"])
    editor = web_client_for(members["editor"])
    assert editor.post(f"/o/{org.slug}/impact-assessments/{in_review.pk}/approve/",
                       {"version": in_review.version}).status_code == 403
    r = c.post(f"/o/{org.slug}/impact-assessments/{in_review.pk}/approve/",
               {"version": in_review.version, "comment": "Fine.", "approved_on": ""})
    assert r.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.APPROVED
    page = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=assessments").content.decode()
    assert "Impact assessment" in page and "Approved" in page
    assert f"{in_review.next_due:%Y-%m-%d}" in page


def test_return_needs_a_comment(org, members, in_review, web_client_for):
    c = web_client_for(members["admin"])
    url = f"/o/{org.slug}/impact-assessments/{in_review.pk}/return/"
    r = c.post(url, {"version": in_review.version, "comment": ""})
    assert r.status_code == 422 and "This field is required." in r.content.decode()
    r = c.post(url, {"version": in_review.version, "comment": "Add the monitoring results."})
    assert r.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT
    page = web_client_for(members["editor"]).get(
        f"/o/{org.slug}/impact-assessments/{in_review.pk}/edit/").content.decode()
    assert "Add the monitoring results." in page


def test_approved_assessment_has_no_edit_page(org, members, approved, web_client_for):
    c = web_client_for(members["editor"])
    r = c.get(f"/o/{org.slug}/impact-assessments/{approved.pk}/edit/")
    assert r.status_code == 302 and r.url.endswith(f"/impact-assessments/{approved.pk}/")
    r = c.post(f"/o/{org.slug}/impact-assessments/{approved.pk}/delete/",
               {"version": approved.version})
    assert r.status_code == 422
    assert ImpactAssessment.objects.for_org(org).filter(pk=approved.pk).exists()


def test_list_filters_overdue_and_empty_states(org, members, ctx, admin_ctx, system,
                                               web_client_for):
    c = web_client_for(members["viewer"])
    body = c.get(f"/o/{org.slug}/impact-assessments/").content.decode()
    assert "No impact assessments yet" in body and "Start the first assessment" not in body
    assert "has no impact assessment yet" in body and system.name in body
    a = services.assessment_create(ctx=ctx, data={"ai_system": system.pk, **SECTIONS})
    services.impact_create(ctx=ctx, assessment_id=a.pk, data=IMPACT)
    a = services.assessment_submit(ctx=ctx, assessment_id=a.pk, version=a.version)
    a = submitted_on(a, timezone.localdate() - datetime.timedelta(days=500))
    services.assessment_approve(ctx=admin_ctx, assessment_id=a.pk, version=a.version,
                                approved_on=timezone.localdate() - datetime.timedelta(days=500))
    body = c.get(f"/o/{org.slug}/impact-assessments/?due=overdue").content.decode()
    assert 'class="overdue"' in body and "Needs re-assessment" in body
    body = c.get(f"/o/{org.slug}/impact-assessments/?status=draft").content.decode()
    assert "No impact assessment matches" in body
    body = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=assessments").content.decode()
    assert "The assessment is overdue" in body


def test_owner_changes_the_interval(org, members, web_client_for):
    url = f"/o/{org.slug}/impact-assessments/settings/"
    admin = web_client_for(members["admin"])
    assert "Only owners" in admin.get(url).content.decode()
    assert admin.post(url, {"reassessment_interval_months": 6, "version": 1}).status_code == 403
    c = web_client_for(members["owner"])
    assert c.post(url, {"reassessment_interval_months": 0, "version": 1}).status_code == 422
    r = c.post(url, {"reassessment_interval_months": 18, "version": 1})
    assert r.status_code == 302
    org.refresh_from_db()
    assert org.reassessment_interval_months == 18
    assert c.post(url, {"reassessment_interval_months": 6, "version": 1}).status_code == 409


def test_significant_change_from_the_system_page(org, members, approved, system,
                                                 web_client_for):
    c = web_client_for(members["editor"])
    page = c.get(f"/o/{org.slug}/ai-systems/{system.pk}/?tab=changes").content.decode()
    assert "Record a change" in page and "No changes recorded yet." in page
    url = f"/o/{org.slug}/ai-systems/{system.pk}/changes/new/"
    assert c.post(url, {"description": "", "changed_on": "2026-01-05"}).status_code == 422
    r = c.post(url, {"description": "Replaced the model with a neural network.",
                     "significant": "on", "changed_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    page = c.get(r.url).content.decode()
    assert "Replaced the model with a neural network." in page
    assert "needs re-assessment" in page
    approved.refresh_from_db()
    assert approved.status == Status.NEEDS_REASSESSMENT
    assert web_client_for(members["viewer"]).post(url, {
        "description": "x", "changed_on": "2026-01-05"}).status_code == 403


def test_raise_risk_button(org, members, draft, web_client_for):
    impact = draft.impacts.get()
    page = web_client_for(members["editor"]).get(
        f"/o/{org.slug}/impact-assessments/{draft.pk}/edit/").content.decode()
    assert "Raise risk" in page
    r = web_client_for(members["editor"]).post(
        f"/o/{org.slug}/impact-assessments/{draft.pk}/impacts/{impact.pk}/raise-risk/",
        {"version": impact.version})
    assert r.status_code == 302
    impact.refresh_from_db()
    assert impact.linked_risk.ref == "R-001"
    page = web_client_for(members["viewer"]).get(
        f"/o/{org.slug}/impact-assessments/{draft.pk}/").content.decode()
    assert "R-001" in page and "Raise risk" not in page


def test_print_view_and_pdf(org, members, approved, system, web_client_for):
    c = web_client_for(members["viewer"])
    html = c.get(f"/o/{org.slug}/impact-assessments/{approved.pk}/print/").content.decode()
    for text in (system.name, "version 1", IMPACT["description"], "Approved by",
                 "Version history", "Reasonably foreseeable misuse"):
        assert text in html
    r = c.get(f"/o/{org.slug}/impact-assessments/{approved.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        'attachment; filename="acme-impact-assessment-credit-decision-engine-v1.pdf"')
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    text = " ".join(text.split())
    assert system.name in text and "version 1" in text
    assert "thin credit files are declined more often" in text
    assert f"Approved by {members['admin'].display_name}" in text
