"""Security findings in a real browser: an editor uploads a scanner's SARIF report on an AI
system, sees the findings on its tab and asks for one to be accepted as an exception; an admin
(a second person) approves it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import TIMEOUT_MS, Acme, screenshots, sign_in

pytestmark = pytest.mark.browser

SARIF = Path(__file__).resolve().parents[2] / "findings" / "tests" / "data" / "llm-scan.sarif"
JUSTIFICATION = ("Only staff reach the assistant until the retrieval filter ships; replies are "
                 "reviewed daily.")


def test_upload_sarif_and_accept_a_finding(acme: Acme, page: Page, browser, browser_errors):
    from aims.findings.models import Finding

    org, editor, admin, base = acme.org, acme.editor, acme.admin, acme.base
    system = acme.ai_system("Support assistant")
    until = datetime.date.today() + datetime.timedelta(days=60)

    # 1. The editor opens the system's Security findings tab and uploads the report.
    sign_in(page, base, editor.email)
    page.goto(f"{base}/o/acme/ai-systems/{system.pk}/")
    expect(page.get_by_role("link", name="No security findings")).to_be_visible()
    page.get_by_role("navigation", name="About Support assistant").get_by_role(
        "link", name="Security findings").click()
    expect(page.get_by_text("No scanner has reported on this system yet")).to_be_visible()
    page.get_by_role("button", name="Upload a SARIF report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upload a SARIF report")
    page.get_by_label("SARIF report").set_input_files(str(SARIF))
    page.get_by_role("button", name="Import findings").click()
    expect(page.get_by_role("status")).to_contain_text("4 new, 0 reopened, 0 marked fixed")
    expect(page.get_by_role("link", name=re.compile("4 open security findings"))).to_be_visible()
    table = page.locator("table.findings-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    screenshots(page, "findings-system-tab")

    # 2. …opens the injection finding and asks for it to be accepted until a date.
    page.get_by_role("link", name=re.compile("IndirectPromptInjection")).click()
    expect(page.get_by_text("LLM01:")).to_be_visible()
    form = page.get_by_role("form", name="Ask for acceptance")
    form.get_by_label("Justification").fill(JUSTIFICATION)
    form.get_by_label("Accepted until").fill(until.isoformat())
    form.get_by_role("button", name="Ask for acceptance").click()
    expect(page.get_by_role("status")).to_contain_text("an owner or admin other than you")
    expect(page.get_by_text("Acceptance awaiting approval").first).to_be_visible()
    finding_url = page.url

    # 3. A second person, an admin, approves it.
    other = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    other.set_default_timeout(TIMEOUT_MS)
    apage = other.new_page()
    sign_in(apage, base, admin.email)
    apage.goto(finding_url)
    expect(apage.get_by_text(JUSTIFICATION)).to_be_visible()
    approve = apage.get_by_role("form", name="Approve the acceptance")
    approve.get_by_label("Approval comment").fill("Look again after the filter ships.")
    approve.get_by_role("button", name="Approve the acceptance").click()
    expect(apage.get_by_role("status")).to_contain_text(f"accepted until {until.isoformat()}")
    screenshots(apage, "findings-detail")
    apage.goto(f"{base}/o/acme/security-findings/?status=accepted")
    expect(apage.locator("table.findings-table tbody tr")).to_have_count(1)
    screenshots(apage, "findings-list")
    other.close()

    finding = Finding.objects.for_org(org).get(rule_id="probe.prompt-injection.indirect")
    assert finding.status == "accepted" and finding.submitted_by == editor
    assert finding.approved_by == admin and finding.expires_on == until
    assert not browser_errors.unexpected, browser_errors.unexpected
