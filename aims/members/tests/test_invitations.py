"""Invitations replace adding accounts: the attack that added anyone to a look-alike
organisation, then every step of an invitation's life, on the API and the web."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from aims.activity.models import Event
from aims.activity.services import log_verify
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.members.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_resend,
    invitation_revoke,
)
from aims.members.models import Invitation
from aims.members.services import org_create
from aims.orgs.models import Membership
from aims.testing.factories import UserFactory, ctx_for

API = "/api/v1"


def link_token(message) -> str:
    found = re.search(r"/invitations/([\w-]+)/", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def events(org, object_type="members.invitation"):
    return list(Event.objects.filter(org=org, object_type=object_type).order_by("seq"))


@pytest.fixture
def victim(db):
    return UserFactory(email="ceo@bigbank.example", full_name="Victoria Chief")


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


# --------------------------------------------------------------------------- the attack


@pytest.mark.django_db
def test_the_old_add_member_route_no_longer_adds_anyone(victim, api_client_for):
    """Anyone could start a look-alike organisation, add any account to it as owner and read
    back the victim's name; an unknown address answered "No user with e-mail …"."""
    attacker = UserFactory(email="mallory@example.org")
    client = api_client_for(attacker)
    assert client.post(f"{API}/orgs", {"slug": "bigbank-board",
                                       "name": "BigBank Board"}).status_code == 201
    response = client.post(f"{API}/orgs/bigbank-board/members",
                           {"email": victim.email, "role": "owner"})
    assert response.status_code == 405
    assert victim.full_name not in response.content.decode()
    assert not Membership.objects.filter(user=victim).exists()
    # The look-alike appears nowhere the victim looks.
    assert api_client_for(victim).get(f"{API}/orgs").json() == []
    web = Client()
    web.force_login(victim)
    assert "BigBank Board" not in web.get("/").content.decode()
    assert web.get("/o/bigbank-board/").status_code == 404


@pytest.mark.django_db
def test_an_invitation_answers_alike_whether_or_not_the_address_has_an_account(
        victim, api_client_for):
    attacker = UserFactory(email="mallory@example.org")
    client = api_client_for(attacker)
    client.post(f"{API}/orgs", {"slug": "bigbank-board", "name": "BigBank Board"})
    url = f"{API}/orgs/bigbank-board/invitations"
    known = client.post(url, {"email": victim.email, "role": "owner"})
    unknown = client.post(url, {"email": "nobody@bigbank.example", "role": "owner"})
    assert known.status_code == unknown.status_code == 201
    varying = {"id", "email", "expires_at", "sent_at", "created_at"}
    a, b = known.json(), unknown.json()
    assert set(a) == set(b)
    assert {k: v for k, v in a.items() if k not in varying} == \
        {k: v for k, v in b.items() if k not in varying}
    assert victim.full_name not in known.content.decode()
    assert "No user" not in unknown.content.decode()
    # Until the victim accepts, nothing changes for them, and nothing of theirs is shown.
    assert not Membership.objects.filter(user=victim).exists()
    assert api_client_for(victim).get(f"{API}/orgs").json() == []
    members = client.get(f"{API}/orgs/bigbank-board/members").json()
    assert [m["email"] for m in members] == [attacker.email]


# --------------------------------------------------------------------------- inviting


