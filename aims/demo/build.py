"""Create the demo organisation through the same services people use, so its log is real."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from aims.accounts.models import User
from aims.accounts.services import user_create
from aims.compliance.selectors import soa_item_get
from aims.compliance.services import compliance_item_update
from aims.context.services import (
    context_issue_create,
    interested_party_create,
    scope_version_create,
)
from aims.demo import (
    MemberCtx,
    aiact,
    audits,
    content,
    documents,
    evidence,
    findings,
    frameworks,
    impact,
    improvement,
    inventory,
    objectives,
    people,
    reviews,
    risks,
    suppliers,
    tasks,
    techfile,
)
from aims.inventory.services import ai_system_create
from aims.members.invitations import invitation_accept, invitation_create
from aims.members.services import org_create
from aims.orgs.context import Ctx
from aims.orgs.models import Membership, Organization

DEFAULT_PASSWORD = "aims-demo-2026"
# Later areas may read what earlier ones created (an audit finds a risk, a review reads both).
DEMO_AREAS = (aiact, risks, impact, objectives, documents, people, suppliers, evidence, inventory,
              tasks, audits, improvement, findings, reviews, frameworks, techfile)


@dataclass(frozen=True)
class DemoResult:
    org: Organization
    created: bool
    users: dict[str, str]


def _user(email: str, name: str, password: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        return user_create(email=email, password=password, full_name=name, check_password=False)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_create(*, password: str = DEFAULT_PASSWORD) -> DemoResult:
    """Create the demo organisation once; later runs only reset the demo users' passwords."""
    users = {role: _user(email, name, password)
             for role, (email, name) in content.USERS.items()}
    emails = {role: u.email for role, u in users.items()}
    org = Organization.objects.filter(slug=content.ORG_SLUG).first()
    if org is not None:
        return DemoResult(org, False, emails)

    org = org_create(slug=content.ORG_SLUG, name=content.ORG_NAME, owner=users["owner"])
    owner = Ctx(org=org, user=users["owner"], role="owner", actor_label=users["owner"].email)
    # Members join as anyone does: invited, then accepting. The auditor is an external one,
    # whose access is limited to the dates of the audit work.
    today = timezone.localdate()
    for role in ("admin", "editor", "viewer", "auditor"):
        starts_on = ends_on = None
        if role == "auditor":
            starts_on = today - datetime.timedelta(days=content.AUDITOR_DAYS[0])
            ends_on = today + datetime.timedelta(days=content.AUDITOR_DAYS[1])
        inv = invitation_create(ctx=owner, email=users[role].email, role=role, notify=False,
                                starts_on=starts_on, ends_on=ends_on)
        invitation_accept(user=users[role], invitation_id=inv.pk)
    invitation_create(ctx=owner, email=content.PENDING_INVITATION[0],
                      role=content.PENDING_INVITATION[1], notify=False)
    admin = Ctx(org=org, user=users["admin"], role="admin", actor_label=users["admin"].email)
    editor = Ctx(org=org, user=users["editor"], role="editor", actor_label=users["editor"].email)

    for spec in content.AI_SYSTEMS:
        data = dict(spec)
        data["owner"] = users[data.pop("owner")].pk
        ai_system_create(ctx=editor, data=data, as_history=True)

    scope_version_create(ctx=admin, data=content.SCOPE_V1, based_on=0)
    scope_version_create(ctx=admin, data=content.SCOPE_V2, based_on=1)
    for kind, title, category, description, effect in content.ISSUES:
        context_issue_create(ctx=admin, data={"kind": kind, "title": title, "category": category,
                                              "description": description, "effect": effect})
    for name, category, needs, requirements, how in content.PARTIES:
        interested_party_create(ctx=admin, data={
            "name": name, "category": category, "needs": needs, "requirements": requirements,
            "how_addressed": how})

    reviewed = timezone.localdate() - datetime.timedelta(days=40)
    for ref, (reason, status, owner_role, justification, notes) in content.SOA.items():
        item = soa_item_get(ctx=admin, ref=ref)
        compliance_item_update(ctx=admin, ref=ref, version=item.version, data={
            "applicable": True, "inclusion_reason": reason, "status": status,
            "owner": users[owner_role].pk, "justification": justification, "notes": notes,
            "last_reviewed": reviewed})
    for ref, justification in content.EXCLUSIONS.items():
        item = soa_item_get(ctx=admin, ref=ref)
        compliance_item_update(ctx=admin, ref=ref, version=item.version, data={
            "applicable": False, "justification": justification, "owner": users["admin"].pk,
            "last_reviewed": reviewed})
    ctxs = {role: MemberCtx(org=org, user=users[role], role=role, actor_label=users[role].email)
            for role in users}
    # Each area adds its own realistic records (`aims/demo/<app>.py`), in dependency order.
    for area in DEMO_AREAS:
        area.build(ctxs=ctxs)
    assert Membership.objects.filter(org=org).count() == len(users)
    return DemoResult(org, True, emails)
