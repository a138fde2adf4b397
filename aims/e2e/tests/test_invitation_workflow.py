"""Joining by invitation in a real browser: an admin invites an external auditor for the dates
of the audit; the auditor opens the e-mailed link, creates an account (after a refused weak
password), accepts, and lands in the organisation; the admin sees the dates and ends the
access early, after which the auditor is shut out."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from aims.e2e.conftest import screenshots
from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser



def test_admin_invites_an_external_auditor_who_signs_up_and_accepts(
        live_server, page: Page, browser, browser_errors):
    from aims.catalog.services import catalog_load_all
    from aims.testing.factories import add_member, make_org

    catalog_load_all()
    org = make_org("acme", "Acme Lending")
    admin = add_member(org, "admin")
    browser_errors.allow(r"status of 422 .*/(members/invite|sign-up)/\)$")
    browser_errors.allow(r"status of 404 .*/o/acme/\)$")
    ends = datetime.date.today() + datetime.timedelta(days=21)

    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/o/acme/members/")
    expect(page.get_by_text("No invitations are waiting for an answer.")).to_be_visible()
    screenshots(page, "members-empty")
    page.get_by_role("button", name="Invite someone").first.click()
    page.get_by_label("E-mail address").fill("Ext.Auditor@Audit-Firm.example")
    page.locator("input[name=role][value=auditor]").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("An auditor's access needs an end date")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("Ext.Auditor@Audit-Firm.example")
    screenshots(page, "invite-error")
    page.get_by_label("Access ends on").fill(ends.isoformat())
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to ext.auditor@audit-firm.example")).to_be_visible()
    screenshots(page, "members-pending")

    (message,) = mail.outbox
    found = re.search(r"https?://\S+/invitations/[\w-]+/", str(message.body))
    assert found is not None, message.body
    link = found.group(0)
    invitee = browser.new_context(locale="en-GB").new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Invitation to Acme Lending")).to_be_visible()
    screenshots(invitee, "invitation")
    invitee.get_by_role("button", name="Create my account").click()
    invitee.get_by_label("Your name").fill("Esther Auditor")
    invitee.locator("input[name=password1]").fill("short")
    invitee.locator("input[name=password2]").fill("short")
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee.get_by_text("too short")).to_be_visible()
    screenshots(invitee, "signup-error")
    invitee.locator("input[name=password1]").fill("plum-orchard-lantern-88")
    invitee.locator("input[name=password2]").fill("plum-orchard-lantern-88")
    invitee.get_by_role("button", name="Create account").click()
    invitee.get_by_role("button", name="Accept and join").click()
    expect(invitee).to_have_url(re.compile(r"/o/acme/$"))
    expect(invitee.get_by_text("Welcome to Acme Lending")).to_be_visible()

    page.goto(f"{live_server.url}/o/acme/members/")
    row = page.get_by_role("row", name=re.compile("Esther Auditor"))
    expect(row).to_contain_text(ends.strftime("%-d %b %Y"))
    expect(row).to_contain_text("current")
    screenshots(page, "members-boxed")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="End access now").click()
    expect(page.get_by_text("access has ended")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Esther Auditor"))).to_contain_text("ended")

    invitee.goto(f"{live_server.url}/o/acme/")
    expect(invitee.get_by_role("heading", name="Not found")).to_be_visible()
    assert not browser_errors.unexpected, browser_errors.unexpected
