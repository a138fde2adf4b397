"""Reads of organisations and their members."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone

from aims.core.errors import NotFound, ValidationError
from aims.orgs.context import Ctx
from aims.orgs.models import Membership


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    """The organisations a user has access to today (for the switcher and GET /orgs): a
    membership outside its dates grants nothing, so it is not listed."""
    return (Membership.objects.current().filter(user=user).select_related("org")
            .order_by("org__name"))


def membership_upcoming_for_user(*, user) -> QuerySet[Membership]:
    """The user's memberships whose access starts on a later day."""
    return (Membership.objects.filter(user=user, starts_on__gt=timezone.localdate())
            .select_related("org").order_by("starts_on"))


def member_list(*, ctx: Ctx) -> QuerySet[Membership]:
    """Members of ctx.org with their users."""
    return (Membership.objects.filter(org=ctx.org).select_related("user")
            .order_by("user__email"))


def member_get(*, ctx: Ctx, membership_id: uuid.UUID | str) -> Membership:
    """One membership of ctx.org, or NotFound."""
    try:
        m = member_list(ctx=ctx).filter(pk=membership_id).first()
    except (DjangoValidationError, ValueError):
        m = None
    if m is None:
        raise NotFound("Member not found.")
    return m


def member_user_get(*, ctx: Ctx, user_id, field: str):
    """The user `user_id` if a member of ctx.org (None passes through), else a field error."""
    if user_id in (None, ""):
        return None
    if hasattr(user_id, "pk"):
        user_id = user_id.pk
    try:
        m = Membership.objects.filter(org=ctx.org, user_id=user_id).select_related("user").first()
    except (DjangoValidationError, ValueError):
        m = None
    if m is None:
        raise ValidationError({field: ["Must be a member of this organisation."]})
    return m.user


def member_choices(*, ctx: Ctx) -> list[tuple[str, str]]:
    """(user id, label) pairs for owner pickers, in member_list's order: the label is the
    user's display_name, read as plain values (pickers list hundreds of members)."""
    rows = (member_list(ctx=ctx).select_related(None)
            .values_list("user_id", "user__full_name", "user__email"))
    return [(str(user_id), name or email) for user_id, name, email in rows]
