"""Sessions: they end after AIMS_SESSION_IDLE_MINUTES without a request, every request renews
them, and "sign out everywhere" ends the others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from aims.accounts.sessions import RENEWED_KEY
from aims.testing.factories import PASSWORD, UserFactory


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", full_name="Alice Example")


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def who(client: Client) -> str | None:
    response = client.get("/api/v1/me")
    return response.json()["email"] if response.status_code == 200 else None


def test_the_idle_limit_is_an_hour_by_default():
    assert settings.AIMS_SESSION_IDLE_MINUTES == 60
    assert settings.SESSION_COOKIE_AGE == 3600
    # Renewed by every request, written at most once a minute.
    assert settings.AIMS_SESSION_RENEW_SECONDS == 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def idle_for(client: Client, minutes: int) -> None:
    """As if the session's last request had been `minutes` ago."""
    session = client.session
    session[RENEWED_KEY] -= minutes * 60
    session.save()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=60 - minutes))


@pytest.mark.django_db
class TestIdleTimeout:
    def test_each_request_pushes_the_end_back(self, alice):
        client = signed_in_client(alice)
        idle_for(client, 59)  # one minute left
        assert who(client) == alice.email
        left = session_row(client).expire_date - timezone.now()
        assert timedelta(minutes=59) < left <= timedelta(minutes=60)

    def test_a_session_renewed_within_the_minute_is_not_written_again(
            self, alice, django_assert_num_queries):
        client = signed_in_client(alice)
        before = session_row(client).expire_date
        # The session and the user are read; nothing is written.
        with django_assert_num_queries(2):
            assert who(client) == alice.email
        assert session_row(client).expire_date == before
        idle_for(client, 1)
        assert who(client) == alice.email
        assert session_row(client).expire_date - timezone.now() > timedelta(minutes=59)

    def test_a_cookie_of_an_ended_session_starts_no_new_one(self, alice):
        client = signed_in_client(alice)
        Session.objects.all().delete()
        assert who(client) is None
        assert not Session.objects.exists()

    def test_a_session_idle_past_the_limit_is_signed_out(self, alice):
        client = signed_in_client(alice)
        Session.objects.filter(pk=client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1))
        assert who(client) is None
        response = client.get("/")
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]

    def test_the_limit_follows_the_setting(self, alice, settings):
        settings.SESSION_COOKIE_AGE = 15 * 60
        client = signed_in_client(alice)
        assert who(client) == alice.email
        left = session_row(client).expire_date - timezone.now()
        assert timedelta(minutes=14) < left <= timedelta(minutes=15)


@pytest.mark.django_db
class TestSignOutEverywhere:
    def test_the_profile_leads_to_it(self, alice):
        client = signed_in_client(alice)
        page = client.get("/account/profile/").content.decode()
        assert "/account/sessions/" in page and "sign out everywhere else" in page
        listing = client.get("/account/sessions/")
        assert listing.status_code == 200
        assert "Sign out" in listing.content.decode()

    def test_it_ends_every_other_session_and_keeps_this_one(self, alice):
        laptop, phone, tablet = (signed_in_client(alice) for _ in range(3))
        assert [who(c) for c in (laptop, phone, tablet)] == [alice.email] * 3
        response = laptop.post("/account/sessions/")
        assert response.status_code == 302
        assert who(laptop) == alice.email
        assert who(phone) is None and who(tablet) is None
        assert phone.get("/").status_code == 302  # back to the sign-in page