@pytest.mark.django_db
class TestInvite:
    def test_sends_a_link_and_stores_only_the_tokens_hash(self, org, admin_ctx, members):
        inv = invitation_create(ctx=admin_ctx, email="  New.Person@Example.com ", role="editor",
                                base_url="https://aims.example.org/")
        assert (inv.email, inv.role, inv.status, inv.invited_by) == (
            "new.person@example.com", "editor", "pending", members["admin"])
        (message,) = mail.outbox
        assert message.to == ["new.person@example.com"]
        assert org.name in message.subject
        token = link_token(message)
        assert f"https://aims.example.org/invitations/{token}/" in message.body
        assert len(token) >= 40
        assert not Invitation.all_orgs.filter(token_hash=token).exists()
        assert token not in str(list(Invitation.all_orgs.values()))
        assert inv.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)

    def test_expiry_follows_the_setting(self, admin_ctx, settings):
        settings.AIMS_INVITATION_DAYS = 2
        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        assert datetime.timedelta(days=1, hours=23) < inv.expires_at - timezone.now() \
            <= datetime.timedelta(days=2)
        assert "2 days" in mail.outbox[0].body

    def test_base_url_setting_wins_over_the_request(self, admin_ctx, settings):
        settings.AIMS_BASE_URL = "https://grc.example.net"
        invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer",
                          base_url="http://evil.example/")
        assert "https://grc.example.net/invitations/" in mail.outbox[0].body
        assert "evil" not in mail.outbox[0].body

    @pytest.mark.parametrize("role", ["editor", "viewer", "auditor"])
    def test_only_admins_invite(self, org, members, role):
        with pytest.raises(PermissionDenied):
            invitation_create(ctx=ctx_for(org, members[role]), email="a@example.com",
                              role="viewer")
        assert not Invitation.objects.for_org(org).exists() and not mail.outbox

    def test_only_owners_invite_owners(self, org, admin_ctx, owner_ctx):
        with pytest.raises(PermissionDenied):
            invitation_create(ctx=admin_ctx, email="a@example.com", role="owner")
        assert invitation_create(ctx=owner_ctx, email="a@example.com", role="owner").role == \
            "owner"

    def test_rules_name_their_field(self, org, admin_ctx, members):
        cases = [({"email": "not an address", "role": "viewer"}, "email"),
                 ({"email": "a@example.com", "role": "god"}, "role"),
                 ({"email": members["viewer"].email.upper(), "role": "editor"}, "email"),
                 ({"email": "b@example.com", "role": "auditor"}, "ends_on"),
                 ({"email": "b@example.com", "role": "editor",
                   "starts_on": datetime.date(2030, 5, 2),
                   "ends_on": datetime.date(2030, 5, 1)}, "ends_on"),
                 ({"email": "b@example.com", "role": "editor",
                   "ends_on": timezone.localdate() - datetime.timedelta(days=1)}, "ends_on")]
        for kwargs, field in cases:
            with pytest.raises(ValidationError) as exc:
                invitation_create(ctx=admin_ctx, **kwargs)
            assert field in exc.value.errors, kwargs
        assert not Invitation.objects.for_org(org).exists() and not mail.outbox

    def test_one_pending_invitation_per_address(self, admin_ctx):
        invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        with pytest.raises(ValidationError) as exc:
            invitation_create(ctx=admin_ctx, email="A@example.com", role="editor")
        assert "resend" in exc.value.errors["email"][0]

    def test_is_logged(self, org, admin_ctx, members):
        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="auditor",
                                ends_on=timezone.localdate() + datetime.timedelta(days=10))
        (ev,) = events(org)
        assert (ev.action, ev.actor, ev.object_id) == ("create", members["admin"], str(inv.pk))
        assert ev.changes["role"] == {"before": None, "after": "auditor"}
        assert log_verify(org=org).ok


# --------------------------------------------------------------------------- answering


@pytest.mark.django_db
class TestAnswer:
    def test_accept_joins_with_the_role_and_dates(self, org, admin_ctx):
        ends = timezone.localdate() + datetime.timedelta(days=20)
        inv = invitation_create(ctx=admin_ctx, email="Ext.Auditor@Example.com", role="auditor",
                                ends_on=ends)
        person = UserFactory(email="ext.auditor@example.com")
        m = invitation_accept(user=person, invitation_id=inv.pk)
        assert (m.org, m.role, m.starts_on, m.ends_on) == (org, "auditor", None, ends)
        inv.refresh_from_db()
        assert inv.status == "accepted" and inv.responded_at is not None
        accepted, joined = Event.objects.filter(org=org).order_by("-seq")[:2][::-1]
        assert (accepted.object_type, accepted.changes["status"]["after"]) == (
            "members.invitation", "accepted")
        assert (joined.object_type, joined.action, joined.actor) == (
            "orgs.membership", "create", person)
        assert log_verify(org=org).ok

    def test_accepting_needs_the_invited_address(self, org, admin_ctx, members):
        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        for someone in (members["viewer"], UserFactory(email="b@example.com")):
            with pytest.raises(NotFound):
                invitation_accept(user=someone, invitation_id=inv.pk)
            with pytest.raises(NotFound):
                invitation_decline(user=someone, invitation_id=inv.pk)
        inv.refresh_from_db()
        assert inv.status == "pending"

    def test_decline_is_logged_and_grants_nothing(self, org, admin_ctx):
        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        person = UserFactory(email="a@example.com")
        invitation_decline(user=person, invitation_id=inv.pk)
        assert not Membership.objects.filter(user=person).exists()
        assert events(org)[-1].changes == {"status": {"before": "pending",
                                                      "after": "declined"}}
        assert events(org)[-1].actor == person
        with pytest.raises(ValidationError):
            invitation_accept(user=person, invitation_id=inv.pk)

    def test_expired_cannot_be_accepted_until_resent(self, org, admin_ctx):
        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        Invitation.objects.for_org(org).filter(pk=inv.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1))
        person = UserFactory(email="a@example.com")
        with pytest.raises(ValidationError) as exc:
            invitation_accept(user=person, invitation_id=inv.pk)
        assert "expired" in exc.value.message
        first = link_token(mail.outbox[0])
        inv = invitation_resend(ctx=admin_ctx, invitation_id=inv.pk, version=inv.version)
        second = link_token(mail.outbox[1])
        assert first != second and inv.send_count == 2 and not inv.is_expired
        assert events(org)[-1].changes["send_count"] == {"before": 1, "after": 2}
        assert invitation_accept(user=person, invitation_id=inv.pk).role == "viewer"

    def test_revoked_cannot_be_accepted_or_resent(self, org, admin_ctx):
        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        inv = invitation_revoke(ctx=admin_ctx, invitation_id=inv.pk, version=inv.version)
        assert events(org)[-1].changes == {"status": {"before": "pending", "after": "revoked"}}
        with pytest.raises(ValidationError):
            invitation_accept(user=UserFactory(email="a@example.com"), invitation_id=inv.pk)
        with pytest.raises(ValidationError):
            invitation_resend(ctx=admin_ctx, invitation_id=inv.pk, version=inv.version)
        # A revoked address can be invited again.
        assert invitation_create(ctx=admin_ctx, email="a@example.com", role="editor")

    def test_stale_resend_or_revoke_is_a_conflict(self, admin_ctx):
        from aims.core.errors import Conflict

        inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
        invitation_resend(ctx=admin_ctx, invitation_id=inv.pk, version=1)
        with pytest.raises(Conflict):
            invitation_revoke(ctx=admin_ctx, invitation_id=inv.pk, version=1)

    def test_another_orgs_invitation_is_not_found(self, admin_ctx, other_org):
        owner = other_org.memberships.get().user
        theirs = invitation_create(ctx=ctx_for(other_org, owner), email="a@example.com",
                                   role="viewer")
        with pytest.raises(NotFound):
            invitation_revoke(ctx=admin_ctx, invitation_id=theirs.pk, version=1)
        with pytest.raises(NotFound):
            invitation_resend(ctx=admin_ctx, invitation_id=theirs.pk, version=1)


