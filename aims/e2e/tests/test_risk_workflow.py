"""The risk workflow in a real browser, the way an editor would do it:

sign in → open an AI system → add a risk for it through the form, linking Annex A control
A.6.2.6 → see the risk named on that control's SoA row (applicable, for risk treatment) →
find it counted in its heat-map cell → follow the cell to the register narrowed to it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

SYSTEM_NAME = "Customer service chatbot"
RISK_TITLE = "Chatbot states wrong fees and repayment dates"
CONTROL = "A.6.2.6"
CONTROL_LABEL = "A.6.2.6 AI system operation and monitoring"
CELL = "Likelihood 4, impact 5: 1 risk, critical level"


def sidebar_link(page: Page, name: str):
    return page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name=name, exact=True)


def test_editor_records_a_risk_links_a_control_and_finds_it_on_soa_and_heat_map(
        live_server, page: Page, browser_errors):
    from aims.catalog.services import catalog_load_all
    from aims.compliance.models import ComplianceItem
    from aims.risks.models import Risk
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    make_ai_system(ctx_for(org, editor), name=SYSTEM_NAME, eu_risk_class="limited",
                   intended_purpose="Answers customer questions about loans and repayments.")

    # 1. Sign in; with one organisation the editor lands on its dashboard.
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))

    # 2. From the AI system's page, add a risk for it.
    sidebar_link(page, "AI systems").click()
    page.get_by_role("link", name=SYSTEM_NAME).click()
    expect(page.get_by_role("heading", level=1, name=SYSTEM_NAME)).to_be_visible()
    page.get_by_role("navigation", name=f"About {SYSTEM_NAME}").get_by_role(
        "link", name="Risks").click()
    expect(page.get_by_role("heading", level=2, name="AI risks")).to_be_visible()
    page.get_by_role("button", name="Add a risk for this system").click()
    expect(page.get_by_role("heading", level=1, name="Add a risk")).to_be_visible()
    # The system the page was opened from is already ticked.
    expect(page.get_by_label(SYSTEM_NAME, exact=True)).to_be_checked()

    page.get_by_role("textbox", name="Risk", exact=True).fill(RISK_TITLE)
    page.get_by_label("Category").select_option(label="Robustness and reliability")
    page.get_by_label("Inherent likelihood").select_option(label="4 · Likely")
    page.get_by_label("Inherent impact").select_option(label="5 · Severe")
    page.get_by_label(CONTROL_LABEL).check()
    page.get_by_role("button", name="Add risk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"R-001 {RISK_TITLE}")
    expect(page.get_by_role("status").first).to_contain_text("Added R-001 to the risk register.")
    expect(page.get_by_text("20 · Critical")).to_be_visible()
    risk = Risk.objects.for_org(org).get()
    assert [c.requirement.ref for c in risk.controls.all()] == [CONTROL]

    # 3. The SoA row of the linked control: applicable, for risk treatment, naming R-001.
    sidebar_link(page, "Statement of Applicability").click()
    expect(page.get_by_role("heading", level=1, name="Statement of Applicability")).to_be_visible()
    row = page.locator(f'[id="ctl-{CONTROL}"]')
    decision = row.get_by_role("cell").nth(1)  # the decision and its reason share a column
    expect(decision.locator(".badge")).to_have_text("Applicable")
    expect(decision).to_contain_text("Risk treatment")
    expect(row.get_by_role("link", name="R-001")).to_be_visible()
    item = ComplianceItem.objects.for_org(org).get(requirement__ref=CONTROL)
    assert (item.applicable, item.inclusion_reason) == (True, "risk_treatment")

    # 4. The SoA links back to the risk; the register shows it on its heat map.
    row.get_by_role("link", name="R-001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"R-001 {RISK_TITLE}")
    sidebar_link(page, "AI risk register").click()
    expect(page.get_by_role("heading", level=1, name="AI risk register")).to_be_visible()
    cell = page.get_by_role("link", name=CELL)
    expect(cell).to_have_count(1)  # the inherent map; the residual one has nothing yet
    expect(cell).to_contain_text("1")

    # 5. The cell leads to the register narrowed to it.
    cell.click()
    expect(page).to_have_url(re.compile(r"basis=inherent&likelihood=4&impact=5"))
    expect(page.get_by_role("status")).to_contain_text(
        "one inherent-risk heat-map cell: likelihood 4, impact 5")
    rows = page.locator("table.risk-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("R-001")
    expect(rows.first).to_contain_text(SYSTEM_NAME)

    # 6. The heat map has its own page too, with the same count in the same cell.
    sidebar_link(page, "Heat map").click()
    expect(page.get_by_role("heading", level=1, name="AI risk heat map")).to_be_visible()
    expect(page.get_by_role("link", name=CELL)).to_contain_text("1")

    assert not browser_errors.unexpected, browser_errors.unexpected
