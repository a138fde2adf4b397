"""Reads of the AI system inventory."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from aims.core.errors import NotFound, ValidationError
from aims.core.lookup import get_scoped
from aims.inventory.models import (
    AISystem,
    DeploymentApproval,
    EuRiskClass,
    LifecycleRecord,
    LifecycleStage,
    Resource,
    SystemChange,
    SystemStatus,
)
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
        qs = qs.filter(owner_id=f.owner)  # type: ignore[misc]  # uuid text is valid
    if f.role:
        # JSON containment is not portable to SQLite; roles are short tokens, so match the quoted token.
        qs = qs.filter(roles__icontains=f'"{f.role}"')
    return qs.order_by("name")


def ai_system_get(*, ctx: Ctx, system_id: uuid.UUID | str) -> AISystem:
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


def _system_in_hand(ctx: Ctx, system: AISystem | None,
                    system_id: uuid.UUID | str | None) -> AISystem:
    """`system` when the caller has it, else ctx.org's system `system_id` (NotFound for a
    foreign id)."""
    if system is not None:
        return system
    if system_id is None:
        raise TypeError("pass the AI system or its id")
    return ai_system_get(ctx=ctx, system_id=system_id)


def eu_class_counts(*, ctx: Ctx) -> list[tuple[str, str, int]]:
    """(class, label, number of active systems) for every EU AI Act class, gravest first
    (one query)."""
    active = Q(status="active")
    row = AISystem.objects.for_org(ctx.org).aggregate(**{
        c.value: Count("pk", filter=active & Q(eu_risk_class=c.value)) for c in EuRiskClass})
    order = (EuRiskClass.PROHIBITED, EuRiskClass.HIGH, EuRiskClass.LIMITED,
             EuRiskClass.MINIMAL, EuRiskClass.OUT_OF_SCOPE, EuRiskClass.UNASSESSED)
    return [(c.value, c.label, row[c.value]) for c in order]


def system_change_list(*, ctx: Ctx, system_id: uuid.UUID | str | None = None,
                       system: AISystem | None = None) -> QuerySet[SystemChange]:
    """The change log of one AI system of ctx.org, newest first (NotFound for a foreign id);
    pass `system` when it is already in hand."""
    system = _system_in_hand(ctx, system, system_id)
    return (SystemChange.objects.for_org(ctx.org).filter(ai_system=system)
            .select_related("ai_system", "recorded_by").order_by("-changed_on", "-created_at"))


def ai_system_choices(*, ctx: Ctx, mark_retired: bool = False) -> list[tuple[str, str]]:
    """(id, name) pairs of ctx.org's AI systems by name, for pickers and filters; with
    `mark_retired`, retired ones say so."""
    rows = AISystem.objects.for_org(ctx.org).order_by("name").values_list("pk", "name", "status")
    return [(str(pk), f"{name} (retired)" if mark_retired and status == SystemStatus.RETIRED
             else name) for pk, name, status in rows]


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


# ---------------------------------------------------------------------------- lifecycle


def _first(qs: QuerySet, field: str) -> Subquery:
    return Subquery(qs.order_by(field).values(field)[:1])


def _with_ends(qs: QuerySet[DeploymentApproval]) -> QuerySet[DeploymentApproval]:
    """Annotate when each approval stopped standing (see DeploymentApproval.ended): the rows
    compared all belong to the approval's own system, so they are in its organisation."""
    system, at = OuterRef("ai_system_id"), OuterRef("approved_at")
    # The model declares the three, as None for rows read without them.
    return qs.annotate(  # type: ignore[no-redef]
        superseded_at=_first(DeploymentApproval.all_orgs.filter(
            ai_system_id=system, approved_at__gt=at), "approved_at"),
        significant_change_at=_first(SystemChange.all_orgs.filter(
            ai_system_id=system, significant=True, created_at__gt=at), "created_at"),
        left_deployed_at=_first(LifecycleRecord.all_orgs.filter(
            ai_system_id=system, from_stage=LifecycleStage.DEPLOYED, changed_at__gt=at),
            "changed_at"),
    )


def deployment_approval_list(*, ctx: Ctx, system_id: uuid.UUID | str | None = None,
                             system: AISystem | None = None) -> QuerySet[DeploymentApproval]:
    """One AI system's deployment approvals, newest first, each knowing whether it still
    stands and if not why (NotFound for a foreign system)."""
    system = _system_in_hand(ctx, system, system_id)
    return _with_ends(DeploymentApproval.objects.for_org(ctx.org).filter(ai_system=system)
                      .select_related("ai_system", "approved_by")
                      ).order_by("-approved_at", "-created_at")


def deployment_approval_current(*, ctx: Ctx, system: AISystem) -> DeploymentApproval | None:
    """The system's latest deployment approval (standing or not), or None; one query."""
    approval = (_with_ends(DeploymentApproval.objects.for_org(ctx.org).filter(ai_system=system))
                .select_related("approved_by").order_by("-approved_at", "-created_at").first())
    if approval is not None:
        approval.ai_system = system
    return approval


