"""Forms that never lose what was typed, in a real browser:

- on an impact assessment's edit page, text typed in two sections and not yet saved is still
  there after an impact is added (the impact is added without reloading the page);
- on a planned management review, the minutes of two agenda items are saved one after the
  other, each on its own, and the second item's typed text survives the first item's save;
- leaving a page with unsaved text asks first.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from aims.e2e.conftest import sign_in

pytestmark = pytest.mark.browser



def dismissing(page: Page) -> list[str]:
    """From now on, dismiss every dialog the page opens; the returned list gets their types."""
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


def test_adding_an_impact_keeps_unsaved_sections(live_server, page: Page, browser_errors):
    from aims.catalog.services import catalog_load_all
    from aims.impact.models import ImpactAssessment
    from aims.impact.services import assessment_create
    from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org

    catalog_load_all()
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    ctx = ctx_for(org, editor)
    system = make_ai_system(ctx, name="Loan pre-screening assistant", owner=editor.pk)
    assessment = assessment_create(ctx=ctx, data={"ai_system": system.pk})
    # The one deliberate refusal (an impact without a description) is a 422 Chromium logs.
    browser_errors.allow(r"status of 422 .*/impacts/new/\)$")

    sign_in(page, live_server.url, editor.email)
    page.goto(f"{live_server.url}/o/acme/impact-assessments/{assessment.pk}/edit/")
    misuse = "Officers skipping low-ranked applications at month end."
    groups = "Young applicants and recent arrivals with thin credit files."
    page.get_by_label("Reasonably foreseeable misuse", exact=True).fill(misuse)
    page.get_by_label("Affected groups", exact=True).fill(groups)

    form = page.get_by_role("form", name="Add an impact")
    form.get_by_label("Area").select_option(label="Fairness and non-discrimination")
    form.get_by_label("Description").fill("Thin-file applicants are ranked lower.")
    form.get_by_label("Severity").select_option(label="4 – Major")
    form.get_by_label("Likelihood").select_option(label="3 – Possible")
    form.get_by_label("Reversibility").select_option(label="Hard to reverse")
    form.get_by_label("Scale").select_option(label="Group")
    form.get_by_label("Mitigations").fill("A senior officer reviews every low-ranked thin file.")
    form.get_by_label("Residual rating").select_option(label="Medium")
    form.get_by_role("button", name="Add impact").click()

    expect(page.locator("#impacts table").get_by_role("row").filter(
        has_text="Thin-file applicants are ranked lower.")).to_have_count(1)
    expect(page.locator("#impacts").get_by_role("status")).to_contain_text("Added the impact")
    # Both sections still hold what was typed, unsaved.
    expect(page.get_by_label("Reasonably foreseeable misuse", exact=True)).to_have_value(misuse)
    expect(page.get_by_label("Affected groups", exact=True)).to_have_value(groups)
    # A refused impact (no description) is shown in place; the sections are still there.
    form = page.get_by_role("form", name="Add an impact")
    form.get_by_label("Area").select_option(label="Privacy")
    form.get_by_role("button", name="Add impact").click()
    expect(page.locator("#impacts .errorlist").first).to_be_visible()
    expect(page.get_by_label("Affected groups", exact=True)).to_have_value(groups)

    # Leaving now asks first: the sections are not saved.
    dialogs = dismissing(page)
    page.get_by_role("button", name="View the assessment").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(re.compile(r"/edit/$"))

    # Saving the sections keeps them and the impact.
    page.get_by_role("button", name="Save sections").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the assessment.")
    a = ImpactAssessment.objects.for_org(org).get()
    assert (a.foreseeable_misuse, a.affected_groups) == (misuse, groups)
    assert a.impacts.count() == 1
    assert not browser_errors.unexpected, browser_errors.unexpected


def test_minutes_of_two_agenda_items_are_saved_independently(live_server, page: Page,
                                                             browser_errors):
    from django.utils import timezone

    from aims.catalog.services import catalog_load_all
    from aims.reviews.models import ManagementReview
    from aims.reviews.services import review_create
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()
    org = make_org("acme", "Acme Lending")
    admin = add_member(org, "admin")
    ctx = ctx_for(org, admin)
    review = review_create(ctx=ctx, data={
        "title": "AIMS review", "meeting_date": timezone.localdate(), "chair": admin.pk,
        "attendees": [admin.pk]})

    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/o/acme/management-reviews/{review.pk}/")
    # The agenda is compact: nine one-line items; no minutes box shows until one is opened.
    items = page.locator("details.agenda-item")
    expect(items).to_have_count(9)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, height

    first, second = items.nth(0), items.nth(1)
    first.locator("summary").click()
    second.locator("summary").click()
    first.get_by_label("Minutes", exact=True).fill("Every earlier action is done or on track.")
    second.get_by_label("Minutes", exact=True).fill("No change to the issues that matters to the AIMS.")
    first.get_by_role("button", name="Save minutes of item 1").click()
    expect(first.get_by_role("status")).to_have_text("Saved")
    # The second item's typed minutes survive the first item's save.
    expect(second.get_by_label("Minutes", exact=True)).to_have_value(
        "No change to the issues that matters to the AIMS.")
    second.get_by_role("button", name="Save minutes of item 2").click()
    expect(second.get_by_role("status")).to_have_text("Saved")
    # Saving the first again (its version moved on) is not a conflict.
    first.get_by_label("Minutes", exact=True).fill("Every earlier action is done.")
    with page.expect_response(re.compile(r"/minutes/$")) as saved:
        first.get_by_role("button", name="Save minutes of item 1").click()
    assert saved.value.status == 200
    expect(first.get_by_role("status")).to_have_text("Saved")

    stored = {i.position: i.minutes for i in
              ManagementReview.objects.for_org(org).get().items.all()}
    assert stored[1] == "Every earlier action is done."
    assert stored[2] == "No change to the issues that matters to the AIMS."
    # Nothing is unsaved now: leaving does not ask.
    dialogs = dismissing(page)
    page.reload()
    expect(items).to_have_count(9)
    assert dialogs == []
    expect(page.locator("details.agenda-item .badge.ok", has_text="Minuted")).to_have_count(2)
    assert not browser_errors.unexpected, browser_errors.unexpected


def test_requirements_are_picked_by_filtering_and_the_keyboard(live_server, page: Page,
                                                               browser_errors):
    from django.utils import timezone

    from aims.audits.services import programme_create
    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()
    org = make_org("acme", "Acme Lending")
    auditor = add_member(org, "auditor")
    programme_create(ctx=ctx_for(org, auditor), data={
        "name": "Programme", "start_date": timezone.localdate().replace(month=1, day=1)})

    sign_in(page, live_server.url, auditor.email)
    page.goto(f"{live_server.url}/o/acme/audits/new/")
    picker = page.locator(".field", has=page.get_by_text("Requirements in scope", exact=True))
    policy = page.get_by_role("checkbox", name=re.compile(r"^5\.2 "))
    context = page.get_by_role("checkbox", name=re.compile(r"^4\.1 "))
    expect(context).to_be_visible()
    filter_box = picker.get_by_role("searchbox", name="Filter Requirements in scope")
    filter_box.fill("AI policy")
    expect(context).to_be_hidden()
    expect(policy).to_be_visible()
    filter_box.press("Enter")  # filtering never submits the form
    expect(page).to_have_url(re.compile(r"/audits/new/$"))
    # From the filter, Tab reaches the first match and Space ticks it.
    filter_box.press("Tab")
    expect(page.get_by_role("checkbox", name=re.compile(r"^5\.2 "))).to_be_focused()
    page.keyboard.press("Space")
    expect(policy).to_be_checked()
    expect(picker.locator(".picker-count")).to_have_text(re.compile(r"^1 of \d+ chosen$"))
    filter_box.fill("")
    expect(context).to_be_visible()
    assert not browser_errors.unexpected, browser_errors.unexpected
