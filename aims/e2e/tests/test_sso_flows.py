"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit in a second
process): the whole authorization-code flow over real HTTP with a cookie-keeping client that
follows redirects, as a browser does. Who the sign-in becomes, and what stays refused."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import requests

from aims.testing.oidc_provider.process import SSO_PASSWORD


class _Forms(HTMLParser):
    """The hidden inputs of a page's forms (the CSRF token and the `next` field)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden.setdefault(a["name"], a.get("value") or "")


def hidden_fields(html: str) -> dict[str, str]:
    parser = _Forms()
    parser.feed(html)
    return parser.hidden


def sso_sign_in(base: str, username: str) -> tuple[requests.Session, requests.Response]:
    """Press "Sign in with Test IdP" on aims's sign-in page, sign in at the provider, and
    follow every redirect back to aims; returns the client and the last page."""
    s = requests.Session()
    page = s.get(f"{base}/account/login/", timeout=180)
    assert "Sign in with Test IdP" in page.text
    token = hidden_fields(page.text)["csrfmiddlewaretoken"]
    at_idp = s.post(f"{base}/account/oidc/testidp/login/", timeout=180,
                    data={"csrfmiddlewaretoken": token}, headers={"Referer": page.url})
    assert at_idp.url.startswith("http://127.0.0.1:"), at_idp.url  # the provider's sign-in page
    assert "Test identity provider" in at_idp.text
    fields = hidden_fields(at_idp.text)
    back = s.post(at_idp.url, timeout=180, headers={"Referer": at_idp.url}, data={
        **fields, "username": username, "password": SSO_PASSWORD})
    return s, back


def signed_in_as(s: requests.Session, base: str) -> str | None:
    me = s.get(f"{base}/api/v1/me", timeout=180)
    return me.json()["email"] if me.status_code == 200 else None


@pytest.mark.django_db(transaction=True)
class TestSingleSignOn:
    def test_an_existing_account_signs_in_through_its_verified_address(self, live_server,
                                                                       oidc_provider):
        from allauth.socialaccount.models import SocialAccount

        from aims.testing.factories import UserFactory, make_org

        user = UserFactory.create(email="alice@acme.example.com", full_name="Alice")
        make_org("acme", "Acme Lending", owner=user)
        s, last = sso_sign_in(live_server.url, "alice")
        assert re.search(r"/o/acme/$", last.url), last.url
        assert signed_in_as(s, live_server.url) == "alice@acme.example.com"
        # The link is remembered by the provider's subject id; the password still works.
        assert SocialAccount.objects.filter(user=user, provider="testidp").count() == 1
        user.refresh_from_db()
        assert user.has_usable_password()
        # A second sign-in uses the link.
        s2, _again = sso_sign_in(live_server.url, "alice")
        assert signed_in_as(s2, live_server.url) == "alice@acme.example.com"

    def test_an_address_the_provider_did_not_verify_takes_over_no_account(self, live_server,
                                                                          oidc_provider):
        from allauth.socialaccount.models import SocialAccount

        from aims.testing.factories import UserFactory, make_org

        victim = UserFactory.create(email="victim@acme.example.com")
        make_org("acme", "Acme Lending", owner=victim)
        s, last = sso_sign_in(live_server.url, "mallory")
        assert signed_in_as(s, live_server.url) is None
        assert "/o/acme/" not in last.url
        assert not SocialAccount.objects.exists()

    def test_no_new_account_without_an_invitation_while_sign_up_is_closed(self, live_server,
                                                                          oidc_provider):
        from aims.accounts.models import User

        s, last = sso_sign_in(live_server.url, "newbie")
        assert signed_in_as(s, live_server.url) is None
        assert "closed" in last.text.lower()
        assert not User.objects.filter(email="newbie@acme.example.com").exists()

    def test_an_invitation_lets_sso_make_the_account(self, live_server, oidc_provider):
        from aims.accounts.models import User
        from aims.members.invitations import invitation_create
        from aims.testing.factories import UserFactory, ctx_for, make_org

        owner = UserFactory.create(email="owner@acme.example.com")
        org = make_org("acme", "Acme Lending", owner=owner)
        invitation_create(ctx=ctx_for(org, owner), email="newbie@acme.example.com",
                          role="editor", base_url=live_server.url + "/")
        s, last = sso_sign_in(live_server.url, "newbie")
        assert signed_in_as(s, live_server.url) == "newbie@acme.example.com"
        user = User.objects.get(email="newbie@acme.example.com")
        assert user.full_name == "Nora Newbie"
        assert not user.has_usable_password()
        # The invitation waits on the home page; nothing of the organisation is open yet.
        assert "Acme Lending" in last.text
        assert s.get(f"{live_server.url}/o/acme/", timeout=180).status_code == 404

    def test_an_authenticator_app_is_still_asked_for_after_the_provider(self, live_server,
                                                                        oidc_provider):
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        from aims.testing.factories import UserFactory, make_org

        user = UserFactory.create(email="tess@acme.example.com")
        TOTP.activate(user, generate_totp_secret())
        make_org("acme", "Acme Lending", owner=user)
        s, last = sso_sign_in(live_server.url, "tess")
        assert last.url.endswith("/account/2fa/authenticate/"), last.url
        assert signed_in_as(s, live_server.url) is None

    def test_an_organisation_requiring_mfa_sends_an_sso_member_to_enrol(self, live_server,
                                                                        oidc_provider):
        from aims.orgs.models import Organization
        from aims.testing.factories import UserFactory, add_member, make_org

        owner = UserFactory.create(email="owner@acme.example.com")
        org = make_org("acme", "Acme Lending", owner=owner)
        add_member(org, "editor", email="alice@acme.example.com")
        Organization.objects.filter(pk=org.pk).update(require_mfa=True)
        s, _ = sso_sign_in(live_server.url, "alice")
        assert signed_in_as(s, live_server.url) == "alice@acme.example.com"
        opened = s.get(f"{live_server.url}/o/acme/", timeout=180)
        assert re.search(r"/account/(reauthenticate|2fa/totp/activate)/", opened.url), opened.url
