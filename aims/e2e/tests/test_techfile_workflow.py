"""The technical file of a high-risk system in a real browser: the owner opens it, sees which
sections are missing what, follows the fix link of one gap, fills it in on the system record,
and comes back to find that section complete."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import screenshots, sign_in

pytestmark = pytest.mark.browser

OVERSIGHT = "A credit officer reviews every decline before the applicant is told."


def test_fix_a_gap_of_the_technical_file(live_server, page: Page, browser_errors):
    from django.urls import get_resolver

    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    assert get_resolver().url_patterns
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    system = make_ai_system(ctx_for(org, editor), name="Loan scorer", roles=["provider"],
                            eu_risk_class="high", lifecycle_stage="development")
    base = live_server.url

    sign_in(page, base, editor.email)
    page.goto(f"{base}/o/acme/ai-systems/{system.pk}/")
    page.get_by_role("link", name="Technical documentation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Technical documentation (EU AI Act, Annex IV)")
    oversight = page.locator("section[data-section=oversight]")
    expect(oversight.get_by_role("heading")).to_contain_text("1 missing")
    expect(oversight).to_contain_text("Describe how people oversee the system.")
    before = page.get_by_test_id("completeness").inner_text()

    oversight.get_by_role("link", name="Fix this").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Loan scorer")
    page.get_by_label("Human oversight").fill(OVERSIGHT)
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Loan scorer")

    page.get_by_role("link", name="Technical documentation").click()
    oversight = page.locator("section[data-section=oversight]")
    expect(oversight.get_by_role("heading")).to_contain_text("Complete")
    expect(oversight).to_contain_text(OVERSIGHT)
    after = page.get_by_test_id("completeness").inner_text()
    assert int(after.split()[0]) == int(before.split()[0]) + 1
    screenshots(page, "techfile")
    assert not browser_errors.unexpected
