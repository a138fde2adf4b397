"""Creating organisations and managing who belongs to them."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from aims.accounts.selectors import user_has_mfa
from aims.activity.models import Event
from aims.activity.services import record
from aims.core.errors import Conflict, PermissionDenied, ValidationError
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


def access_dates_check(*, role: str, starts_on: datetime.date | None,
                       ends_on: datetime.date | None) -> None:
    """The rule of a membership's dates: an owner's access never lapses, an auditor's always
    does (an end date is required), and it ends on or after the day it starts."""
    errors: dict[str, list[str]] = {}
    if role == Role.OWNER and (starts_on or ends_on):
        errors["ends_on"] = ["An owner's access cannot be limited to dates; choose another "
                             "role for time-boxed access."]
    elif role == Role.AUDITOR and ends_on is None:
        errors["ends_on"] = ["An auditor's access needs an end date: the last day of the "
                             "audit work."]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = ["Must be on or after the start date."]
    if errors:
        raise ValidationError(errors)


def membership_create(*, org: Organization, user, role: str, starts_on=None,
                      ends_on=None) -> Membership:
    """The membership an accepted invitation grants; inside the caller's transaction (which
    logs it). A person who already belongs is told so."""
    access_dates_check(role=role, starts_on=starts_on, ends_on=ends_on)
    Organization.objects.select_for_update().filter(pk=org.pk).first()
    if Membership.objects.filter(org=org, user=user).exists():
        raise ValidationError({"email": [f"You are already a member of {org.name}."]})
    return Membership.objects.create(org=org, user=user, role=role, starts_on=starts_on,
                                     ends_on=ends_on)


def _locked(ctx: Ctx, membership_id, version: int | None) -> Membership:
    _lock_org(ctx)
    m = member_get(ctx=ctx, membership_id=membership_id)
    m = Membership.objects.select_for_update().select_related("user").get(pk=m.pk)
    if require_version(version) != m.version:
        raise Conflict(f"{m.user.email}'s membership was changed by someone else since you "
                       "opened it. Review it and try again.",
                       current={"id": str(m.pk), "role": m.role, "version": m.version,
                                "starts_on": m.starts_on, "ends_on": m.ends_on})
    return m


@transaction.atomic
def member_update(*, ctx: Ctx, membership_id, version: int | None,
                  data: dict[str, Any]) -> Membership:
    """Change a member's role and the dates their access is limited to (keys of `data`:
    role, starts_on, ends_on). Owners alone grant or remove ownership; one owner always
    stays; an auditor's access always has an end date."""
    ctx.require("members.manage")
    m = _locked(ctx, membership_id, version)
    unknown = set(data) - {"role", "starts_on", "ends_on"}
    if unknown:
        raise ValidationError({k: ["This field cannot be changed."] for k in sorted(unknown)})
    role = data.get("role", m.role)
    if role not in Role.values:
        raise ValidationError({"role": [f"Choose one of: {', '.join(Role.values)}."]})
    if Role.OWNER in (role, m.role) and role != m.role and not ctx.can("org.manage"):
        raise PermissionDenied("Only an owner can grant or remove the owner role.")
    if m.role == Role.OWNER and role != Role.OWNER and _owners(ctx.org) == 1:
        raise ValidationError({"role": ["An organisation needs at least one owner."]})
    new = {"role": role, "starts_on": data.get("starts_on", m.starts_on),
           "ends_on": data.get("ends_on", m.ends_on)}
    access_dates_check(**new)
    changes = {k: {"before": getattr(m, k), "after": v} for k, v in new.items()
               if getattr(m, k) != v}
    if changes:
        record(ctx=ctx, action="update", obj=m, changes=changes)
        for key, value in new.items():
            setattr(m, key, value)
        m.version += 1
        m.save(update_fields=["role", "starts_on", "ends_on", "version"])
    return m


def member_set_role(*, ctx: Ctx, membership_id, role: str, version: int | None) -> Membership:
    """Change a member's role (see member_update)."""
    return member_update(ctx=ctx, membership_id=membership_id, version=version,
                         data={"role": role})


@transaction.atomic
def member_end_access(*, ctx: Ctx, membership_id, version: int | None) -> Membership:
    """End a time-boxed member's access today, before its end date: from now on the
    membership grants nothing, and the list shows the day it ended."""
    ctx.require("members.manage")
    m = _locked(ctx, membership_id, version)
    if m.role == Role.OWNER and not ctx.can("org.manage"):
        raise PermissionDenied("Only an owner can end an owner's access.")
    today = timezone.localdate()
    if not m.is_current(today):
        raise ValidationError({"ends_on": ["This access is not running today, so there is "
                                           "nothing to end; remove the member instead."]})
    if m.starts_on is not None and m.starts_on >= today:
        raise ValidationError({"ends_on": ["This access started today; remove the member "
                                           "instead."]})
    if m.role == Role.OWNER:
        raise ValidationError({"ends_on": ["An owner's access cannot end on a date; change "
                                           "their role or remove them."]})
    ended = today - datetime.timedelta(days=1)
    record(ctx=ctx, action="update", obj=m,
           changes={"ends_on": {"before": m.ends_on, "after": ended}})
    m.ends_on = ended
    m.version += 1
    m.save(update_fields=["ends_on", "version"])
    return m


@transaction.atomic
def member_remove(*, ctx: Ctx, membership_id, version: int | None) -> None:
    """Remove a member as they were read (a stale `version` gets 409); the last owner
    cannot be removed."""
    ctx.require("members.manage")
    m = _locked(ctx, membership_id, version)
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
