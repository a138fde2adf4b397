"""Writes: public links to a transparency notice are made and revoked here, each logged."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.core.errors import NotFound, ValidationError
from aims.inventory.selectors import ai_system_get
from aims.orgs.context import Ctx
from aims.records import writes
from aims.techfile.models import NoticeLink


@transaction.atomic
def notice_link_create(*, ctx: Ctx, system_id: uuid.UUID | str,
                       data: dict[str, Any]) -> NoticeLink:
    """Publish the system's transparency notice at a new unguessable address; the link
    returned carries the address's token (`raw_token`) this once: only its hash is kept."""
    ctx.require("inventory.change")
    data = writes.only(data, ("contact",))
    system = ai_system_get(ctx=ctx, system_id=system_id)
    raw = secrets.token_urlsafe(32)
    link = NoticeLink(org=ctx.org, ai_system=system, token_hash=NoticeLink.hash_token(raw),
                      token_hint=raw[:6], contact=str(data.get("contact") or "").strip(),
                      created_by=ctx.user)
    writes.create(ctx=ctx, obj=link)
    link.raw_token = raw  # shown once: only its hash is stored
    return link


@transaction.atomic
def notice_link_revoke(*, ctx: Ctx, system_id: uuid.UUID | str, link_id: uuid.UUID | str,
                       version: int | None) -> NoticeLink:
    """Stop a public link: its address answers 404 from now on."""
    ctx.require("inventory.change")
    system = ai_system_get(ctx=ctx, system_id=system_id)
    link = writes.get_for_update(NoticeLink, ctx=ctx, pk=link_id, label="Notice link")
    if link.ai_system_id != system.pk:
        raise NotFound("Notice link not found.")
    writes.check_version(link, version)
    if link.revoked_at is not None:
        raise ValidationError({"link": ["This link is already revoked."]})
    return writes.change(ctx=ctx, obj=link, version=version, data={
        "revoked_at": timezone.now(), "revoked_by": ctx.user})
