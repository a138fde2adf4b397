"""Inviting people: an admin offers a role to an e-mail address, the person signed in with
that address accepts or declines. Nothing here reveals whether an address has an account."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aims.activity.services import record
from aims.core.errors import Conflict, DomainError, PermissionDenied, ValidationError
from aims.members.models import Invitation, InvitationStatus
from aims.members.selectors import invitation_get, invitation_get_for_user, token_hash
from aims.members.services import access_dates_check, membership_create
from aims.orgs.context import Ctx
from aims.orgs.models import Membership, Organization
from aims.orgs.permissions import Role
from aims.records.writes import require_version

DEFAULT_BASE_URL = "http://localhost:8000"


class DeliveryFailed(DomainError):
    """The invitation e-mail could not be handed to the mail server; nothing was saved."""

    status = 503


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.AIMS_INVITATION_DAYS)


def invitation_link(raw: str, base_url: str | None = None) -> str:
    """The address of an invitation's page: AIMS_BASE_URL when set, else the caller's."""
    base = (settings.AIMS_BASE_URL or base_url or DEFAULT_BASE_URL).rstrip("/")
    return base + reverse("invitations:open", args=[raw])


def _send(invitation: Invitation, raw: str, base_url: str | None) -> None:
    context = {"invitation": invitation, "org": invitation.org,
               "link": invitation_link(raw, base_url),
               "inviter": invitation.invited_by.display_name if invitation.invited_by else None,
               "days": settings.AIMS_INVITATION_DAYS}
    try:
        send_mail(subject=f"You are invited to {invitation.org.name} on aims",
                  message=render_to_string("members/invitation_email.txt", context),
                  from_email=None, recipient_list=[invitation.email])
    except OSError as exc:
        raise DeliveryFailed("The invitation e-mail could not be sent, so nothing was saved. "
                             "Try again later or ask an operator to check the mail "
                             "settings.") from exc


def _snapshot(inv: Invitation) -> dict:
    return {"email": inv.email, "role": inv.role, "starts_on": inv.starts_on,
            "ends_on": inv.ends_on, "status": inv.status, "expires_at": inv.expires_at}


def _normalised_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationError({"email": ["Enter a valid e-mail address."]}) from exc
    return email


@transaction.atomic
def invitation_create(*, ctx: Ctx, email: str, role: str, starts_on: datetime.date | None = None,
                      ends_on: datetime.date | None = None, base_url: str | None = None,
                      notify: bool = True) -> Invitation:
    """Invite `email` to ctx.org as `role` (optionally for the days starts_on–ends_on) and
    e-mail them the link (unless `notify` is off: demo data). Whether the address has an account is never looked up: the answer
    is the same either way."""
    ctx.require("members.manage")
    email = _normalised_email(email)
    if role not in Role.values:
        raise ValidationError({"role": [f"Choose one of: {', '.join(Role.values)}."]})
    if role == Role.OWNER and not ctx.can("org.manage"):
        raise PermissionDenied("Only an owner can invite someone as an owner.")
    access_dates_check(role=role, starts_on=starts_on, ends_on=ends_on)
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": ["Must be today or later."]})
    Organization.objects.select_for_update().filter(pk=ctx.org.pk).first()
    # Only the organisation's own members are compared, never the accounts of the instance.
    if Membership.objects.filter(org=ctx.org, user__email__iexact=email).exists():
        raise ValidationError({"email": [f"{email} is already a member of {ctx.org.name}."]})
    if Invitation.objects.for_org(ctx.org).filter(email=email,
                                                  status=InvitationStatus.PENDING).exists():
        raise ValidationError({"email": [f"{email} already has a pending invitation; resend "
                                         "or revoke it."]})
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    inv = Invitation(org=ctx.org, email=email, role=role, starts_on=starts_on, ends_on=ends_on,
                     token_hash=token_hash(raw), expires_at=_expiry(), sent_at=now,
                     invited_by=ctx.user if getattr(ctx.user, "pk", None) else None)
    try:
        with transaction.atomic():
            inv.save()
    except IntegrityError as exc:  # a concurrent invitation of the same address
        raise ValidationError({"email": [f"{email} already has a pending invitation."]}) from exc
    record(ctx=ctx, action="create", obj=inv,
           changes={k: {"before": None, "after": v} for k, v in _snapshot(inv).items()})
    if notify:
        _send(inv, raw, base_url)
    return inv


def _locked(ctx: Ctx, invitation_id, version: int | None) -> Invitation:
    inv = invitation_get(ctx=ctx, invitation_id=invitation_id)
    inv = Invitation.objects.for_org(ctx.org).select_for_update().get(pk=inv.pk)
    if require_version(version) != inv.version:
        raise Conflict(f"The invitation of {inv.email} was changed by someone else since you "
                       "opened it.",
                       current={"id": str(inv.pk), "version": inv.version, "status": inv.status,
                                "expires_at": inv.expires_at})
    return inv


@transaction.atomic
def invitation_resend(*, ctx: Ctx, invitation_id, version: int | None,
                      base_url: str | None = None) -> Invitation:
    """Send a pending (or expired) invitation again with a new link, valid for the full period
    from now; the earlier link stops working."""
    ctx.require("members.manage")
    inv = _locked(ctx, invitation_id, version)
    if inv.status != InvitationStatus.PENDING:
        raise ValidationError({"status": [f"This invitation was {inv.status}; invite the "
                                          "person again instead."]})
    raw = secrets.token_urlsafe(32)
    before = inv.expires_at
    inv.token_hash, inv.expires_at, inv.sent_at = token_hash(raw), _expiry(), timezone.now()
    inv.send_count += 1
    inv.version += 1
    record(ctx=ctx, action="update", obj=inv,
           changes={"expires_at": {"before": before, "after": inv.expires_at},
                    "send_count": {"before": inv.send_count - 1, "after": inv.send_count}})
    inv.save()
    _send(inv, raw, base_url)
    return inv


@transaction.atomic
def invitation_revoke(*, ctx: Ctx, invitation_id, version: int | None) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    ctx.require("members.manage")
    inv = _locked(ctx, invitation_id, version)
    if inv.status != InvitationStatus.PENDING:
        raise ValidationError({"status": [f"This invitation was already {inv.status}."]})
    _close(ctx, inv, InvitationStatus.REVOKED)
    return inv


def _close(ctx: Ctx, inv: Invitation, status: str) -> None:
    record(ctx=ctx, action="update", obj=inv,
           changes={"status": {"before": inv.status, "after": status}})
    inv.status, inv.responded_at = status, timezone.now()
    inv.version += 1
    inv.save(update_fields=["status", "responded_at", "version", "updated_at"])


def _invitee_locked(*, user, invitation_id) -> Invitation:
    inv = invitation_get_for_user(user=user, invitation_id=invitation_id)
    inv = Invitation.all_orgs.select_for_update().select_related("org").get(pk=inv.pk)
    if inv.status != InvitationStatus.PENDING:
        raise ValidationError({"status": [f"This invitation was {inv.status}."]})
    if inv.is_expired:
        raise ValidationError({"status": ["This invitation has expired; ask the person who "
                                          "invited you to send it again."]})
    return inv


def _invitee_ctx(inv: Invitation, user) -> Ctx:
    return Ctx(org=inv.org, user=user, role=inv.role, actor_label=user.email)


@transaction.atomic
def invitation_accept(*, user, invitation_id) -> Membership:
    """The invited person, signed in with the invited address, joins the organisation with
    the invitation's role and dates."""
    inv = _invitee_locked(user=user, invitation_id=invitation_id)
    if inv.ends_on is not None and inv.ends_on < timezone.localdate():
        raise ValidationError({"status": ["The access this invitation offered has already "
                                          "ended; ask for a new invitation."]})
    ctx = _invitee_ctx(inv, user)
    _close(ctx, inv, InvitationStatus.ACCEPTED)
    m = membership_create(org=inv.org, user=user, role=inv.role, starts_on=inv.starts_on,
                          ends_on=inv.ends_on)
    record(ctx=ctx, action="create", obj=m,
           changes={"user": {"before": None, "after": user.email},
                    "role": {"before": None, "after": m.role},
                    "starts_on": {"before": None, "after": m.starts_on},
                    "ends_on": {"before": None, "after": m.ends_on},
                    "invitation": {"before": None, "after": str(inv.pk)}})
    return m


@transaction.atomic
def invitation_decline(*, user, invitation_id) -> Invitation:
    """The invited person says no: the organisation sees the invitation declined."""
    inv = _invitee_locked(user=user, invitation_id=invitation_id)
    _close(_invitee_ctx(inv, user), inv, InvitationStatus.DECLINED)
    return inv
