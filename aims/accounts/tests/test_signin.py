"""Signing in, out and back: allauth's flows with the e-mail as the login, the password policy,
password change and reset by e-mail, and throttling of repeated failures (django-axes)."""

from __future__ import annotations

import io
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from aims.accounts.services import user_create
from aims.core.errors import ValidationError
from aims.testing.factories import PASSWORD, UserFactory

LOGIN = "/account/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its own short-term counters in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", full_name="Alice Example")


def sign_in(client: Client, email: str, password: str, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def signed_in_as(client: Client):
    response = client.get("/api/v1/me")
    return response.json()["email"] if response.status_code == 200 else None


@pytest.mark.django_db
class TestSignIn:
    def test_email_and_password_sign_in_then_out(self, alice):
        client = Client()
        response = sign_in(client, "Alice@Example.com", PASSWORD)
        assert response.status_code == 302
        assert signed_in_as(client) == "alice@example.com"
        assert client.post(reverse("account_logout")).status_code == 302
        assert signed_in_as(client) is None

    def test_the_first_sign_in_address_still_leads_to_the_form(self):
        response = Client().get("/account/sign-in/?next=/o/acme/")
        assert response.status_code == 302
        assert response["Location"] == "/account/login/?next=/o/acme/"

    def test_the_page_labels_and_explains_each_field(self, db):
        html = Client().get(LOGIN).content.decode()
        for label in ("E-mail address", "Password", "Stay signed in on this device"):
            assert label in html
        assert html.count('class="help"') >= 3
        assert 'extends' not in html and "<title>Sign in · aims</title>" in html

    def test_wrong_password_is_refused_without_saying_which_part(self, alice):
        response = sign_in(Client(), "alice@example.com", "not-the-password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    def test_old_sign_out_address_signs_out(self, alice):
        client = Client()
        sign_in(client, "alice@example.com", PASSWORD)
        client.post("/account/sign-out/")
        assert signed_in_as(client) is None

    def test_signup_is_closed_by_default(self, db):
        response = Client().post("/account/signup/", {
            "email": "new@example.com", "password1": "a long enough phrase",
            "password2": "a long enough phrase"})
        assert "closed" in response.content.decode().lower()
        assert not UserFactory._meta.model.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
class TestPasswordPolicy:
    @pytest.mark.parametrize("password,rule", [("short-pw-1", "at least 12"),
                                               ("password1234", "too common")])
    def test_short_and_common_passwords_are_refused(self, password, rule):
        with pytest.raises(ValidationError) as exc:
            user_create(email="bob@example.com", password=password)
        assert rule in " ".join(exc.value.errors["password"])

    def test_a_long_phrase_is_accepted(self):
        assert user_create(email="bob@example.com", password="four words make a phrase")

    def test_change_needs_the_current_one_and_applies_the_policy(self, alice):
        client = Client()
        client.force_login(alice)
        url = reverse("account_change_password")
        page = client.get(url).content.decode()
        assert "Current password" in page and "At least 12 characters" in page
        refused = client.post(url, {"oldpassword": PASSWORD, "password1": "tooshort",
                                    "password2": "tooshort"})
        assert refused.status_code == 200 and "at least 12" in refused.content.decode()
        done = client.post(url, {"oldpassword": PASSWORD, "password1": "a brand new phrase",
                                 "password2": "a brand new phrase"})
        assert done.status_code == 302
        alice.refresh_from_db()
        assert alice.check_password("a brand new phrase")

    def test_reset_by_email_link(self, alice):
        client = Client()
        response = client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
        link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+)", mail.outbox[0].body)
        assert link, mail.outbox[0].body
        page = client.get(link.group(1), follow=True)
        form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
        assert "New password" in page.content.decode()
        done = client.post(form_url, {"password1": "reset to a new phrase",
                                      "password2": "reset to a new phrase"})
        assert done.status_code == 302
        alice.refresh_from_db()
        assert alice.check_password("reset to a new phrase")

    def test_reset_for_an_unknown_address_looks_the_same(self, db):
        response = Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password_done")
        assert mail.outbox == []


@pytest.mark.django_db
class TestThrottling:
    def test_thirty_wrong_passwords_then_the_right_one_is_refused(self, alice):
        """The attack: 30 wrong passwords in a few seconds, then the right one signed in."""
        client = Client()
        for i in range(30):
            sign_in(client, "alice@example.com", f"guess-number-{i}")
        response = sign_in(client, "alice@example.com", PASSWORD)
        assert response.status_code == 429
        assert "Sign-in locked" in response.content.decode()
        assert signed_in_as(client) is None

    def test_the_account_is_locked_whatever_address_tries_it(self, alice):
        for i in range(5):
            sign_in(Client(), "alice@example.com", f"guess-{i}", REMOTE_ADDR=f"10.0.0.{i + 1}")
        response = sign_in(Client(), "alice@example.com", PASSWORD, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 429

    def test_an_address_is_locked_whatever_account_it_tries(self, alice):
        for i in range(5):
            sign_in(Client(), f"someone{i}@example.com", "guess", REMOTE_ADDR="10.1.1.1")
        assert sign_in(Client(), "alice@example.com", PASSWORD,
                       REMOTE_ADDR="10.1.1.1").status_code == 429
        assert sign_in(Client(), "alice@example.com", PASSWORD,
                       REMOTE_ADDR="10.1.1.2").status_code == 302

    def test_a_success_before_the_limit_clears_the_count(self, alice):
        client = Client()
        for i in range(4):
            sign_in(client, "alice@example.com", f"guess-{i}")
        assert sign_in(client, "alice@example.com", PASSWORD).status_code == 302
        assert not AccessAttempt.objects.filter(username="alice@example.com",
                                                failures_since_start__gt=0).exists()

    def test_the_admin_sign_in_is_throttled_too(self, db):
        staff = UserFactory(email="op@example.com", is_staff=True, is_superuser=True)
        client = Client()
        for i in range(30):
            client.post("/admin/login/", {"username": staff.email, "password": f"guess-{i}"})
        response = client.post("/admin/login/?next=/admin/",
                               {"username": staff.email, "password": PASSWORD})
        assert response.status_code == 429
        assert client.get("/admin/").status_code == 302  # still signed out

    def test_aims_unlock_lifts_the_lock(self, alice):
        for i in range(6):
            sign_in(Client(), "alice@example.com", f"guess-{i}")
        assert sign_in(Client(), "alice@example.com", PASSWORD).status_code == 429
        out = io.StringIO()
        call_command("unlock", "Alice@example.com", "--ip", "127.0.0.1", stdout=out)
        assert "Unlocked alice@example.com and address 127.0.0.1" in out.getvalue()
        cache.clear()
        assert sign_in(Client(), "alice@example.com", PASSWORD).status_code == 302

    def test_aims_unlock_needs_a_target(self, db):
        with pytest.raises(CommandError, match="Name an account"):
            call_command("unlock")


@pytest.mark.django_db
def test_profile_shows_sign_in_methods_sessions_and_tokens(alice):
    from aims.accounts.services import token_create

    token_create(user=alice, name="CI")
    client = Client()
    sign_in(client, "alice@example.com", PASSWORD)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "alice@example.com" in html and "Change password" in html
    assert "Off" in html and "Turn on" in html  # two-factor authentication
    assert "Signed in on 1 device" in html and "1 active" in html