# --------------------------------------------------------------------------- the doors


@pytest.mark.django_db
def test_api_life_of_an_invitation(org, members, api_client_for):
    admin = api_client_for(members["admin"])
    base = f"{API}/orgs/{org.slug}/invitations"
    r = admin.post(base, {"email": "new@example.com", "role": "editor"})
    assert r.status_code == 201, r.content
    inv = r.json()
    assert (inv["state"], inv["invited_by"], inv["send_count"]) == (
        "pending", members["admin"].email, 1)
    assert "token" not in str(inv)
    assert [i["id"] for i in admin.get(base).json()] == [inv["id"]]
    assert api_client_for(members["viewer"]).get(base).status_code == 403
    r = admin.post(f"{base}/{inv['id']}/resend", {"version": inv["version"]})
    assert r.status_code == 200 and r.json()["send_count"] == 2
    person = UserFactory(email="new@example.com")
    mine = api_client_for(person)
    listed = mine.get(f"{API}/me/invitations").json()
    assert [(i["organisation"], i["role"]) for i in listed] == [(org.slug, "editor")]
    assert mine.post(f"{API}/me/invitations/{inv['id']}/accept").json() == {
        "slug": org.slug, "name": org.name, "role": "editor"}
    assert mine.get(f"{API}/me/invitations").json() == []
    assert [o["slug"] for o in mine.get(f"{API}/orgs").json()] == [org.slug]
    r = admin.post(base, {"email": "other@example.com", "role": "viewer"})
    r = admin.post(f"{base}/{r.json()['id']}/revoke", {"version": 1})
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert admin.post(f"{base}/{r.json()['id']}/revoke", {"version": 2}).status_code == 422
    # Someone else's invitation is unknown to you.
    r = admin.post(base, {"email": "third@example.com", "role": "viewer"})
    assert mine.post(f"{API}/me/invitations/{r.json()['id']}/accept").status_code == 404
    assert mine.post(f"{API}/me/invitations/{r.json()['id']}/decline").status_code == 404


