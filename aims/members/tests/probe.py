"""How the tenancy, role and error matrices reach the organisation's security settings (see
aims.testing.tenancy)."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from aims.accounts.selectors import user_has_mfa
from aims.members.services import org_security_version

BODIES = {
    ("PATCH", "/orgs/{slug}/security"):
        lambda s, i: {"version": org_security_version(org=i.org), "require_mfa": True},
}
WRITE_PERMS = {"security": "org.manage"}


def build(world, ctx, tag: str) -> None:
    """The owner uses an authenticator app, as an owner must before requiring one of
    everybody (the security settings themselves live on the organisation)."""
    if not user_has_mfa(user=world.owner):
        TOTP.activate(world.owner, generate_totp_secret())
