"""Personal API tokens, and the user/org/token management commands."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from aims.accounts.models import ApiToken, User
from aims.accounts.services import token_authenticate, token_create, token_revoke
from aims.core.errors import NotFound
from aims.orgs.models import Membership, Organization
from aims.testing.factories import UserFactory, signed_in_client

ME = "/api/v1/me"


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get_me(raw: str):
    return Client().get(ME, **bearer(raw))


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", full_name="Alice Example")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com")


@pytest.mark.django_db
class TestTokenService:
    def test_only_the_sha256_is_stored(self, alice):
        token, raw = token_create(user=alice, name="laptop")
        assert raw.startswith("aims_") and len(raw) > 40
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert stored.prefix == raw[:12]
        for field in ApiToken._meta.concrete_fields:
            assert raw not in str(getattr(stored, field.attname)), field.name

    def test_tokens_are_unique(self, alice):
        raws = {token_create(user=alice)[1] for _ in range(5)}
        assert len(raws) == 5

    def test_default_name(self, alice):
        token, _ = token_create(user=alice, name="  ")
        assert token.name.startswith("Token ")

    def test_authenticate(self, alice):
        _, raw = token_create(user=alice)
        assert token_authenticate(raw=raw) == alice
        assert token_authenticate(raw=raw + "x") is None
        assert token_authenticate(raw="") is None

    def test_authenticate_stamps_last_use(self, alice):
        token, raw = token_create(user=alice)
        assert token.last_used_at is None
        token_authenticate(raw=raw)
        token.refresh_from_db()
        assert token.last_used_at is not None

    def test_inactive_user_token_does_not_work(self, alice):
        _, raw = token_create(user=alice)
        User.objects.filter(pk=alice.pk).update(is_active=False)
        assert token_authenticate(raw=raw) is None

    def test_revoke(self, alice):
        token, raw = token_create(user=alice)
        revoked = token_revoke(user=alice, token_id=token.pk)
        assert revoked.revoked_at is not None
        assert token_authenticate(raw=raw) is None
        # Revoking twice keeps the first revocation time.
        assert token_revoke(user=alice, token_id=token.pk).revoked_at == revoked.revoked_at

    def test_cannot_revoke_someone_elses(self, alice, bob):
        token, raw = token_create(user=alice)
        with pytest.raises(NotFound):
            token_revoke(user=bob, token_id=token.pk)
        assert token_authenticate(raw=raw) == alice


@pytest.mark.django_db
class TestTokenApi:
    def test_bearer_token_authenticates(self, alice):
        _, raw = token_create(user=alice)
        r = get_me(raw)
        assert r.status_code == 200
        assert r.json()["email"] == "alice@example.com"

    def test_revoked_token_is_401(self, alice):
        token, raw = token_create(user=alice)
        assert get_me(raw).status_code == 200
        token_revoke(user=alice, token_id=token.pk)
        assert get_me(raw).status_code == 401

    @pytest.mark.parametrize("header", [
        "Bearer aims_unknown-token-that-was-never-issued",
        "Bearer not-even-our-prefix",
        "Bearer ",
        "Bearer",
        "Token aims_whatever",
        "aims_whatever",
        "Basic YWxpY2U6cGFzc3dvcmQ=",
    ])
    def test_unknown_or_malformed_is_401(self, alice, header):
        token_create(user=alice)
        assert Client().get(ME, HTTP_AUTHORIZATION=header).status_code == 401

    def test_no_header_is_401(self, db):
        assert Client().get(ME).status_code == 401

    def test_create_list_and_revoke_through_the_api(self, alice):
        _, raw = token_create(user=alice, name="bootstrap")
        # Managing tokens takes a signed-in session whose password was just confirmed.
        c = signed_in_client(alice)
        r = c.post(f"{ME}/tokens", data={"name": "ci", "expires_in_days": 30},
                   content_type="application/json")
        assert r.status_code == 201
        created = r.json()
        assert created["token"].startswith("aims_") and created["expires_at"]
        assert get_me(created["token"]).status_code == 200

        listed = Client().get(f"{ME}/tokens", **bearer(raw)).json()
        assert {t["name"] for t in listed} == {"bootstrap", "ci"}
        assert all("token" not in t and "token_hash" not in t for t in listed)

        r = c.delete(f"{ME}/tokens/{created['id']}")
        assert r.status_code == 204 and r.content == b""
        listed = {t["id"]: t for t in Client().get(f"{ME}/tokens", **bearer(raw)).json()}
        assert listed[created["id"]]["revoked_at"] is not None
        assert get_me(created["token"]).status_code == 401
        assert get_me(raw).status_code == 200

    def test_a_token_cannot_mint_or_revoke_tokens(self, alice):
        token, raw = token_create(user=alice, name="leaked")
        r = Client().post(f"{ME}/tokens", data={"name": "successor"},
                          content_type="application/json", **bearer(raw))
        assert r.status_code == 401
        assert Client().delete(f"{ME}/tokens/{token.pk}", **bearer(raw)).status_code == 401
        assert ApiToken.objects.filter(user=alice).count() == 1

    def test_expired_token_stops_working(self, alice):
        from datetime import timedelta

        from django.utils import timezone
        token, raw = token_create(user=alice, expires_in_days=1)
        assert get_me(raw).status_code == 200
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert get_me(raw).status_code == 401

    def test_cannot_revoke_another_users_token(self, alice, bob):
        alices, alice_raw = token_create(user=alice)
        c = Client()
        c.force_login(bob)
        r = c.delete(f"{ME}/tokens/{alices.pk}")
        assert r.status_code == 404
        assert get_me(alice_raw).status_code == 200
        assert ApiToken.objects.get(pk=alices.pk).revoked_at is None

    def test_malformed_token_id_is_not_a_500(self, alice):
        c = Client()
        c.force_login(alice)
        r = c.delete(f"{ME}/tokens/not-a-uuid")
        assert r.status_code in (404, 422)


@pytest.mark.django_db
class TestTokenCommand:
    def test_create_prints_only_the_token(self, alice):
        out = io.StringIO()
        call_command("token", "create", "--user", "alice@example.com", stdout=out)
        raw = out.getvalue().strip()
        assert out.getvalue() == raw + "\n"
        assert raw.startswith("aims_") and " " not in raw
        assert ApiToken.objects.get(user=alice).name == "CLI token"
        r = get_me(raw)
        assert r.status_code == 200
        assert r.json()["email"] == "alice@example.com"

    def test_create_for_unknown_user(self, db):
        with pytest.raises(CommandError, match=r"nobody@example\.com"):
            call_command("token", "create", "--user", "nobody@example.com")

    def test_list_and_revoke(self, alice):
        token, raw = token_create(user=alice, name="laptop")
        out = io.StringIO()
        call_command("token", "list", "--user", "alice@example.com", stdout=out)
        assert str(token.pk) in out.getvalue() and "active" in out.getvalue()
        assert raw not in out.getvalue()
        call_command("token", "revoke", "--user", "alice@example.com", str(token.pk),
                     stdout=io.StringIO())
        assert get_me(raw).status_code == 401

    def test_revoke_someone_elses_or_garbage(self, alice, bob):
        token, _ = token_create(user=alice)
        with pytest.raises(CommandError):
            call_command("token", "revoke", "--user", "bob@example.com", str(token.pk))
        with pytest.raises(CommandError):
            call_command("token", "revoke", "--user", "bob@example.com", "garbage")
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.django_db
class TestUserAndOrgCommands:
    def test_user_create(self):
        out = io.StringIO()
        call_command("user", "create", "Carol@Example.com", "--password", "long-enough-pass-42",
                     "--name", "Carol", stdout=out)
        user = User.objects.get(email="carol@example.com")
        assert user.full_name == "Carol"
        assert user.check_password("long-enough-pass-42")
        assert not user.is_staff
        assert "Created user carol@example.com" in out.getvalue()

    def test_user_create_staff_without_password(self, monkeypatch):
        from aims.ops.management.commands.user import Command

        monkeypatch.setattr(Command, "stdin_is_tty", staticmethod(lambda: False))  # no prompt
        out = io.StringIO()
        call_command("user", "create", "ops@example.com", "--staff", stdout=out)
        user = User.objects.get(email="ops@example.com")
        assert user.is_staff and user.is_superuser
        assert not user.has_usable_password()
        assert "cannot sign in yet" in out.getvalue()

    def test_user_create_duplicate(self, alice):
        with pytest.raises(CommandError, match="already exists"):
            call_command("user", "create", "ALICE@example.com", "--password", "long-enough-42!")
        assert User.objects.filter(email="alice@example.com").count() == 1

    def test_user_create_bad_input(self, db):
        with pytest.raises(CommandError, match="valid e-mail"):
            call_command("user", "create", "not-an-email", "--password", "long-enough-42!")
        with pytest.raises(CommandError, match="password"):
            call_command("user", "create", "dan@example.com", "--password", "password")
        assert not User.objects.filter(email="dan@example.com").exists()

    def test_org_create(self, alice):
        out = io.StringIO()
        call_command("org", "create", "initech", "--name", "Initech", "--owner",
                     "alice@example.com", stdout=out)
        org = Organization.objects.get(slug="initech")
        assert org.name == "Initech"
        assert Membership.objects.get(org=org).user == alice
        assert Membership.objects.get(org=org).role == "owner"
        assert org.log_head_seq == 1
        assert "Created organisation initech" in out.getvalue()

    def test_org_create_duplicate(self, alice):
        call_command("org", "create", "initech", "--name", "Initech", "--owner",
                     "alice@example.com", stdout=io.StringIO())
        with pytest.raises(CommandError, match="already taken"):
            call_command("org", "create", "initech", "--name", "Other", "--owner",
                         "alice@example.com")
        assert Organization.objects.filter(slug="initech").count() == 1
        assert Organization.objects.get(slug="initech").name == "Initech"

    def test_org_create_bad_input(self, alice):
        with pytest.raises(CommandError, match=r"nobody@example\.com"):
            call_command("org", "create", "initech", "--name", "Initech", "--owner",
                         "nobody@example.com")
        with pytest.raises(CommandError):
            call_command("org", "create", "Not A Slug!", "--name", "X", "--owner",
                         "alice@example.com")
        assert not Organization.objects.exists()
