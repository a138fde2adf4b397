"""Support and operation in a real browser: the governance lead drafts the AI policy from the
starting template and sends it for approval, an admin approves it; the admin asks a control
owner for evidence, the owner answers by uploading a file, and the evidence shows on the
control's page."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

CONTROL = "A.6.2.6"


def sign_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))


def test_policy_approval_and_evidence_request(live_server, page: Page, tmp_path, browser_errors):
    from django.urls import get_resolver

    from aims.catalog.services import catalog_load_all
    from aims.documents.models import DocumentVersion
    from aims.evidence.models import Evidence
    from aims.testing.factories import add_member, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    assert get_resolver().url_patterns  # import the URL map before the first page load
    org = make_org("acme", "Acme Lending")
    lead = add_member(org, "editor", email="lead@acme.example.com")
    admin = add_member(org, "admin", email="admin@acme.example.com")
    base = live_server.url

    # 1. The governance lead drafts the AI policy from the template and submits it.
    sign_in(page, base, lead.email)
    page.get_by_role("link", name="Documents and policies").click()
    page.get_by_role("button", name="Draft the AI policy from a template").click()
    expect(page.get_by_label("Start from")).to_have_value("ai_policy")
    page.get_by_role("button", name="Add the document and write version 1").click()
    expect(page.locator("h1")).to_contain_text("AI policy")
    if page.get_by_label("Text (Markdown)").count():  # landed on the draft editor
        page.get_by_label("What changed").fill("First issue, from the aims template.")
        page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Waiting for an owner or admin")).to_be_visible()

    # 2. An admin who did not write it approves it; it is now the version in force.
    sign_in(page, base, admin.email)
    page.get_by_role("link", name="Documents and policies").click()
    page.get_by_role("link", name=re.compile("AI policy")).first.click()
    if not page.get_by_role("button", name="Approve", exact=True).count():
        page.get_by_role("link", name=re.compile(r"v1|Version 1")).first.click()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text(re.compile("Approved", re.I)).first).to_be_visible()
    version = DocumentVersion.all_orgs.get(document__org=org, number=1)
    assert version.status == "approved" and version.approved_by == admin

    # 3. The admin asks the control owner for evidence from the control's page.
    page.goto(f"{base}/o/acme/soa/{CONTROL}/")
    page.get_by_role("link", name="Request evidence").click()
    page.get_by_label("Title").fill("Upload the drift monitoring report")
    page.get_by_label("Owner").select_option(str(lead.pk))
    page.get_by_label("Due date").fill((datetime.date.today()
                                        + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_text("Upload the drift monitoring report").first).to_be_visible()

    # 4. The owner finds it among their tasks and answers it with a file.
    sign_in(page, base, lead.email)
    page.get_by_role("link", name="My tasks").first.click()
    page.get_by_role("link", name=re.compile("Upload the drift monitoring report")).click()
    report = tmp_path / "drift-report-Q3.pdf"
    report.write_bytes(b"%PDF-1.4 drift monitoring report for the quarter")
    answer = page.locator("#answer")
    answer.get_by_label("File to upload").set_input_files(str(report))
    answer.get_by_label("Title").fill("Drift monitoring report, Q3")
    answer.get_by_role("button", name="Add evidence and complete").click()
    expect(page.locator("#answer")).to_have_count(0)
    evidence = Evidence.all_orgs.get(org=org)
    assert evidence.file_name == "drift-report-Q3.pdf" and evidence.uploaded_by == lead

    # 5. The control's page shows the evidence, current, with its file.
    page.goto(f"{base}/o/acme/soa/{CONTROL}/")
    panel = page.locator(".evidence-panel")
    expect(panel).to_contain_text("drift-report-Q3.pdf")
    expect(panel).to_contain_text("Current")
    assert not browser_errors.unexpected
