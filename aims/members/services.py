"""Creating organisations and managing who belongs to them."""

from __future__ import annotations

import uuid

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction

from aims.accounts.selectors import user_has_mfa
from aims.accounts.services import user_get_by_email
from aims.activity.models import Event
from aims.activity.services import record
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.core.models import TenantModel
from aims.orgs.context import Ctx
from aims.orgs.models import Membership, Organization
from aims.orgs.permissions import Role
from aims.orgs.selectors import member_get
from aims.records import hooks
from aims.records.writes import change, full_clean, require_version


def _owners(org: Organization) -> int:
    return Membership.objects.filter(org=org, role=Role.OWNER).count()


def _lock_org(ctx: Ctx) -> None:
    """Serialise membership changes per organisation: two owners demoting each other at once
    must not both see the other as the remaining owner."""
    Organization.objects.select_for_update().filter(pk=ctx.org.pk).first()


def org_creation_allowed(*, user) -> bool:
    """Whether `user` may create organisations (AIMS_ORG_CREATION: anyone | staff)."""
    if getattr(settings, "AIMS_ORG_CREATION", "anyone") == "staff":
        return bool(user.is_staff)
    return bool(user.is_authenticated)


@transaction.atomic
def org_start(*, user, slug: str, name: str) -> Organization:
    """A signed-in person starts an organisation and owns it, where the instance allows it."""
    if not org_creation_allowed(user=user):
        raise PermissionDenied("Only operators can create organisations on this instance.")
    return org_create(slug=slug, name=name, owner=user)


@transaction.atomic
def org_create(*, slug: str, name: str, owner, actor_label: str | None = None) -> Organization:
    """A new organisation with `owner` as its owner, given what every organisation starts with
    (its compliance items, a default risk methodology: see hooks.ORG_SEED)."""
    slug = (slug or "").strip().lower()
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f"The slug {slug!r} is already taken."]})
    org = Organization(slug=slug, name=(name or "").strip())
    full_clean(org)
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        raise ValidationError({"slug": [f"The slug {slug!r} is already taken."]}) from exc
    Membership.objects.create(org=org, user=owner, role=Role.OWNER)
    ctx = Ctx(org=org, user=owner, role=Role.OWNER, actor_label=actor_label or owner.email)
    record(ctx=ctx, action="create", obj=org,
           changes={"slug": {"before": None, "after": org.slug},
                    "name": {"before": None, "after": org.name},
                    "owner": {"before": None, "after": owner.email}})
    hooks.run(hooks.ORG_SEED, ctx=ctx)
    return org


@transaction.atomic
def member_add(*, ctx: Ctx, user, role: str) -> Membership:
    """Add an existing user to ctx.org with `role`."""
    ctx.require("members.manage")
    if role not in Role.values:
        raise ValidationError({"role": [f"Choose one of: {', '.join(Role.values)}."]})
    if role == Role.OWNER and not ctx.can("org.manage"):
        raise PermissionDenied("Only an owner can make someone an owner.")
    _lock_org(ctx)  # two admins adding the same person at once: one wins, one is told
    if Membership.objects.filter(org=ctx.org, user=user).exists():
        raise ValidationError({"email": [f"{user.email} is already a member."]})
    m = Membership.objects.create(org=ctx.org, user=user, role=role)
    record(ctx=ctx, action="create", obj=m,
           changes={"user": {"before": None, "after": user.email},
                    "role": {"before": None, "after": role}})
    return m


@transaction.atomic
def member_add_by_email(*, ctx: Ctx, email: str, role: str) -> Membership:
    """Add the existing user with this e-mail; a field error when there is none."""
    ctx.require("members.manage")
    try:
        user = user_get_by_email(email=email)
    except NotFound as exc:
        raise ValidationError({"email": [f"{exc.message} Ask an operator to create the "
                                         "account first (aims user create)."]}) from exc
    return member_add(ctx=ctx, user=user, role=role)


