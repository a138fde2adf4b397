"""Reads of integrations: the organisation's integration tokens."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from aims.core.errors import NotFound
from aims.integrations.models import IntegrationToken
from aims.integrations.services import MANAGE
from aims.orgs.context import Ctx


def integration_token_list(*, ctx: Ctx) -> QuerySet[IntegrationToken]:
    """ctx.org's integration tokens, newest first, with who made them (owners and admins)."""
    ctx.require(MANAGE)
    return (IntegrationToken.objects.for_org(ctx.org).select_related("created_by")
            .order_by("-created_at"))


def integration_token_get(*, ctx: Ctx, token_id: uuid.UUID | str) -> IntegrationToken:
    """One of ctx.org's integration tokens, or NotFound (also for another organisation's)."""
    try:
        pk = uuid.UUID(str(token_id))
    except ValueError:
        raise NotFound("Integration token not found.") from None
    token = integration_token_list(ctx=ctx).filter(pk=pk).first()
    if token is None:
        raise NotFound("Integration token not found.")
    return token