def lifecycle_record_list(*, ctx: Ctx, system_id: uuid.UUID | str | None = None,
                          system: AISystem | None = None) -> QuerySet[LifecycleRecord]:
    """One AI system's lifecycle history, newest first (NotFound for a foreign system); pass
    `system` when it is already in hand."""
    system = _system_in_hand(ctx, system, system_id)
    return (LifecycleRecord.objects.for_org(ctx.org).filter(ai_system=system)
            .select_related("ai_system", "changed_by", "approval", "approval__approved_by")
            .order_by("-changed_at", "-created_at"))


# ---------------------------------------------------------------------------- resources


@dataclass(frozen=True)
class ResourceFilters:
    q: str = ""
    kind: str = ""
    ai_system: str = ""
    owner: str = ""


def resource_list(*, ctx: Ctx, filters: ResourceFilters | None = None) -> QuerySet[Resource]:
    """ctx.org's resources, filtered, with owners and linked AI systems fetched (two queries
    whatever the list's size)."""
    f = filters or ResourceFilters()
    qs = (Resource.objects.for_org(ctx.org).select_related("owner")
          .prefetch_related(Prefetch("ai_systems", queryset=AISystem.all_orgs.only(
              "id", "name", "org_id", "status").order_by("name"))))
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(description__icontains=f.q)
                       | Q(location__icontains=f.q) | Q(data_categories__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.ai_system:
        try:
            system_id = uuid.UUID(str(f.ai_system))
        except ValueError:
            return qs.none()
        qs = qs.filter(pk__in=Resource.ai_systems.through.objects.filter(
            aisystem_id=system_id).values("resource_id"))
    if f.owner:
        qs = qs.filter(owner_id=f.owner)  # type: ignore[misc]  # uuid text is valid
    return qs.order_by("name")


def resource_get(*, ctx: Ctx, resource_id: uuid.UUID | str) -> Resource:
    """One resource of ctx.org, or NotFound (also for another organisation's id)."""
    resource = get_scoped(resource_list(ctx=ctx), resource_id)
    if resource is None:
        raise NotFound("Resource not found.")
    return resource


def resources_for_system(*, ctx: Ctx, system: AISystem) -> list[Resource]:
    """The resources one AI system relies on, by kind then name (one query)."""
    return list(Resource.objects.for_org(ctx.org).filter(ai_systems=system)
                .select_related("owner").order_by("kind", "name"))


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class SystemFacts:
    """What the readiness rules read of one AI system that is not retired."""

    id: uuid.UUID
    name: str
    in_scope: bool
    lifecycle_stage: str
    roles: tuple[str, ...]
    eu_risk_class: str
    owner_id: uuid.UUID | None
    last_significant_change: datetime.date | None


def system_facts(*, ctx: Ctx) -> list[SystemFacts]:
    """Every system of ctx.org that is not retired, by name, with the day of its last
    significant change (one query)."""
    last_change = (SystemChange.objects.for_org(ctx.org)
                   .filter(ai_system=OuterRef("pk"), significant=True)
                   .order_by("-changed_on").values("changed_on")[:1])
    rows = (AISystem.objects.for_org(ctx.org).exclude(status=SystemStatus.RETIRED)
            .annotate(last_change=Subquery(last_change)).order_by("name")
            .values_list("id", "name", "in_scope", "lifecycle_stage", "roles", "eu_risk_class",
                         "owner_id", "last_change"))
    return [SystemFacts(id=pk, name=name, in_scope=in_scope, lifecycle_stage=stage,
                        roles=tuple(roles or ()), eu_risk_class=eu, owner_id=owner,
                        last_significant_change=changed)
            for pk, name, in_scope, stage, roles, eu, owner, changed in rows]


def lifecycle_records(*, ctx: Ctx) -> QuerySet[LifecycleRecord]:
    """The lifecycle moves ctx.org has recorded, over all its systems."""
    return LifecycleRecord.objects.for_org(ctx.org)


def standing_deployment_approvals(*, ctx: Ctx) -> set[uuid.UUID]:
    """The ids of ctx.org's systems whose latest deployment approval still stands (no later
    one, no significant change and no move out of deployed since); one query."""
    rows = (_with_ends(DeploymentApproval.objects.for_org(ctx.org))
            .values_list(  # type: ignore[misc]  # names the model declares, _with_ends fills
                "ai_system_id", "superseded_at", "significant_change_at", "left_deployed_at"))
    return {system for system, later, changed, left in rows
            if later is None and changed is None and left is None}


def resource_counts(*, ctx: Ctx) -> dict[str, int]:
    """{resource kind: how many ctx.org has documented} (one query)."""
    return dict(Resource.objects.for_org(ctx.org).order_by().values("kind")
                .annotate(n=Count("pk")).values_list("kind", "n"))
