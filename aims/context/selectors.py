"""Reads of the organisation's context (clause 4)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from aims.context.models import ContextIssue, InterestedParty, ScopeVersion
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.orgs.context import Ctx


def scope_current(*, ctx: Ctx) -> ScopeVersion | None:
    """The latest scope version, or None before the first is written."""
    return (ScopeVersion.objects.for_org(ctx.org).select_related("author")
            .order_by("-number").first())


def scope_version_list(*, ctx: Ctx) -> QuerySet[ScopeVersion]:
    """Every scope version, newest first."""
    return ScopeVersion.objects.for_org(ctx.org).select_related("author").order_by("-number")


def scope_version_get(*, ctx: Ctx, number: int) -> ScopeVersion:
    """One scope version by number, or NotFound."""
    v = scope_version_list(ctx=ctx).filter(number=number).first()
    if v is None:
        raise NotFound(f"Scope version {number} not found.")
    return v


def context_issue_list(*, ctx: Ctx, kind: str = "", q: str = "",
                       active: bool | None = None) -> QuerySet[ContextIssue]:
    """Internal and external issues, filtered."""
    qs = ContextIssue.objects.for_org(ctx.org)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(category__icontains=q))
    return qs.order_by("kind", "title")


def context_issue_get(*, ctx: Ctx, issue_id: uuid.UUID | str) -> ContextIssue:
    """One issue of ctx.org, or NotFound."""
    issue = get_scoped(ContextIssue.objects.for_org(ctx.org), issue_id)
    if issue is None:
        raise NotFound("Issue not found.")
    return issue


def interested_party_list(*, ctx: Ctx, q: str = "",
                          active: bool | None = None) -> QuerySet[InterestedParty]:
    """Interested parties, filtered."""
    qs = InterestedParty.objects.for_org(ctx.org)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(needs__icontains=q) | Q(category__icontains=q))
    return qs.order_by("name")


def interested_party_get(*, ctx: Ctx, party_id: uuid.UUID | str) -> InterestedParty:
    """One interested party of ctx.org, or NotFound."""
    party = get_scoped(InterestedParty.objects.for_org(ctx.org), party_id)
    if party is None:
        raise NotFound("Interested party not found.")
    return party


def context_issue_count(*, ctx: Ctx, created_before: datetime.datetime) -> int:
    """How many active issues ctx.org had on record before `created_before`."""
    return ContextIssue.objects.for_org(ctx.org).filter(
        created_at__lt=created_before, is_active=True).count()


def interested_party_count(*, ctx: Ctx, created_before: datetime.datetime) -> int:
    """How many active interested parties ctx.org had on record before `created_before`."""
    return InterestedParty.objects.for_org(ctx.org).filter(
        created_at__lt=created_before, is_active=True).count()


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class PartyFacts:
    id: Any
    name: str
    has_requirements: bool  # says which of its needs the AIMS adopts as requirements


@dataclass(frozen=True)
class ContextFacts:
    """What the readiness rules read of clause 4's record."""

    parties: list[PartyFacts]
    issues: int  # active issues
    issues_last_changed: datetime.date | None  # the last time any issue was added or edited


def context_facts(*, ctx: Ctx) -> ContextFacts:
    """Active interested parties and the register of issues at a glance (two queries)."""
    parties = [PartyFacts(id=pk, name=name, has_requirements=bool((req or "").strip()))
               for pk, name, req in InterestedParty.objects.for_org(ctx.org)
               .filter(is_active=True).order_by("name").values_list("id", "name",
                                                                      "requirements")]
    issues = ContextIssue.objects.for_org(ctx.org).aggregate(
        n=Count("pk", filter=Q(is_active=True)), last=Max("updated_at"))
    last = issues["last"]
    return ContextFacts(parties=parties, issues=issues["n"],
                        issues_last_changed=timezone.localdate(last) if last else None)
