"""Sensitive actions in the web UI ask for the password again unless it was confirmed in the
last few minutes: creating an API token and removing a member. The submitted form is kept and
completed once the password is confirmed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aims.accounts.models import ApiToken
from aims.orgs.models import Membership
from aims.testing.factories import PASSWORD

REAUTH = "/account/reauthenticate/"


def fresh_sign_in(user) -> Client:
    """Signed in a while ago: the password has not been confirmed recently."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestTokens:
    def test_creating_a_token_asks_for_the_password_then_completes(self, members):
        user = members["editor"]
        client = fresh_sign_in(user)
        response = client.post("/account/tokens/", {"name": "ci", "expires_in_days": 30})
        assert response.status_code == 302
        assert response["Location"].startswith(REAUTH)
        assert not ApiToken.objects.filter(user=user).exists()
        confirmed = client.post(response["Location"], {"password": PASSWORD})
        assert confirmed.status_code == 200  # the kept form was completed
        assert ApiToken.objects.filter(user=user, name="ci").count() == 1

    def test_a_wrong_password_creates_nothing(self, members):
        client = fresh_sign_in(members["editor"])
        location = client.post("/account/tokens/", {"name": "ci"})["Location"]
        client.post(location, {"password": "not-the-password"})
        assert not ApiToken.objects.filter(user=members["editor"]).exists()

    def test_the_list_opens_without_it(self, members):
        assert fresh_sign_in(members["editor"]).get("/account/tokens/").status_code == 200


@pytest.mark.django_db
class TestMemberRemoval:
    def test_removing_asks_for_the_password_then_completes(self, org, members):
        target = Membership.objects.get(org=org, user=members["viewer"])
        client = fresh_sign_in(members["admin"])
        url = reverse("members:remove", args=[org.slug, target.pk])
        response = client.post(url, {"version": target.version})
        assert response.status_code == 302
        assert response["Location"].startswith(REAUTH)
        assert Membership.objects.filter(pk=target.pk).exists()
        client.post(response["Location"], {"password": PASSWORD})
        assert not Membership.objects.filter(pk=target.pk).exists()

    def test_a_role_without_the_right_is_refused_before_any_password(self, org, members):
        target = Membership.objects.get(org=org, user=members["viewer"])
        response = fresh_sign_in(members["editor"]).post(
            reverse("members:remove", args=[org.slug, target.pk]))
        assert response.status_code == 403
        assert Membership.objects.filter(pk=target.pk).exists()

    def test_a_bearer_token_is_the_credential_for_the_api(self, org, members, api_client_for):
        target = Membership.objects.get(org=org, user=members["viewer"])
        response = api_client_for(members["admin"]).delete(
            f"/api/v1/orgs/{org.slug}/members/{target.pk}?version={target.version}")
        assert response.status_code == 204


@pytest.mark.django_db
class TestTokenApiWithSession:
    URL = "/api/v1/me/tokens"

    def test_a_session_without_a_recent_password_is_refused_and_told_where_to_confirm(
            self, members):
        client = fresh_sign_in(members["editor"])
        response = client.post(self.URL, {"name": "ci"}, content_type="application/json")
        assert response.status_code == 403
        assert "/account/reauthenticate/" in response.json()["detail"]
        assert not ApiToken.objects.filter(user=members["editor"]).exists()

    def test_after_confirming_the_password_the_token_is_made(self, members):
        client = fresh_sign_in(members["editor"])
        page = client.get(REAUTH)
        assert page.status_code == 200
        client.post(REAUTH, {"password": PASSWORD})
        response = client.post(self.URL, {"name": "ci"}, content_type="application/json")
        assert response.status_code == 201
        assert response.json()["token"].startswith("aims_")


@pytest.mark.django_db
class TestMfaChanges:
    """Turning two-factor authentication off or making new recovery codes asks for the password
    (or a code) again, as allauth does for every change to it."""

    def _with_totp(self, user):
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)

    @pytest.mark.parametrize("path", ["/account/2fa/totp/deactivate/",
                                      "/account/2fa/recovery-codes/generate/"])
    def test_changing_mfa_asks_to_confirm_access_first(self, members, path):
        from allauth.mfa.models import Authenticator

        user = members["editor"]
        self._with_totp(user)
        before = list(Authenticator.objects.filter(user=user).order_by("pk").values("pk", "data"))
        client = fresh_sign_in(user)
        response = client.post(path, {})
        assert response.status_code == 302
        assert response["Location"].startswith(("/account/reauthenticate/",
                                                "/account/2fa/reauthenticate/"))
        after = list(Authenticator.objects.filter(user=user).order_by("pk").values("pk", "data"))
        assert before == after
