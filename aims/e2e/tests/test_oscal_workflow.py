"""OSCAL in a real browser, as an editor would use it:

sign in → Exchange → OSCAL → download the SSP → upload a profile (another organisation's SoA)
→ read the dry run → import → land on the SoA with the decisions taken.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # UserFactory's password


def test_editor_downloads_oscal_and_imports_a_profile_after_a_dry_run(
        live_server, page: Page, browser_errors, tmp_path):
    from aims.catalog.services import catalog_load_all
    from aims.compliance.models import ComplianceItem
    from aims.compliance.services import compliance_item_update
    from aims.orgs.models import Membership
    from aims.oscal.exports import oscal_export
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    source = make_org("globex", "Globex Insurance")
    owner = ctx_for(source, Membership.objects.get(org=source, role="owner").user)
    justification = "We sell no AI system to customers, so nothing is owed to them."
    for ref, data in {"A.2.2": {"applicable": True, "inclusion_reason": "legal"},
                      "A.10.4": {"applicable": False, "justification": justification}}.items():
        item = ComplianceItem.objects.for_org(source).get(requirement__ref=ref)
        compliance_item_update(ctx=owner, ref=ref, version=item.version, data=data)
    profile = tmp_path / "globex-profile.json"
    profile.write_bytes(oscal_export(ctx=owner, model="profile")[0])

    org = make_org("acme", "Acme Lending")
    editor = add_member(org, "editor")
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(editor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))

    page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name="OSCAL export and import").click()
    expect(page.get_by_role("heading", level=1, name="OSCAL export and import")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"oscal-index-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})

    with page.expect_download() as download:
        page.get_by_role("link", name="Download system-security-plan JSON").click()
    ssp = json.loads(download.value.path().read_text())
    assert ssp["system-security-plan"]["metadata"]["oscal-version"] == "1.1.3"

    page.get_by_label("OSCAL profile (JSON)").set_input_files(str(profile))
    page.get_by_role("button", name="Check the profile (dry run)").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("^Dry run"))).to_be_visible()
    changes = page.get_by_role("table", name="What would change")
    expect(changes.get_by_role("row")).to_have_count(3)  # the header and two controls
    expect(changes).to_contain_text("A.10.4")
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"oscal-dry-run-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    assert ComplianceItem.objects.for_org(org).get(requirement__ref="A.10.4").applicable is None

    page.get_by_role("button", name="Import these decisions").click()
    expect(page).to_have_url(re.compile(r"/o/acme/soa/$"))
    expect(page.get_by_text("Imported the profile: 2 decisions changed.")).to_be_visible()
    excluded = ComplianceItem.objects.for_org(org).get(requirement__ref="A.10.4")
    assert excluded.applicable is False and excluded.justification == justification
    assert not browser_errors.unexpected, browser_errors.unexpected
