"""Bringing an internal AI control set in from an OSCAL catalog, in a real browser:

sign in → Frameworks → Import an OSCAL catalog → upload the catalog → the dry run lists its
sections and controls and writes nothing → create the framework → its page lists the controls
→ decide one → a newer version of the catalog retires a control and keeps the decision.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import screenshots
from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser



def test_lead_imports_a_catalog_and_decides_a_control(live_server, page: Page,
                                                      browser_errors, tmp_path):
    from aims.catalog.services import catalog_load_all
    from aims.frameworks.selectors import own_item_get
    from aims.oscal.tests.catalogs import catalog, catalog_v2, dump
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    lead = add_member(org, "admin")
    ctx = ctx_for(org, lead)
    v1, v2 = tmp_path / "controls-v1.json", tmp_path / "controls-v2.json"
    v1.write_bytes(dump(catalog()))
    v2.write_bytes(dump(catalog_v2()))

    page.goto(f"{live_server.url}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    page.goto(f"{live_server.url}/o/acme/frameworks/")
    expect(page.get_by_text("You have no framework of your own yet")).to_be_visible()
    page.get_by_role("button", name="Import an OSCAL catalog").click()
    screenshots(page, "catalog-import-empty")

    page.get_by_label("OSCAL catalog (JSON)").set_input_files(str(v1))
    page.get_by_role("button", name="Check the catalog (dry run)").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Dry run"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Drift monitoring")
    screenshots(page, "catalog-import-dry-run")
    page.get_by_role("button", name="Create the framework").click()

    expect(page.get_by_role("heading", level=1, name="Northwind internal AI controls")
           ).to_be_visible()
    expect(page.get_by_text("Imported Northwind internal AI controls")).to_be_visible()
    screenshots(page, "catalog-own-framework")
    page.get_by_role("link", name="O.1").click()
    page.get_by_role("button", name="Edit the decision").click()
    page.get_by_label("Applicability").select_option(label="Applicable")
    page.get_by_label("Reason for inclusion").select_option(label="Business requirement")
    page.get_by_label("Implementation status").select_option(label="Implemented")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the decision for ops-1.")).to_be_visible()
    screenshots(page, "catalog-own-control")

    # A newer version: ops-2 retired, the decision on ops-1 kept.
    page.goto(f"{live_server.url}/o/acme/oscal/import-catalog/")
    page.get_by_label("OSCAL catalog (JSON)").set_input_files(str(v2))
    page.get_by_role("button", name="Check the catalog (dry run)").click()
    expect(page.get_by_text("You already have this catalog")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("ops-2")
    screenshots(page, "catalog-update-dry-run")
    page.get_by_role("button", name="Update the framework").click()
    expect(page.locator(".flash-success")).to_contain_text("1 retired")
    code = "own-northwind-internal-ai-controls"
    assert own_item_get(ctx=ctx, code=code, ref="ops-1").status == "implemented"
    assert own_item_get(ctx=ctx, code=code, ref="ops-2").requirement.retired_in == "2.0"
    page.get_by_role("link", name="Coverage of other frameworks").click()
    own = page.locator("section", has=page.get_by_role("heading", name="Your own frameworks"))
    expect(own.get_by_role("table")).to_contain_text("Northwind internal AI controls")
    screenshots(page, "catalog-frameworks-index")
    assert not browser_errors.unexpected, browser_errors.unexpected
