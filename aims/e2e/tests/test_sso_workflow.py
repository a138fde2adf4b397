"""Single sign-on in a real browser against a real OpenID Connect provider (a second process):
the button on the sign-in page, the provider's own sign-in page, and back into aims."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aims.testing.oidc_provider.process import SSO_PASSWORD

pytestmark = pytest.mark.browser


def test_sign_in_with_the_organisations_identity_provider(live_server, oidc_provider,
                                                          page: Page):
    from aims.testing.factories import UserFactory, make_org

    user = UserFactory.create(email="alice@acme.example.com", full_name="Alice Adams")
    make_org("acme", "Acme Lending", owner=user)

    page.goto(f"{live_server.url}/account/login/", timeout=120_000)
    page.get_by_role("button", name="Sign in with Test IdP").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible(
        timeout=60_000)
    assert page.url.startswith("http://127.0.0.1:")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(SSO_PASSWORD)
    page.get_by_role("button", name="Log in at the provider").click()

    expect(page).to_have_url(re.compile(r"/o/acme/$"), timeout=60_000)
    expect(page.get_by_role("link", name="Alice Adams", exact=True)).to_be_visible()
