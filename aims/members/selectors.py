"""Reads of invitations: an organisation's (for its admins) and a person's own."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from aims.core.errors import NotFound
from aims.members.models import Invitation, InvitationStatus
from aims.orgs.context import Ctx


def invitation_list(*, ctx: Ctx, status: str | None = None) -> QuerySet[Invitation]:
    """ctx.org's invitations, pending first, then newest first (members.manage)."""
    ctx.require("members.manage")
    qs = Invitation.objects.for_org(ctx.org).select_related("invited_by")
    if status:
        qs = qs.filter(status=status)
    pending_first = Case(When(status=InvitationStatus.PENDING, then=Value(0)),
                         default=Value(1), output_field=IntegerField())
    return qs.order_by(pending_first, "-created_at")


def invitation_get(*, ctx: Ctx, invitation_id) -> Invitation:
    """One invitation of ctx.org, or NotFound."""
    ctx.require("members.manage")
    try:
        inv = Invitation.objects.for_org(ctx.org).filter(pk=invitation_id).first()
    except (DjangoValidationError, ValueError):
        inv = None
    if inv is None:
        raise NotFound("Invitation not found.")
    return inv


def _addressed_to(user) -> QuerySet[Invitation]:
    # Invitations are addressed across organisations by nature: the only scope is the address.
    return Invitation.all_orgs.filter(email__iexact=user.email).select_related("org",
                                                                               "invited_by")


def invitation_list_for_user(*, user) -> QuerySet[Invitation]:
    """The open invitations addressed to the signed-in user's e-mail, soonest to expire first."""
    if user is None or not user.is_authenticated:
        return Invitation.all_orgs.none()
    return (_addressed_to(user).filter(status=InvitationStatus.PENDING,
                                       expires_at__gt=timezone.now())
            .order_by("expires_at"))


def invitation_get_for_user(*, user, invitation_id) -> Invitation:
    """One invitation addressed to the user's e-mail (any status); NotFound for anyone
    else's, exactly as for a missing one."""
    try:
        inv = _addressed_to(user).filter(pk=invitation_id).first()
    except (DjangoValidationError, ValueError):
        inv = None
    if inv is None:
        raise NotFound("Invitation not found.")
    return inv


def token_hash(raw: str) -> str:
    """What is stored of an invitation link's token."""
    return hashlib.sha256((raw or "").encode()).hexdigest()


def invitation_get_by_token(*, raw: str) -> Invitation:
    """The invitation whose link carries `raw` (any status), or NotFound."""
    inv = Invitation.all_orgs.filter(token_hash=token_hash(raw)).select_related("org",
                                                                       "invited_by").first()
    if inv is None:
        raise NotFound("This invitation link is not valid. It may have been replaced by a "
                       "newer one or revoked.")
    return inv


def invitation_waiting_for(*, email: str) -> bool:
    """Whether an open invitation is addressed to `email` (any organisation): single sign-on
    may then make the account for it even when sign-up is closed."""
    # Across organisations by nature, as for a person's own invitations: the address is the scope.
    return Invitation.all_orgs.filter(email__iexact=email.strip(), status=InvitationStatus.PENDING,
                                      expires_at__gt=timezone.now()).exists()
