"""An impact assessment in a real browser, from the AI system page to an approved PDF:

the editor starts an assessment from the system page → fills the sections → adds an impact →
is told what is missing → submits; the editor has no way to approve it → an admin signs in and
approves → the system page shows it approved with its re-assessment date → the PDF carries the
record.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from aims.e2e.conftest import sign_in

pytestmark = pytest.mark.browser

SYSTEM = "Loan pre-screening assistant"
IMPACT = ("Applicants with short credit histories are ranked lower than their repayment "
          "record justifies.")
SECTIONS = {
    "Reasonably foreseeable misuse": "Officers skipping low-ranked applications at month end.",
    "Affected individuals": "Loan applicants and co-applicants.",
    "Affected groups": "Young applicants and recent arrivals with thin credit files.",
    "Conclusion": "Acceptable with manual review of every low-ranked thin-file application.",
}
SOCIETY = "Fairer access to credit in the regions we serve if the gap is closed."


def sidebar_link(page: Page, name: str):
    return page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name=name, exact=True)


def test_editor_assesses_and_admin_approves_then_pdf(live_server, page: Page, browser_errors):
    from aims.catalog.services import catalog_load_all
    from aims.core.dates import add_months
    from aims.impact.models import ImpactAssessment
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    admin = add_member(org, "admin")
    make_ai_system(ctx_for(org, editor), name=SYSTEM, owner=editor.pk,
                   intended_purpose="Ranks loan applications for credit officers.",
                   deployment_context="Online applications in the Netherlands.")
    # The one deliberate refusal (an incomplete submission) is a 422, which Chromium logs.
    browser_errors.allow(r"status of 422 .*/o/acme/impact-assessments/[0-9a-f-]+/submit/\)$")

    # 1. The editor starts the assessment from the AI system's page.
    sign_in(page, live_server.url, editor.email)
    sidebar_link(page, "AI systems").click()
    page.get_by_role("link", name=SYSTEM).click()
    page.get_by_role("navigation", name=f"About {SYSTEM}").get_by_role(
        "link", name="Assessments").click()
    panel = page.get_by_role("region", name="Impact assessment")
    expect(panel).to_contain_text("No approved impact assessment.")
    panel.get_by_role("button", name="Start the impact assessment").click()
    expect(page.get_by_role("heading", level=1, name="Start an impact assessment")).to_be_visible()
    expect(page.get_by_label("AI system")).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Started version 1")

    # 2. The sections: purpose and context come from the inventory; the rest is typed in.
    expect(page.get_by_label("Intended purpose")).to_have_value(
        "Ranks loan applications for credit officers.")
    expect(page.get_by_label("Context of use")).to_contain_text("Online applications")
    for label, text in SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_role("button", name="Save sections").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the assessment.")

    # 3. One impact, through the add form below the impacts table.
    form = page.get_by_role("form", name="Add an impact")
    form.get_by_label("Area").select_option(label="Fairness and non-discrimination")
    form.get_by_label("Description").fill(IMPACT)
    form.get_by_label("Severity").select_option(label="4 – Major")
    form.get_by_label("Likelihood").select_option(label="3 – Possible")
    form.get_by_label("Reversibility").select_option(label="Hard to reverse")
    form.get_by_label("Scale").select_option(label="Group")
    form.get_by_label("Mitigations").fill("A senior officer reviews every low-ranked thin file.")
    form.get_by_label("Residual rating").select_option(label="Medium")
    form.get_by_role("button", name="Add impact").click()
    impacts = page.locator("#impacts table")
    expect(impacts.get_by_role("row").filter(has_text=IMPACT)).to_have_count(1)

    # 4. Submitting with a section left empty is refused, saying which one.
    page.get_by_role("form", name="Submit for review").get_by_role(
        "button", name="Submit for review").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Effects on society: Required before review")
    assert ImpactAssessment.objects.for_org(org).get().status == "draft"
    page.get_by_role("button", name="Edit draft").click()
    page.get_by_label("Effects on society").fill(SOCIETY)
    page.get_by_role("button", name="Save sections").click()
    page.get_by_role("form", name="Submit for review").get_by_role(
        "button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("for review")
    expect(page.get_by_text("In review", exact=True).first).to_be_visible()

    # 5. The editor cannot approve: no approve form, and the page says who can.
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_text("Waiting for an owner or admin")).to_be_visible()
    detail_url = page.url

    # 6. An admin signs in and approves.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, admin.email)
    page.goto(detail_url)
    approve = page.get_by_role("form", name="Approve")
    approve.get_by_label("Approval comment").fill("Approved; review the thin-file gap quarterly.")
    approve.get_by_role("button", name="Approve").click()
    due = add_months(timezone.localdate(), 12).isoformat()
    expect(page.get_by_role("status")).to_contain_text(f"Re-assessment is due by {due}")
    assessment = ImpactAssessment.objects.for_org(org).get()
    assert (assessment.status, assessment.author, assessment.approved_by) == (
        "approved", editor, admin)

    # 7. The AI system page shows the approved assessment and its next due date.
    sidebar_link(page, "AI systems").click()
    page.get_by_role("link", name=SYSTEM).click()
    page.get_by_role("navigation", name=f"About {SYSTEM}").get_by_role(
        "link", name="Assessments").click()
    panel = page.get_by_role("region", name="Impact assessment")
    expect(panel).to_contain_text("Approved")
    expect(panel).to_contain_text(f"re-assessment due {due}")

    # 8. The PDF holds the record.
    panel.get_by_role("link", name="Version 1").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == (
        "acme-impact-assessment-loan-pre-screening-assistant-v1.pdf")
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert SYSTEM in text and "version 1" in text
    assert IMPACT in text, text[:3000]
    assert f"Approved by {admin.display_name}" in text

    assert not browser_errors.unexpected, browser_errors.unexpected

