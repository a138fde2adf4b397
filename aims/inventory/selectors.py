"""Reads of the AI system inventory."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from aims.core.errors import NotFound, ValidationError
from aims.core.lookup import get_scoped
from aims.inventory.models import AISystem, SystemChange
from aims.orgs.context import Ctx


@dataclass(frozen=True)
class AISystemFilters:
    q: str = ""
    lifecycle_stage: str = ""
    eu_risk_class: str = ""
    role: str = ""
    status: str = ""
    in_scope: bool | None = None
    owner: str = ""


def ai_system_list(*, ctx: Ctx, filters: AISystemFilters | None = None) -> QuerySet[AISystem]:
    """The organisation's AI systems, filtered, with owners joined."""
    f = filters or AISystemFilters()
    qs = AISystem.objects.for_org(ctx.org).select_related("owner")
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(intended_purpose__icontains=f.q)
                       | Q(business_unit__icontains=f.q) | Q(description__icontains=f.q))
    if f.lifecycle_stage:
        qs = qs.filter(lifecycle_stage=f.lifecycle_stage)
    if f.eu_risk_class:
        qs = qs.filter(eu_risk_class=f.eu_risk_class)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.in_scope is not None:
        qs = qs.filter(in_scope=f.in_scope)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.role:
        # JSON containment is not portable to SQLite; roles are short tokens, so match the quoted token.
        qs = qs.filter(roles__icontains=f'"{f.role}"')
    return qs.order_by("name")


def ai_system_get(*, ctx: Ctx, system_id) -> AISystem:
    """One AI system of ctx.org, or NotFound (also for another organisation's id)."""
    system = get_scoped(ai_system_list(ctx=ctx), system_id)
    if system is None:
        raise NotFound("AI system not found.")
    return system


@dataclass(frozen=True)
class InventoryStats:
    active: int
    in_scope: int
    high_risk: int
    prohibited: int
    unassessed: int


def ai_system_stats(*, ctx: Ctx) -> InventoryStats:
    """Counts of active systems for the dashboard, in one query whatever the inventory size."""
    active = Q(status="active")
    row = AISystem.objects.for_org(ctx.org).aggregate(
        active=Count("pk", filter=active),
        in_scope=Count("pk", filter=active & Q(in_scope=True)),
        high_risk=Count("pk", filter=active & Q(eu_risk_class="high")),
        prohibited=Count("pk", filter=active & Q(eu_risk_class="prohibited")),
        unassessed=Count("pk", filter=active & Q(eu_risk_class="unassessed")),
    )
    return InventoryStats(**row)


def system_change_list(*, ctx: Ctx, system_id) -> QuerySet[SystemChange]:
    """The change log of one AI system of ctx.org, newest first (NotFound for a foreign id)."""
    system = ai_system_get(ctx=ctx, system_id=system_id)
    return (SystemChange.objects.for_org(ctx.org).filter(ai_system=system)
            .select_related("ai_system", "recorded_by").order_by("-changed_on", "-created_at"))


def ai_systems_by_ids(*, ctx: Ctx, ids, field: str = "ai_systems") -> list[AISystem]:
    """ctx.org's AI systems with these ids, by name; a field error for a malformed list or
    for any id that is not one of the organisation's systems."""
    if ids is None:
        return []
    if isinstance(ids, (str, bytes)) or not isinstance(ids, (list, tuple, set)):
        raise ValidationError({field: ["Send a list of AI system ids."]})
    wanted: set[uuid.UUID] = set()
    for raw in ids:
        try:
            wanted.add(raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(getattr(raw, "pk", raw))))
        except ValueError:
            raise ValidationError({field: [f"“{raw}” is not an AI system id."]}) from None
    found = list(AISystem.objects.for_org(ctx.org).filter(pk__in=wanted).order_by("name"))
    if missing := wanted - {s.pk for s in found}:
        raise ValidationError({field: [
            f"Not an AI system of this organisation: {', '.join(sorted(map(str, missing)))}."]})
    return found
