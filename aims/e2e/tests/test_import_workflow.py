"""Bringing an SoA in from a spreadsheet, in a real browser:

sign in → Exchange → Import from spreadsheets → upload the SoA workbook → the preview shows
each changed decision before → after and writes nothing → confirm → the SoA shows the
decisions.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import screenshots
from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser

EXCLUDED = "We build no AI systems ourselves: every system is bought and run by its vendor"


def _edited_soa(ctx) -> bytes:
    """The SoA export as a workbook a lead has edited: two decisions taken."""
    from openpyxl import load_workbook

    from aims.compliance.exports import soa_export

    content, _, _ = soa_export(ctx=ctx, fmt="xlsx")
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    titles = [c.value for c in sheet[1]]
    col = {t: titles.index(t) for t in titles}
    for row in sheet.iter_rows(min_row=2):
        if row[col["Control"]].value == "A.5.2":
            row[col["Applicable"]].value = "Yes"
            row[col["Reason for inclusion"]].value = "Legal or regulatory"
            row[col["Justification"]].value = "Our customers' contracts require it"
        if row[col["Control"]].value == "A.6.2.2":
            row[col["Applicable"]].value = "No"
            row[col["Justification"]].value = EXCLUDED
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_lead_imports_an_soa_spreadsheet_after_a_dry_run(live_server, page: Page,
                                                          browser_errors, tmp_path):
    from aims.catalog.services import catalog_load_all
    from aims.compliance.selectors import soa_item_get
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    lead = add_member(org, "admin")
    ctx = ctx_for(org, lead)
    workbook = tmp_path / "our-soa.xlsx"
    workbook.write_bytes(_edited_soa(ctx))

    page.goto(f"{live_server.url}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name="Import from spreadsheets").click()
    expect(page.get_by_role("heading", level=1, name="Import from spreadsheets")).to_be_visible()

    page.get_by_label("What the file holds").select_option(label="Statement of Applicability")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(str(workbook))
    page.get_by_role("button", name="Preview the import").click()

    # The dry run: what would change, and nothing written yet.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Preview of our-soa.xlsx")
    diff = page.locator("table.import-diff")
    expect(diff).to_contain_text("Control “A.6.2.2”")
    expect(diff).to_contain_text(EXCLUDED)
    expect(diff).to_contain_text("Legal or regulatory")
    expect(page.locator("dl.summary")).to_contain_text("Changed")
    assert soa_item_get(ctx=ctx, ref="A.6.2.2").applicable is None
    screenshots(page, "import-preview")

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text("Imported our-soa.xlsx: 0 new, 2 changed")).to_be_visible()
    screenshots(page, "import-done")

    # The SoA shows the decisions.
    page.get_by_role("link", name="Open the statement of applicability").click()
    expect(page).to_have_url(re.compile(r"/o/acme/soa/"))
    page.goto(f"{live_server.url}/o/acme/soa/?q=A.6.2.2")
    expect(page.get_by_text(EXCLUDED[:40])).to_be_visible()
    item = soa_item_get(ctx=ctx, ref="A.6.2.2")
    assert (item.applicable, item.justification) == (False, EXCLUDED)
    assert soa_item_get(ctx=ctx, ref="A.5.2").inclusion_reason == "legal"
    assert not browser_errors.unexpected, browser_errors.unexpected
