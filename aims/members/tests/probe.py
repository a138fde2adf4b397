"""How the tenancy, role and error matrices reach the membership and invitation routes and the
organisation's security settings (see aims.testing.tenancy)."""

from __future__ import annotations

import datetime
import re

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.utils import timezone

from aims.accounts.selectors import user_has_mfa
from aims.members.invitations import invitation_create
from aims.members.services import org_security_version
from aims.orgs.models import Membership
from aims.testing.factories import add_member


def build(world, ctx, tag: str) -> None:
    """A pending invitation (its link's token kept from the e-mail, for the invitee's pages),
    a time-boxed auditor whose access runs today, so ending it early can be tried, and an
    owner who uses an authenticator app, as an owner must before requiring one of everybody
    (the security settings themselves live on the organisation)."""
    sent = len(mail.outbox)
    inv = invitation_create(ctx=ctx, email=f"{tag.lower()}-invitee@example.net", role="viewer",
                            base_url="http://testserver/")
    found = re.search(r"/invitations/([\w-]+)/", str(mail.outbox[sent].body))
    assert found is not None
    token = found.group(1)
    today = timezone.localdate()
    auditor = add_member(world.org, "auditor", email=f"{tag.lower()}-external@{world.org.slug}"
                                                      ".example.com")
    boxed = Membership.objects.get(org=world.org, user=auditor)
    boxed.starts_on, boxed.ends_on = today - datetime.timedelta(days=3), today + \
        datetime.timedelta(days=30)
    boxed.save(update_fields=["starts_on", "ends_on"])
    world.extra.update(invitation=inv, invitation_token=token, boxed_membership=boxed)
    world.secrets += [inv.email, auditor.email, str(inv.pk), str(boxed.pk)]
    if not user_has_mfa(user=world.owner):
        TOTP.activate(world.owner, generate_totp_secret())


PATH_PARAMS = {"invitation_id": lambda w: w.extra["invitation"].pk}
ORG_UNIQUE_PARAMS = {"invitation_id"}
VERSIONED_BY = {"invitation_id": lambda w: w.extra["invitation"].version}
WEB_PARAMS = {**PATH_PARAMS, "token": lambda w: w.extra["invitation_token"]}

M = "/orgs/{slug}/members/{member_id}"
INV = "/orgs/{slug}/invitations/{invitation_id}"
ROUTE_PARAMS = {("POST", M + "/end"): {"member_id": lambda w: w.extra["boxed_membership"].pk}}

WRITE_PERMS = {"invitations": "members.manage", "security": "org.manage"}
# Who was invited is the admins' business (like the invitations' e-mail addresses).
ROUTE_PERMS = {("GET", "/orgs/{slug}/invitations"): "members.manage"}

BODIES = {
    ("POST", "/orgs/{slug}/invitations"):
        lambda s, i: {"email": "probe-invitee@example.org", "role": "viewer"},
    ("POST", INV + "/resend"): lambda s, i: {"version": i.extra["invitation"].version},
    ("POST", INV + "/revoke"): lambda s, i: {"version": i.extra["invitation"].version},
    ("POST", M + "/end"): lambda s, i: {"version": i.extra["boxed_membership"].version},
    ("PATCH", "/orgs/{slug}/security"):
        lambda s, i: {"version": org_security_version(org=i.org), "require_mfa": True},
}
