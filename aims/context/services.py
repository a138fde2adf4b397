"""Writes to the AIMS scope, context issues and interested parties."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from aims.context.models import ContextIssue, InterestedParty, ScopeVersion
from aims.core.errors import ValidationError
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.records import writes

SCOPE_FIELDS = ("statement", "boundaries", "included_units", "excluded_units",
                "exclusion_rationale", "change_note")
ISSUE_FIELDS = ("kind", "title", "description", "category", "effect", "is_active")
PARTY_FIELDS = ("name", "category", "needs", "requirements", "how_addressed", "is_active")


@transaction.atomic
def scope_version_create(*, ctx: Ctx, data: dict[str, Any],
                         based_on: int | None) -> ScopeVersion:
    """Save a new scope version on top of version `based_on` (None only for the first)."""
    ctx.require("context.change")
    data = writes.only(data, SCOPE_FIELDS)
    latest = (ScopeVersion.objects.for_org(ctx.org).select_for_update()
              .order_by("-number").first())
    number = writes.check_based_on(latest=latest, based_on=based_on, what="The scope",
                                   fields=SCOPE_FIELDS)
    systems = AISystem.objects.for_org(ctx.org).exclude(status="retired").order_by("name")
    snapshot = {"in_scope": [s.name for s in systems if s.in_scope],
                "out_of_scope": [s.name for s in systems if not s.in_scope]}
    version = ScopeVersion(org=ctx.org, number=number, systems_snapshot=snapshot,
                           author=ctx.user, **data)
    return writes.create(ctx=ctx, obj=version)


@transaction.atomic
def context_issue_create(*, ctx: Ctx, data: dict[str, Any]) -> ContextIssue:
    """Record an internal or external issue."""
    ctx.require("context.change")
    return writes.create(ctx=ctx, obj=ContextIssue(org=ctx.org, **writes.only(data, ISSUE_FIELDS)))


@transaction.atomic
def context_issue_update(*, ctx: Ctx, issue_id: uuid.UUID, data: dict[str, Any],
                         version: int | None) -> ContextIssue:
    """Change an issue written at `version`."""
    ctx.require("context.change")
    issue = writes.get_for_update(ContextIssue, ctx=ctx, pk=issue_id, label="Issue")
    return writes.change(ctx=ctx, obj=issue, data=writes.only(data, ISSUE_FIELDS), version=version)


@transaction.atomic
def context_issue_delete(*, ctx: Ctx, issue_id: uuid.UUID, version: int | None) -> None:
    """Delete an issue written at `version`."""
    ctx.require("context.change")
    issue = writes.get_for_update(ContextIssue, ctx=ctx, pk=issue_id, label="Issue")
    writes.delete(ctx=ctx, obj=issue, version=version)


def _party_name_free(ctx: Ctx, name: str, exclude_id: uuid.UUID | None = None) -> None:
    qs = InterestedParty.objects.for_org(ctx.org).filter(name__iexact=(name or "").strip())
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    if name and qs.exists():
        raise ValidationError({"name": [f"An interested party named “{name}” already exists."]})


@transaction.atomic
def interested_party_create(*, ctx: Ctx, data: dict[str, Any]) -> InterestedParty:
    """Record an interested party and what it needs."""
    ctx.require("context.change")
    data = writes.only(data, PARTY_FIELDS)
    _party_name_free(ctx, data.get("name", ""))
    return writes.create(ctx=ctx, obj=InterestedParty(org=ctx.org, **data))


@transaction.atomic
def interested_party_update(*, ctx: Ctx, party_id: uuid.UUID, data: dict[str, Any],
                            version: int | None) -> InterestedParty:
    """Change an interested party written at `version`."""
    ctx.require("context.change")
    party = writes.get_for_update(InterestedParty, ctx=ctx, pk=party_id, label="Interested party")
    data = writes.only(data, PARTY_FIELDS)
    if "name" in data:
        _party_name_free(ctx, data["name"], exclude_id=party.pk)
    return writes.change(ctx=ctx, obj=party, data=data, version=version)


@transaction.atomic
def interested_party_delete(*, ctx: Ctx, party_id: uuid.UUID, version: int | None) -> None:
    """Delete an interested party written at `version`."""
    ctx.require("context.change")
    party = writes.get_for_update(InterestedParty, ctx=ctx, pk=party_id, label="Interested party")
    writes.delete(ctx=ctx, obj=party, version=version)
