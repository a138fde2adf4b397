"""Two-factor authentication in a real browser: turn on an authenticator app from the profile,
sign out, sign back in with a code from the app, then with a recovery code."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from aims.testing.factories import PASSWORD

pytestmark = pytest.mark.browser



def totp_now(secret: str, *, not_this: str | None = None) -> str:
    """The code an authenticator app shows now (waiting for the next one if told to)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    while True:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        if code != not_this:
            return code
        time.sleep(1)


def sign_in_with_password(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/", timeout=60_000)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/account/login/"))


def test_enrol_totp_then_sign_in_with_a_code_and_a_recovery_code(live_server, page: Page):
    from aims.testing.factories import UserFactory, make_org

    user = UserFactory.create(email="lead@acme.example.com", full_name="Lead")
    make_org("acme", "Acme Lending", owner=user)
    base = live_server.url

    # 1. Sign in with the password alone; the profile says two-factor is off.
    sign_in_with_password(page, base, user.email)
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    page.get_by_role("link", name="Lead", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Your profile")).to_be_visible()
    expect(page.get_by_text("Off", exact=True)).to_be_visible()

    # 2. Turn it on: the app's secret is on the page; the code computed from it activates it.
    page.get_by_role("link", name="Turn on").click()
    page.get_by_role("button", name="Activate").first.click()
    # Changing two-factor settings asks for the password again unless it was given recently.
    page.wait_for_url(re.compile(r"/account/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    enrol_code = totp_now(secret)
    page.get_by_label("Authenticator code").fill(enrol_code)
    page.get_by_role("button", name="Activate").click()
    # The recovery codes are shown once activation succeeds.
    codes_box = page.locator("#recovery_codes")
    expect(codes_box).to_be_visible()
    codes = codes_box.input_value().split()
    assert len(codes) >= 5, codes
    page.goto(f"{base}/account/profile/")
    expect(page.get_by_text("On", exact=True)).to_be_visible()
    sign_out(page)

    # 3. The password alone no longer signs in: a code from the app is asked for.
    sign_in_with_password(page, base, user.email)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/"))
    page.get_by_label("Authentication code").fill("000000" if enrol_code != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("ncorrect")
    page.get_by_label("Authentication code").fill(totp_now(secret, not_this=enrol_code))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    sign_out(page)

    # 4. Without the app: a recovery code signs in once.
    sign_in_with_password(page, base, user.email)
    page.get_by_label("Authentication code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    sign_out(page)
    sign_in_with_password(page, base, user.email)
    page.get_by_label("Authentication code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/"))
    expect(page.get_by_role("alert")).to_be_visible()


def test_owner_requires_mfa_and_a_member_enrols_before_seeing_the_organisation(
        live_server, page: Page):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from aims.testing.factories import UserFactory, add_member, make_org

    owner = UserFactory.create(email="owner@acme.example.com", full_name="Olive Owner")
    owner_secret = generate_totp_secret()
    TOTP.activate(owner, owner_secret)
    org = make_org("acme", "Acme Lending", owner=owner)
    member = add_member(org, "editor", email="ed@acme.example.com")
    base = live_server.url

    # 1. The owner signs in with a code and requires two-factor authentication of everyone.
    sign_in_with_password(page, base, owner.email)
    page.get_by_label("Authentication code").fill(totp_now(owner_secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    page.goto(f"{base}/o/acme/members/")
    page.get_by_label("Require two-factor authentication for every member").check()
    page.get_by_role("button", name="Save sign-in security").click()
    expect(page.get_by_text("Every member now needs two-factor authentication")).to_be_visible()
    sign_out(page)

    # 2. A member without it signs in and is sent to set it up, told why.
    sign_in_with_password(page, base, member.email)
    page.wait_for_url(re.compile(r"/account/(reauthenticate|2fa/totp/activate)/"))
    expect(page.get_by_text("Acme Lending requires two-factor authentication")).to_be_visible()
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/totp/activate/"))

    # 3. They enrol; the organisation opens.
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_now(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#recovery_codes")).to_be_visible()
    page.goto(f"{base}/o/acme/")
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
