"""How the tenancy, role and error matrices reach the membership and invitation routes (see
aims.testing.tenancy)."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.utils import timezone

from aims.members.invitations import invitation_create
from aims.orgs.models import Membership
from aims.testing.factories import add_member


def build(world, ctx, tag: str) -> None:
    """A pending invitation (its link's token kept from the e-mail, for the invitee's pages)
    and a time-boxed auditor whose access runs today, so ending it early can be tried."""
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


PATH_PARAMS = {"invitation_id": lambda w: w.extra["invitation"].pk}
ORG_UNIQUE_PARAMS = {"invitation_id"}
VERSIONED_BY = {"invitation_id": lambda w: w.extra["invitation"].version}
WEB_PARAMS = {**PATH_PARAMS, "token": lambda w: w.extra["invitation_token"]}

M = "/orgs/{slug}/members/{member_id}"
INV = "/orgs/{slug}/invitations/{invitation_id}"
ROUTE_PARAMS = {("POST", M + "/end"): {"member_id": lambda w: w.extra["boxed_membership"].pk}}

WRITE_PERMS = {"invitations": "members.manage"}
# Who was invited is the admins' business (like the invitations' e-mail addresses).
ROUTE_PERMS = {("GET", "/orgs/{slug}/invitations"): "members.manage"}

BODIES = {
    ("POST", "/orgs/{slug}/invitations"):
        lambda s, i: {"email": "probe-invitee@example.org", "role": "viewer"},
    ("POST", INV + "/resend"): lambda s, i: {"version": i.extra["invitation"].version},
    ("POST", INV + "/revoke"): lambda s, i: {"version": i.extra["invitation"].version},
    ("POST", M + "/end"): lambda s, i: {"version": i.extra["boxed_membership"].version},
}
