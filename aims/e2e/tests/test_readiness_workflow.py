"""Readiness in a real browser, the way a governance lead would use it:

sign in → open Readiness → follow a finding (a risk without an owner) to the risk it names →
give the risk an owner → back on Readiness the finding is gone and the score has moved →
generate the implementation plan toward a target date and see its tasks by phase.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

RISK_TITLE = "Chatbot quotes fees that are not on the tariff"


def sidebar_link(page: Page, name: str):
    return page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name=name, exact=True)


def score(page: Page) -> int:
    return int(page.locator(".score-box .score strong").inner_text())


def test_lead_follows_a_finding_fixes_it_and_generates_the_plan(live_server, page: Page,
                                                                browser_errors):
    from aims.catalog.services import catalog_load_all
    from aims.readiness.models import PlanStep
    from aims.risks.services import risk_create
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    lead = add_member(org, "admin")
    risk = risk_create(ctx=ctx_for(org, lead), data={
        "title": RISK_TITLE, "category": "robustness", "owner": None,
        "inherent_likelihood": 2, "inherent_impact": 2, "treatment_option": "accept",
        "treatment_rationale": "Staff check every quoted fee against the tariff each week.",
        "residual_likelihood": 1, "residual_impact": 2})

    # 1. Sign in and open Readiness: not ready, and the risk without an owner is a finding.
    # The first request builds the URL map and the API schema: on a busy machine that alone
    # can take longer than the default timeout.
    page.goto(f"{live_server.url}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    sidebar_link(page, "Readiness").click()
    expect(page.get_by_role("heading", level=1, name="Readiness for certification")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Not ready for a Stage 1 audit")
           ).to_be_visible()
    before = score(page)
    finding = page.locator("li.finding", has_text="RISK-NO-OWNER")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("has no owner")

    # 2. Follow the finding to the record at fault, and give the risk an owner.
    finding.get_by_role("link", name=f"R-001 {RISK_TITLE}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"R-001 {RISK_TITLE}")
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Owner").select_option(label=lead.display_name)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved R-001.")
    risk.refresh_from_db()
    assert risk.owner_id == lead.pk

    # 3. Back on Readiness: the finding is gone and the score has moved.
    sidebar_link(page, "Readiness").click()
    expect(page.locator("li.finding", has_text="RISK-NO-OWNER")).to_have_count(0)
    assert score(page) > before

    # 4. Generate the plan toward a target date: the open findings become tasks by phase.
    page.get_by_role("navigation", name="Readiness").get_by_role(
        "link", name="Implementation plan").click()
    expect(page.get_by_text("No plan yet.")).to_be_visible()
    target = datetime.date.today() + datetime.timedelta(days=240)
    page.get_by_label("Target certification date").fill(target.isoformat())
    page.get_by_role("button", name="Generate plan").click()
    expect(page.get_by_role("status").first).to_contain_text("Generated the plan")
    expect(page.get_by_role("img", name=re.compile("Implementation plan timeline"))
           ).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=re.compile("Certification"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Book the Stage 1 audit"))).to_be_visible()
    steps = PlanStep.objects.for_org(org).count()
    assert steps > 3
    assert page.locator("table.plan-steps tbody tr").count() == steps

    assert not browser_errors.unexpected, browser_errors.unexpected
