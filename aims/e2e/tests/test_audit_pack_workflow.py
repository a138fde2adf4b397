"""The audit pack in a real browser, as a governance lead preparing for an audit would use it:

sign in → Check → Audit pack → choose the period → download → the ZIP verifies offline and its
evidence is the file covering that period.
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from aims.e2e.conftest import screenshots
from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser



def test_lead_downloads_the_pack_for_a_period(live_server, page: Page, browser_errors,
                                              tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from aims.catalog.services import catalog_load_all
    from aims.evidence.services import evidence_create
    from aims.exchange.verify import pack_verify
    from aims.testing.factories import add_member, ctx_for, make_org

    catalog_load_all()  # a transactional test before this one may have flushed it
    org = make_org("acme", "Acme Lending")
    lead = add_member(org, "admin")
    with transaction.atomic():
        evidence = evidence_create(ctx=ctx_for(org, lead), data={
            "title": "Bias test results Q1", "effective_from": datetime.date(2026, 1, 1),
            "effective_to": datetime.date(2026, 3, 31)},
            upload=SimpleUploadedFile("bias-q1.csv", b"group,rate\nA,0.91\nB,0.90\n"))

    page.goto(f"{live_server.url}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    page.get_by_role("complementary", name="AIMS areas").get_by_role(
        "link", name="Audit pack", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Audit pack")).to_be_visible()

    # A period that ends before it starts is refused, and what was typed stays.
    page.get_by_label("From").fill("2026-06-30")
    page.get_by_label("To").fill("2026-01-01")
    page.get_by_role("button", name="Download the audit pack").click()
    expect(page.get_by_text("before it starts")).to_be_visible()
    expect(page.get_by_label("From")).to_have_value("2026-06-30")
    browser_errors.allow("422")

    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-06-30")
    screenshots(page, "audit-pack")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the audit pack").click()
    assert download.value.suggested_filename == "acme-audit-pack-20260101-20260630.zip"
    path = tmp_path / "pack.zip"
    download.value.save_as(path)

    assert pack_verify(path).ok
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert [f["record"] for f in manifest["files"] if f["section"] == "evidence"] == [
        evidence.ref]
    assert not browser_errors.unexpected, browser_errors.unexpected