@transaction.atomic
def member_set_role(*, ctx: Ctx, membership_id: uuid.UUID, role: str, version: int | None
                   ) -> Membership:
    """Change a member's role; owners alone grant or remove ownership; one owner always stays."""
    ctx.require("members.manage")
    _lock_org(ctx)
    m = member_get(ctx=ctx, membership_id=membership_id)
    m = Membership.objects.select_for_update().select_related("user").get(pk=m.pk)
    if version is not None and int(version) != m.version:
        raise Conflict(f"{m.user.email}'s role was changed by someone else since you opened it.",
                       current={"id": str(m.pk), "role": m.role, "version": m.version})
    if role not in Role.values:
        raise ValidationError({"role": [f"Choose one of: {', '.join(Role.values)}."]})
    if Role.OWNER in (role, m.role) and not ctx.can("org.manage"):
        raise PermissionDenied("Only an owner can grant or remove the owner role.")
    if m.role == Role.OWNER and role != Role.OWNER and _owners(ctx.org) == 1:
        raise ValidationError({"role": ["An organisation needs at least one owner."]})
    if role != m.role:
        record(ctx=ctx, action="update", obj=m,
               changes={"role": {"before": m.role, "after": role}})
        m.role = role
        m.version += 1
        m.save(update_fields=["role", "version"])
    return m


@transaction.atomic
def member_remove(*, ctx: Ctx, membership_id: uuid.UUID) -> None:
    """Remove a member; the last owner cannot be removed."""
    ctx.require("members.manage")
    _lock_org(ctx)
    m = member_get(ctx=ctx, membership_id=membership_id)
    if m.role == Role.OWNER and not ctx.can("org.manage"):
        raise PermissionDenied("Only an owner can remove an owner.")
    if m.role == Role.OWNER and _owners(ctx.org) == 1:
        raise ValidationError({"role": ["An organisation needs at least one owner."]})
    _release_responsibilities(ctx, m.user)
    record(ctx=ctx, action="delete", obj=m,
           changes={"user": {"before": m.user.email, "after": None},
                    "role": {"before": m.role, "after": None}})
    m.delete()


def _release_responsibilities(ctx: Ctx, user) -> None:
    """Whatever the leaving member owned becomes unowned, each change in the log, so no record
    names someone who can no longer act on it (and no form silently drops them later)."""
    for model in apps.get_models():
        if not issubclass(model, TenantModel):
            continue
        for field in model.responsible_fields:
            rows = model.objects.for_org(ctx.org).select_for_update().filter(**{field: user})
            for row in rows:
                change(ctx=ctx, obj=row, data={field: None}, version=row.version)


# ---------------------------------------------------------------- security settings


def org_security_version(*, org: Organization) -> int:
    """1 plus the number of recorded changes to the security settings: the organisation row
    has no version column, and every change goes through the activity log."""
    return 1 + Event.objects.filter(
        org=org, object_type="orgs.organization", object_id=str(org.pk), action="update",
        changes__has_key="require_mfa").count()


@transaction.atomic
def org_security_update(*, ctx: Ctx, require_mfa: bool, version: int | None) -> int:
    """Require (or stop requiring) two-factor authentication of every member; owners only.
    An owner must have it themselves before requiring it, so nobody locks themselves out.
    Returns the new settings version."""
    ctx.require("org.manage")
    org = Organization.objects.select_for_update().get(pk=ctx.org.pk)
    current = org_security_version(org=org)
    if require_version(version) != current:
        raise Conflict(
            "The security settings were changed by someone else since you opened them (you "
            f"edited version {version}, they are now version {current}). Review the current "
            "values and apply your change again.",
            current={"version": current, "require_mfa": org.require_mfa})
    if not isinstance(require_mfa, bool):
        raise ValidationError({"require_mfa": ["Give true or false."]})
    before = org.require_mfa
    if require_mfa == before:
        return current
    if require_mfa and (ctx.user is None or not user_has_mfa(user=ctx.user)):
        raise ValidationError({"require_mfa": [
            "Set up two-factor authentication on your own account before requiring it of "
            "every member."]})
    Organization.objects.filter(pk=org.pk).update(require_mfa=require_mfa)
    ctx.org.require_mfa = require_mfa
    record(ctx=ctx, action="update", obj=org, changes={
        "require_mfa": {"before": before, "after": require_mfa}})
    return current + 1
