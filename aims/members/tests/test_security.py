"""An owner requires two-factor authentication of every member: the rule, its log entry, and
its enforcement on the organisation's pages and API."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.members.services import org_security_update, org_security_version
from aims.orgs.models import Membership, Organization
from aims.testing.factories import ctx_for


def enrol(user) -> None:
    """A real authenticator, as allauth stores one when a person sets up their app."""
    TOTP.activate(user, generate_totp_secret())


@pytest.fixture
def mfa_org(org, members):
    enrol(members["owner"])
    org_security_update(ctx=ctx_for(org, members["owner"]), require_mfa=True, version=1)
    org.refresh_from_db()
    return org


@pytest.mark.django_db
class TestService:
    def test_owner_with_mfa_requires_it_and_it_is_logged(self, org, members):
        enrol(members["owner"])
        assert org_security_update(ctx=ctx_for(org, members["owner"]), require_mfa=True,
                                   version=1) == 2
        org.refresh_from_db()
        assert org.require_mfa
        event = Event.objects.filter(org=org, object_type="orgs.organization").latest("seq")
        assert event.changes == {"require_mfa": {"before": False, "after": True}}
        assert event.actor_label == members["owner"].email
        assert org_security_version(org=org) == 2

    @pytest.mark.parametrize("role", ["admin", "editor", "viewer", "auditor"])
    def test_only_owners_may_change_it(self, org, members, role):
        enrol(members[role])
        with pytest.raises(PermissionDenied):
            org_security_update(ctx=ctx_for(org, members[role]), require_mfa=True, version=1)
        assert not Organization.objects.get(pk=org.pk).require_mfa

    def test_an_owner_without_mfa_is_refused_naming_the_rule(self, org, members):
        with pytest.raises(ValidationError) as exc:
            org_security_update(ctx=ctx_for(org, members["owner"]), require_mfa=True,
                                version=1)
        assert "require_mfa" in exc.value.errors
        assert "your own account" in exc.value.message
        assert not Organization.objects.get(pk=org.pk).require_mfa
        assert not Event.objects.filter(org=org, object_type="orgs.organization",
                                        changes__has_key="require_mfa").exists()

    def test_a_stale_version_is_a_conflict(self, mfa_org, members):
        with pytest.raises(Conflict) as exc:
            org_security_update(ctx=ctx_for(mfa_org, members["owner"]), require_mfa=False,
                                version=1)
        assert exc.value.current == {"version": 2, "require_mfa": True}
        assert Organization.objects.get(pk=mfa_org.pk).require_mfa

    def test_switching_it_off_needs_no_mfa_check(self, mfa_org, members):
        assert org_security_update(ctx=ctx_for(mfa_org, members["owner"]),
                                   require_mfa=False, version=2) == 3
        assert not Organization.objects.get(pk=mfa_org.pk).require_mfa


@pytest.mark.django_db
class TestEnforcement:
    def test_a_member_without_mfa_is_sent_to_enrol_with_the_reason(self, mfa_org, members,
                                                                    web_client_for):
        client = web_client_for(members["editor"])
        response = client.get(reverse("dashboard:index", args=[mfa_org.slug]), follow=True)
        # (allauth then asks for the password first when it was not given recently)
        assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
        assert "requires two-factor authentication" in response.content.decode()

    def test_every_page_of_the_organisation_is_closed_to_them(self, mfa_org, members,
                                                             web_client_for):
        client = web_client_for(members["viewer"])
        response = client.get(reverse("members:list", args=[mfa_org.slug]))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

    def test_a_member_with_mfa_opens_the_organisation(self, mfa_org, members, web_client_for):
        enrol(members["editor"])
        response = web_client_for(members["editor"]).get(
            reverse("dashboard:index", args=[mfa_org.slug]))
        assert response.status_code == 200

    def test_other_organisations_are_not_affected(self, mfa_org, other_org, members,
                                                  web_client_for):
        Membership.objects.create(org=other_org, user=members["editor"], role="viewer")
        response = web_client_for(members["editor"]).get(
            reverse("dashboard:index", args=[other_org.slug]))
        assert response.status_code == 200

    def test_the_api_refuses_a_token_without_mfa_naming_the_rule(self, mfa_org, members,
                                                                 api_client_for):
        response = api_client_for(members["editor"]).get(f"/api/v1/orgs/{mfa_org.slug}/members")
        assert response.status_code == 403
        assert "requires two-factor authentication" in response.json()["detail"]

    def test_the_api_refuses_a_session_without_mfa(self, mfa_org, members, web_client_for):
        response = web_client_for(members["editor"]).get(
            f"/api/v1/orgs/{mfa_org.slug}/ai-systems")
        assert response.status_code == 403
        assert "requires two-factor authentication" in response.json()["detail"]

    def test_the_api_answers_a_member_with_mfa(self, mfa_org, members, api_client_for):
        enrol(members["editor"])
        response = api_client_for(members["editor"]).get(f"/api/v1/orgs/{mfa_org.slug}/members")
        assert response.status_code == 200

    def test_a_non_member_still_gets_404(self, mfa_org, api_client_for):
        from aims.testing.factories import UserFactory

        response = api_client_for(UserFactory()).get(f"/api/v1/orgs/{mfa_org.slug}/members")
        assert response.status_code == 404


@pytest.mark.django_db
class TestWebAndApi:
    def test_the_owner_sets_it_on_the_members_page(self, org, members, web_client_for):
        enrol(members["owner"])
        client = web_client_for(members["owner"])
        page = client.get(reverse("members:list", args=[org.slug])).content.decode()
        assert "Require two-factor authentication for every member" in page
        assert "Set one up on your own account first" in page
        response = client.post(reverse("members:security", args=[org.slug]),
                               {"require_mfa": "on", "version": 1}, follow=True)
        assert "now needs two-factor authentication" in response.content.decode()
        assert Organization.objects.get(pk=org.pk).require_mfa

    def test_the_web_refuses_an_owner_without_mfa(self, org, members, web_client_for):
        response = web_client_for(members["owner"]).post(
            reverse("members:security", args=[org.slug]), {"require_mfa": "on", "version": 1})
        assert response.status_code == 422
        assert "your own account" in response.content.decode()
        assert not Organization.objects.get(pk=org.pk).require_mfa

    def test_admins_do_not_see_the_setting_and_cannot_post_it(self, org, members,
                                                               web_client_for):
        client = web_client_for(members["admin"])
        page = client.get(reverse("members:list", args=[org.slug])).content.decode()
        assert "Sign-in security" not in page
        response = client.post(reverse("members:security", args=[org.slug]),
                               {"require_mfa": "on", "version": 1})
        assert response.status_code == 403

    def test_api_get_and_patch(self, org, members, api_client_for):
        enrol(members["owner"])
        api = api_client_for(members["owner"])
        url = f"/api/v1/orgs/{org.slug}/security"
        assert api.get(url).json() == {"require_mfa": False, "version": 1}
        response = api.patch(url, {"require_mfa": True, "version": 1})
        assert response.status_code == 200, response.content
        assert response.json() == {"require_mfa": True, "version": 2}
        stale = api.patch(url, {"require_mfa": False, "version": 1})
        assert stale.status_code == 409

    def test_api_refuses_an_owner_without_mfa_naming_the_field(self, org, members,
                                                               api_client_for):
        response = api_client_for(members["owner"]).patch(
            f"/api/v1/orgs/{org.slug}/security", {"require_mfa": True, "version": 1})
        assert response.status_code == 422
        assert "require_mfa" in response.content.decode()

    def test_api_refuses_an_admin(self, org, members, api_client_for):
        response = api_client_for(members["admin"]).patch(
            f"/api/v1/orgs/{org.slug}/security", {"require_mfa": True, "version": 1})
        assert response.status_code == 403
