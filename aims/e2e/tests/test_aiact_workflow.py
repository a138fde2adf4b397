"""The EU AI Act classification in a real browser, the way a system owner would do it:

sign in → open a new AI system → answer the questionnaire, each answer bringing the next
question → see the result and its trace (high-risk, Annex III 4(a)) → save it → open the
obligation calendar and see the obligations with their dates and days left → give one an
owner and a status in its row and see it on the calendar → open the system's technical file
and see what is still missing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

SYSTEM_NAME = "Applicant ranking service"


def test_owner_classifies_a_new_system_as_high_risk_and_sees_its_obligations(
        live_server, page: Page, browser_errors):
    from aims.aiact.models import ClassificationVersion, ObligationItem
    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    system = make_ai_system(ctx_for(org, editor), name=SYSTEM_NAME,
                            roles=["provider", "deployer"], eu_risk_class="unassessed",
                            lifecycle_stage="design",
                            intended_purpose="Ranks job applicants for recruiters.")

    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))

    page.goto(f"{live_server.url}/o/acme/ai-systems/")
    page.get_by_role("link", name=SYSTEM_NAME).click()
    page.get_by_role("link", name="EU AI Act classification").click()
    expect(page.get_by_role("heading", level=1, name="EU AI Act classification")).to_be_visible()
    expect(page.get_by_text("supports, and does not replace, legal advice")).to_be_visible()

    # Each answer brings the next question (htmx swaps the questionnaire in place).
    page.locator("#ai_system-yes").check()
    page.locator("#gpai_model-no").check()
    page.locator("#exclusion-none").check()
    expect(page.locator("#prohibited-5_1_a")).to_be_visible()
    # Nothing to tick among the prohibited practices: ask for the next questions.
    page.get_by_role("button", name="Show the next questions").click()
    page.locator("#annex_i-none").check()
    page.locator("#annex_iii-4a").check()
    page.locator("#profiling-yes").check()
    page.locator("#becomes_provider-no").check()
    page.locator("#public_service-no").check()
    expect(page.locator("#transparency-50_1")).to_be_visible()
    page.get_by_role("button", name="Show the next questions").click()

    result = page.locator(".classification-result")
    expect(result.get_by_role("heading", level=2)).to_contain_text("High risk")
    expect(result).to_contain_text("An Annex III use (4(a))")
    expect(result).to_contain_text("Art. 6(3), last subparagraph")
    page.get_by_role("button", name="Save classification").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the classification")
    expect(page.get_by_text("Version 1, saved")).to_be_visible()
    saved = ClassificationVersion.objects.for_org(org).get()
    assert saved.result_class == "high" and saved.answers["annex_iii"] == ["4a"]

    page.get_by_role("link", name="Obligations").click()
    expect(page.get_by_role("heading", level=1, name="EU AI Act obligations")).to_be_visible()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile(
        "2 December 2027")))
    expect(section.get_by_role("heading", level=2)).to_contain_text(re.compile(r"in \d+ days"))
    expect(section.get_by_role("link", name="Art. 9", exact=True)).to_be_visible()
    expect(section.get_by_role("link", name="Art. 26", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("2 February 2025"))).to_be_visible()

    # Each obligation is an item to work: Art. 9 gets an owner and goes in progress, edited
    # in its row of the calendar, and stays so when the calendar is opened again.
    art9 = ObligationItem.objects.for_org(org).get(ai_system=system, ref="Art. 9")
    row = page.locator(f"#ob-{art9.pk}")
    expect(row.get_by_test_id("status")).to_have_text("Not started")
    row.get_by_role("button", name=f"Edit Art. 9 for {SYSTEM_NAME}").click()
    form = page.get_by_role("form", name=f"Art. 9 for {SYSTEM_NAME}")
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label("Owner").select_option(label=editor.display_name)
    form.get_by_label("How it is met").fill("Risk process RM-01 drafted; board review next.")
    form.get_by_role("button", name="Save Art. 9").click()
    expect(row.get_by_test_id("status")).to_have_text("In progress")
    expect(row.get_by_test_id("owner")).to_have_text(editor.display_name)
    page.reload()
    row = page.locator(f"#ob-{art9.pk}")
    expect(row.get_by_test_id("status")).to_have_text("In progress")
    expect(row.get_by_test_id("owner")).to_have_text(editor.display_name)
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tr[id^=ob-]")).to_have_count(1)

    # The system is now high-risk: its technical file is drafted from the record, each
    # section complete or saying what is missing (the new system has no human oversight yet).
    page.goto(f"{live_server.url}/o/acme/ai-systems/{system.pk}/")
    page.get_by_role("link", name="Technical documentation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Technical documentation (EU AI Act, Annex IV)")
    oversight = page.locator("section[data-section=oversight]")
    expect(oversight.get_by_role("heading")).to_contain_text("missing")
    expect(oversight.get_by_role("link", name="Fix this").first).to_be_visible()
    assert browser_errors.unexpected == []
