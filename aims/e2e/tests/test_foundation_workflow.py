"""The foundation workflow in a real browser, the way an editor would do it:

sign in → add an AI system (after a failed attempt) → exclude an Annex A control in the SoA
inline (after a refused placeholder) → export the SoA as XLSX and CSV → read the activity log.
"""

from __future__ import annotations

import csv
import datetime
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

SYSTEM_NAME = "Loan pre-screening assistant"
PURPOSE = "Ranks incoming loan applications so credit officers review the riskiest ones first."
CONTROL = "A.10.4"
JUSTIFICATION = ("We sell no AI products or services to customers; our AI systems are used "
                 "only by our own staff.")
ANNEX_A_CONTROLS = 38


def sidebar_link(page: Page, name: str):
    return page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name=name, exact=True)


def test_editor_builds_inventory_and_soa_then_exports(
        live_server, page: Page, browser_errors, tmp_path):
    from aims.catalog.services import catalog_load_all
    from aims.compliance.models import ComplianceItem
    from aims.inventory.models import AISystem
    from aims.testing.factories import add_member, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    # Chromium logs every 4xx response as a console error; 422 is how the app answers a form
    # with errors (htmx is configured to swap it in), so the two deliberate refusals are expected.
    browser_errors.allow(r"status of 422 .*/o/acme/(ai-systems/new|soa/A\.10\.4/edit)/\)$")

    # 1. Sign in; with one organisation the editor lands on its dashboard.
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    expect(page.get_by_role("heading", level=1, name="Acme Lending")).to_be_visible()
    assert page.evaluate("() => !!window.htmx"), "htmx did not load: the static file is missing"

    # 2. The inventory: a missing name is refused next to the field, then the system is added.
    sidebar_link(page, "AI systems").click()
    expect(page.get_by_role("heading", level=1, name="AI systems")).to_be_visible()
    page.get_by_role("button", name="Add an AI system").click()
    expect(page.get_by_role("heading", level=1, name="Add an AI system")).to_be_visible()

    page.get_by_label("Intended purpose").fill(PURPOSE)
    page.get_by_label("Deployer", exact=True).check()
    page.get_by_label("EU AI Act risk class").select_option(label="Limited risk (transparency)")
    # Set by hand, the class overrides the questionnaire's result and needs a reason.
    page.get_by_label("Reason for setting the EU class by hand").fill(
        "Counsel classified it before the questionnaire existed.")
    page.get_by_role("button", name="Add AI system").click()
    # The label reads "Name *" with the star hidden from assistive technology: find the field
    # by its accessible name, as a screen reader announces it.
    name_field = page.get_by_role("textbox", name="Name", exact=True)
    expect(name_field).to_have_attribute("aria-invalid", "true")
    name_error = page.locator(".field").filter(has=name_field).get_by_role("alert")
    expect(name_error).to_have_text("This field is required.")
    # What was typed survives the refusal.
    expect(page.get_by_label("Intended purpose")).to_have_value(PURPOSE)
    expect(page.get_by_label("Deployer", exact=True)).to_be_checked()
    assert not AISystem.objects.for_org(org).exists()

    name_field.fill(SYSTEM_NAME)
    page.get_by_role("button", name="Add AI system").click()
    expect(page.get_by_role("heading", level=1, name=SYSTEM_NAME)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"Added {SYSTEM_NAME} to the inventory.")
    expect(page.get_by_text("EU AI Act: Limited risk (transparency)")).to_be_visible()
    facts = page.locator("dl.facts").get_by_role("definition")
    expect(facts.filter(has_text=PURPOSE)).to_have_count(1)
    expect(facts.filter(has_text="Deployer")).to_have_count(1)

    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="AI systems").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=SYSTEM_NAME))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Deployer")
    expect(row).to_contain_text("Limited risk (transparency)")
    expect(row).to_contain_text("In scope")

    # 3. The SoA: exclude A.10.4 inline; a placeholder justification is refused in the row.
    sidebar_link(page, "Statement of Applicability").click()
    expect(page.get_by_role("heading", level=1, name="Statement of Applicability")).to_be_visible()
    soa_url = page.url
    page.evaluate("() => { window.__samePage = true; }")  # lost if the page navigates
    ctl_row = page.locator(f'[id="ctl-{CONTROL}"]')
    ctl_row.get_by_role("button", name=f"Edit {CONTROL}").click()

    form = page.get_by_role("form", name=f"Decision for {CONTROL}")
    expect(form).to_be_visible()
    form.get_by_label("Applicability").select_option(label="Excluded")
    form.get_by_label("Justification").fill("N/A")
    form.get_by_role("button", name=f"Save {CONTROL}").click()
    refusal = form.get_by_role("alert")
    expect(refusal).to_contain_text("“N/A” is a placeholder, not a justification")
    expect(ctl_row).to_have_class(re.compile(r"\bsoa-row-form\b"))
    expect(form.get_by_label("Applicability")).to_have_value("no")
    expect(form.get_by_label("Justification")).to_have_value("N/A")
    item = ComplianceItem.objects.for_org(org).get(requirement__ref=CONTROL)
    assert (item.applicable, item.justification) == (None, "")

    form.get_by_label("Justification").fill(JUSTIFICATION)
    form.get_by_role("button", name=f"Save {CONTROL}").click()
    expect(form).to_have_count(0)
    expect(ctl_row.get_by_role("status")).to_have_text("Saved")
    expect(ctl_row.get_by_role("cell").nth(1).locator(".badge")).to_have_text("Excluded")
    expect(ctl_row).to_contain_text(JUSTIFICATION)
    expect(ctl_row.get_by_role("button", name=f"Edit {CONTROL}")).to_be_visible()
    assert page.url == soa_url and page.evaluate("() => window.__samePage === true"), \
        "the inline edit navigated away instead of swapping the row"
    # The counters above the table refresh themselves after the inline save.
    expect(page.locator("#soa-stats")).to_contain_text("1 excluded")

    page.reload()
    expect(ctl_row.get_by_role("cell").nth(1).locator(".badge")).to_have_text("Excluded")
    expect(ctl_row).to_contain_text(JUSTIFICATION)
    expect(ctl_row.get_by_role("status")).to_have_count(0)

    # 4. Exports: the downloaded files carry the decision.
    today = datetime.date.today().strftime("%Y%m%d")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export XLSX").click()
    assert download.value.suggested_filename == f"acme-soa-{today}.xlsx"
    xlsx = tmp_path / download.value.suggested_filename
    download.value.save_as(xlsx)
    rows = list(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))
    header, data = list(rows[0]), rows[1:]
    assert {"Control", "Applicable", "Justification"} <= set(header)
    assert len(data) == ANNEX_A_CONTROLS
    by_ref = {r[header.index("Control")]: r for r in data}
    assert by_ref[CONTROL][header.index("Applicable")] == "No"
    assert by_ref[CONTROL][header.index("Justification")] == JUSTIFICATION

    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    assert download.value.suggested_filename == f"acme-soa-{today}.csv"
    csv_path = tmp_path / download.value.suggested_filename
    download.value.save_as(csv_path)
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert {"Control", "Applicable", "Justification"} <= set(records[0])
    assert len(records) == ANNEX_A_CONTROLS
    (a104,) = [r for r in records if r["Control"] == CONTROL]
    assert a104["Applicable"] == "No"
    assert a104["Justification"] == JUSTIFICATION

    # 5. The activity log shows both changes, attributed to the editor.
    sidebar_link(page, "Activity log").click()
    expect(page.get_by_role("heading", level=1, name="Activity log")).to_be_visible()
    events = page.get_by_role("row")
    created = events.filter(has_text=SYSTEM_NAME).filter(has_text="Created")
    expect(created).to_have_count(1)
    expect(created).to_contain_text(editor.email)
    changed = events.filter(has_text=f"{CONTROL} Customers").filter(has_text="Updated")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(editor.email)
    expect(changed).to_contain_text(JUSTIFICATION)

    assert not browser_errors.unexpected, browser_errors.unexpected