@pytest.mark.django_db
def test_web_invite_sign_up_and_accept(org, members, web_client_for):
    admin = web_client_for(members["admin"])
    page = admin.get(f"/o/{org.slug}/members/invite/")
    assert page.status_code == 200 and "Time-boxed access" in page.content.decode()
    r = admin.post(f"/o/{org.slug}/members/invite/", {"email": "new@example.com",
                                                      "role": "auditor"})
    assert r.status_code == 422 and "needs an end date" in r.content.decode()
    assert 'value="new@example.com"' in r.content.decode()  # what was typed is kept
    ends = timezone.localdate() + datetime.timedelta(days=14)
    r = admin.post(f"/o/{org.slug}/members/invite/", {"email": "new@example.com",
                                                      "role": "auditor",
                                                      "ends_on": ends.isoformat()})
    assert r.status_code == 302
    listing = admin.get(f"/o/{org.slug}/members/").content.decode()
    assert "new@example.com" in listing and "Resend" in listing
    token = link_token(mail.outbox[-1])
    visitor = Client()
    page = visitor.get(f"/invitations/{token}/").content.decode()
    assert org.name in page and "Create my account" in page
    signup = f"/invitations/{token}/sign-up/"
    r = visitor.post(signup, {"full_name": "Nia New", "password1": "password",
                              "password2": "password"})
    assert r.status_code == 422 and "too common" in r.content.decode()
    r = visitor.post(signup, {"full_name": "Nia New", "password1": "plum-orchard-lantern-88",
                              "password2": "plum-orchard-lantern-88"})
    assert r.status_code == 302 and r.url == f"/invitations/{token}/"
    page = visitor.get(r.url).content.decode()
    assert "Accept and join" in page
    # Signing up again for the same address is refused (the account exists now).
    other = Client()
    r = other.post(signup, {"full_name": "X", "password1": "plum-orchard-lantern-88",
                            "password2": "plum-orchard-lantern-88"})
    assert r.status_code == 422
    inv = Invitation.objects.for_org(org).get()
    r = visitor.post(f"/invitations/{inv.pk}/accept/")
    assert r.status_code == 302 and r.url == f"/o/{org.slug}/"
    m = Membership.objects.get(org=org, user__email="new@example.com")
    assert (m.role, m.ends_on) == ("auditor", ends)
    listing = admin.get(f"/o/{org.slug}/members/").content.decode()
    assert ends.strftime("%-d %b %Y") in listing


@pytest.mark.django_db
def test_the_switcher_lists_invitations_not_organisations_until_accepted(org, admin_ctx,
                                                                         web_client_for):
    person = UserFactory(email="Pat@Example.com".lower())
    inv = invitation_create(ctx=admin_ctx, email="PAT@example.com", role="viewer")
    c = web_client_for(person)
    home = c.get("/").content.decode()
    assert "Invitations waiting for your answer" in home and org.name in home
    assert c.get(f"/o/{org.slug}/").status_code == 404
    assert c.post(f"/invitations/{inv.pk}/decline/").status_code == 302
    assert "Declined the invitation" in c.get("/").content.decode()
    assert org.name not in c.get("/").content.decode()
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_signed_in_as_someone_else_is_told_and_cannot_accept(org, admin_ctx, members,
                                                             web_client_for):
    invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
    token = link_token(mail.outbox[0])
    c = web_client_for(members["viewer"])
    page = c.get(f"/invitations/{token}/").content.decode()
    assert "but you are signed in as" in page and "Accept and join" not in page
    inv = Invitation.objects.for_org(org).get()
    assert c.post(f"/invitations/{inv.pk}/accept/").status_code == 404
    assert Client().get("/invitations/not-a-real-token/").status_code == 404


@pytest.mark.django_db
def test_web_resend_and_revoke(org, members, admin_ctx, web_client_for):
    inv = invitation_create(ctx=admin_ctx, email="a@example.com", role="viewer")
    admin = web_client_for(members["admin"])
    base = f"/o/{org.slug}/members/invitations/{inv.pk}"
    assert admin.post(f"{base}/resend/", {"version": 1}).status_code == 302
    assert len(mail.outbox) == 2
    assert admin.post(f"{base}/revoke/", {"version": 1}).status_code == 409
    assert admin.post(f"{base}/revoke/", {"version": 2}).status_code == 302
    inv.refresh_from_db()
    assert inv.status == "revoked"
    old = Client().get(f"/invitations/{link_token(mail.outbox[1])}/").content.decode()
    assert "revoked" in old and "Create my account" not in old
    assert web_client_for(members["viewer"]).post(f"{base}/resend/",
                                                  {"version": 3}).status_code == 403


@pytest.mark.django_db
def test_a_failing_mail_server_saves_nothing(org, admin_ctx, settings, api_client_for,
                                             members):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    r = api_client_for(members["admin"]).post(f"{API}/orgs/{org.slug}/invitations",
                                              {"email": "a@example.com", "role": "viewer"})
    assert r.status_code == 503 and "nothing was saved" in r.json()["detail"]
    assert not Invitation.objects.for_org(org).exists()
    assert not events(org)


@pytest.mark.django_db
def test_org_create_still_makes_its_owner_a_member(db):
    owner = UserFactory(email="founder@example.com")
    org = org_create(slug="fresh", name="Fresh", owner=owner)
    assert Membership.objects.get(org=org).role == "owner"
