"""Reads of AIMS roles, their holders, competence and training: always from the org scope."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.core.errors import NotFound, ValidationError
from aims.core.lookup import get_scoped
from aims.inventory.models import AISystem
from aims.inventory.selectors import ai_system_choices
from aims.orgs.context import Ctx
from aims.orgs.models import Membership
from aims.people.models import (
    AimsRole,
    CompetenceRequirement,
    ConcernChannel,
    RoleAssignment,
    TrainingRecord,
    TrainingStatus,
    expiring_window,
)

# ---------------------------------------------------------------------------- roles


def _current_q(day: datetime.date, prefix: str = "") -> Q:
    """Assignments held on `day` by someone still named (a leaver's are released)."""
    return (Q(**{f"{prefix}member__isnull": False, f"{prefix}since__lte": day})
            & (Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": day})))


def _assignments_prefetch() -> Prefetch:
    return Prefetch("assignments", queryset=RoleAssignment.all_orgs.select_related("member")
                    .order_by("member__email", "-since"))


def aims_role_list(*, ctx: Ctx, q: str = "", ai_system: str = "",
                   member: str = "") -> QuerySet[AimsRole]:
    """The organisation's AIMS roles by name, with holders, competence requirements, covered
    requirements and AI systems prefetched (a fixed number of queries whatever the length)."""
    qs = (AimsRole.objects.for_org(ctx.org)
          .prefetch_related(
              _assignments_prefetch(),
              Prefetch("competence_requirements",
                       queryset=CompetenceRequirement.all_orgs.order_by("-ai_specific", "title")),
              Prefetch("requirements", queryset=Requirement.objects.order_by("sort_key")),
              Prefetch("ai_systems", queryset=AISystem.all_orgs.only(
                  "id", "name", "org_id", "status").order_by("name"))))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(responsibilities__icontains=q)
                       | Q(areas__icontains=q) | Q(authorities__icontains=q))
    if ai_system:
        qs = qs.filter(ai_systems__pk=_uuid(ai_system, "ai_system"))
    if member:
        member_id = _member_id(member, "member")
        qs = qs.filter(pk__in=RoleAssignment.objects.for_org(ctx.org).filter(
            _current_q(timezone.localdate()), member_id=member_id).values("role_id"))
    return qs.order_by("name")


def aims_role_get(*, ctx: Ctx, role_id: uuid.UUID | str) -> AimsRole:
    """One AIMS role of ctx.org with everything its page shows, or NotFound."""
    role = get_scoped(aims_role_list(ctx=ctx), role_id)
    if role is None:
        raise NotFound("AIMS role not found.")
    return role


def aims_role_codes(*, ctx: Ctx) -> set[str]:
    """The standard-role codes ctx.org already has."""
    return set(AimsRole.objects.for_org(ctx.org).exclude(code="").values_list("code", flat=True))


def role_holders(*, ctx: Ctx, code: str, on: datetime.date | None = None) -> list:
    """The users who hold the standard role `code` (e.g. "top_management") on `on` (today by
    default), by e-mail; empty when nobody does or the role does not exist."""
    if not code:
        return []
    day = on or timezone.localdate()
    assignments = (RoleAssignment.objects.for_org(ctx.org)
                   .filter(_current_q(day), role__code=code)
                   .select_related("member").order_by("member__email"))
    seen: dict = {}
    for a in assignments:
        seen.setdefault(a.member_id, a.member)
    return list(seen.values())


@dataclass(frozen=True)
class Coverage:
    """What a person's current AIMS roles look after."""

    roles: list[AimsRole] = field(default_factory=list)
    ai_systems: list[AISystem] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)  # as named on the roles
    areas: list[str] = field(default_factory=list)  # the roles' free-text areas
    covered_refs: frozenset[str] = frozenset()  # named requirements and everything under them

    @property
    def ai_system_ids(self) -> set[uuid.UUID]:
        return {s.pk for s in self.ai_systems}

    def covers_system(self, system) -> bool:
        return getattr(system, "pk", system) in self.ai_system_ids

    def covers_requirement(self, ref: str) -> bool:
        """True when `ref` (e.g. "A.6.2.5") is named on one of the roles or sits under one
        that is (a clause's sub-clauses, an Annex A objective's controls)."""
        return ref in self.covered_refs

    def __bool__(self) -> bool:
        return bool(self.roles)


def roles_covering(*, ctx: Ctx, user, on: datetime.date | None = None) -> Coverage:
    """The AIMS roles `user` holds on `on` (today by default) and the AI systems, ISO/IEC 42001
    requirements and areas they cover: what an auditor should not audit themselves."""
    day = on or timezone.localdate()
    user_id = getattr(user, "pk", user)
    roles = list(AimsRole.objects.for_org(ctx.org)
                 .filter(pk__in=RoleAssignment.objects.for_org(ctx.org)
                         .filter(_current_q(day), member_id=user_id).values("role_id"))
                 .prefetch_related(
                     Prefetch("requirements", queryset=Requirement.objects.order_by("sort_key")),
                     Prefetch("ai_systems", queryset=AISystem.all_orgs.order_by("name")))
                 .order_by("name"))
    systems = {s.pk: s for r in roles for s in r.ai_systems.all()}
    requirements = {q.pk: q for r in roles for q in r.requirements.all()}
    refs = {q.ref for q in requirements.values()}
    frontier = set(requirements)
    for _ in range(4):  # clause → sub-clause → …: the catalog is at most this deep
        if not frontier:
            break
        children = list(Requirement.objects.filter(parent_id__in=frontier).values_list("pk", "ref"))
        frontier = {pk for pk, _ in children}
        refs |= {ref for _, ref in children}
    return Coverage(
        roles=roles,
        ai_systems=sorted(systems.values(), key=lambda s: s.name),
        requirements=sorted(requirements.values(), key=lambda q: q.sort_key),
        areas=[r.areas.strip() for r in roles if r.areas.strip()],
        covered_refs=frozenset(refs),
    )


def roles_for_system(*, ctx: Ctx, system) -> list[AimsRole]:
    """The AIMS roles that cover one AI system, with their holders (two queries)."""
    return list(AimsRole.objects.for_org(ctx.org).filter(ai_systems=system)
                .prefetch_related(_assignments_prefetch()).order_by("name"))


# ---------------------------------------------------------------------------- assignments


def role_assignment_list(*, ctx: Ctx, role_id: uuid.UUID | None = None, member: str = "",
                         current: bool | None = None) -> QuerySet[RoleAssignment]:
    """Role assignments, newest first, with role and holder joined."""
    qs = RoleAssignment.objects.for_org(ctx.org).select_related("role", "member")
    if role_id is not None:
        qs = qs.filter(role_id=role_id)
    if member:
        qs = qs.filter(member_id=_member_id(member, "member"))
    today = timezone.localdate()
    if current is True:
        qs = qs.filter(_current_q(today))
    elif current is False:
        qs = qs.exclude(_current_q(today))
    return qs.order_by("role__name", "member__email", "-since")


def role_assignment_get(*, ctx: Ctx, assignment_id: uuid.UUID | str,
                        role_id: uuid.UUID | None = None) -> RoleAssignment:
    """One assignment of ctx.org (of role `role_id` when given), or NotFound."""
    a = get_scoped(role_assignment_list(ctx=ctx, role_id=role_id), assignment_id)
    if a is None:
        raise NotFound("Role assignment not found.")
    return a


# ---------------------------------------------------------------------------- competence


def competence_requirement_list(*, ctx: Ctx, role_id: uuid.UUID) -> QuerySet[CompetenceRequirement]:
    """The competence requirements of one role, AI-specific first."""
    return (CompetenceRequirement.objects.for_org(ctx.org).filter(role_id=role_id)
            .select_related("role").order_by("-ai_specific", "title"))


def competence_requirement_get(*, ctx: Ctx, requirement_id: uuid.UUID | str,
                               role_id: uuid.UUID | None = None) -> CompetenceRequirement:
    """One competence requirement of ctx.org (of role `role_id` when given), or NotFound."""
    qs = CompetenceRequirement.objects.for_org(ctx.org).select_related("role")
    if role_id is not None:
        qs = qs.filter(role_id=role_id)
    req = get_scoped(qs, requirement_id)
    if req is None:
        raise NotFound("Competence requirement not found.")
    return req


# ---------------------------------------------------------------------------- training


def status_q(status: str, today: datetime.date) -> Q:
    """Training records of one status on `today`, as the database filters them (the same rule
    as TrainingRecord.status_on)."""
    soon = today + expiring_window()
    if status == TrainingStatus.EXPIRED:
        return Q(expires_on__lt=today)
    if status == TrainingStatus.EXPIRING:
        return Q(expires_on__gte=today, expires_on__lte=soon)
    if status == TrainingStatus.CURRENT:
        return Q(expires_on__isnull=True) | Q(expires_on__gt=soon)
    raise ValidationError({"status": [f"Choose one of: {', '.join(TrainingStatus.values)}."]})


@dataclass(frozen=True)
class TrainingFilters:
    q: str = ""
    member: str = ""  # a user id
    ai_specific: bool | None = None
    status: str = ""  # current | expiring | expired


def training_record_list(*, ctx: Ctx,
                         filters: TrainingFilters | None = None) -> QuerySet[TrainingRecord]:
    """Training records, most recent first, filtered, with the person joined."""
    f = filters or TrainingFilters()
    qs = TrainingRecord.objects.for_org(ctx.org).select_related("member")
    if f.q:
        qs = qs.filter(Q(topic__icontains=f.q) | Q(provider__icontains=f.q)
                       | Q(notes__icontains=f.q))
    if f.member:
        qs = qs.filter(member_id=_member_id(f.member, "member"))
    if f.ai_specific is not None:
        qs = qs.filter(ai_specific=f.ai_specific)
    if f.status:
        qs = qs.filter(status_q(f.status, timezone.localdate()))
    return qs.order_by("-completed_on", "-created_at")


def training_record_get(*, ctx: Ctx, record_id: uuid.UUID | str) -> TrainingRecord:
    """One training record of ctx.org, or NotFound."""
    record = get_scoped(training_record_list(ctx=ctx), record_id)
    if record is None:
        raise NotFound("Training record not found.")
    return record


# ---------------------------------------------------------------------------- people


@dataclass
class Person:
    """A member with their current roles and training records."""

    membership: Membership
    assignments: list[RoleAssignment]
    training: list[TrainingRecord]

    @property
    def user(self):
        return self.membership.user


def people_list(*, ctx: Ctx, q: str = "") -> list[Person]:
    """Every member with their current role assignments and training records (three queries)."""
    qs = Membership.objects.filter(org=ctx.org).select_related("user").order_by("user__email")
    if q:
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__full_name__icontains=q))
    members = list(qs)
    ids = [m.user_id for m in members]
    today = timezone.localdate()
    assignments: dict = defaultdict(list)
    for a in (RoleAssignment.objects.for_org(ctx.org).filter(_current_q(today), member_id__in=ids)
              .select_related("role").order_by("role__name")):
        assignments[a.member_id].append(a)
    training: dict = defaultdict(list)
    for t in (TrainingRecord.objects.for_org(ctx.org).filter(member_id__in=ids)
              .order_by("-completed_on", "-created_at")):
        training[t.member_id].append(t)
    return [Person(m, assignments[m.user_id], training[m.user_id]) for m in members]


# ---------------------------------------------------------------------------- the gap view


@dataclass
class Gap:
    """A current role holder whose role asks for AI-specific competence and who has no
    unexpired AI-specific training record."""

    assignment: RoleAssignment
    missing: list[CompetenceRequirement]  # the role's AI-specific requirements
    lapsed: TrainingRecord | None  # their latest expired AI-specific record, if any

    @property
    def member(self):
        return self.assignment.member

    @property
    def role(self) -> AimsRole:
        return self.assignment.role


def competence_gaps(*, ctx: Ctx, on: datetime.date | None = None) -> list[Gap]:
    """Every (holder, role) on `on` (today by default) where the role has AI-specific
    competence requirements and the holder has no AI-specific training that has not expired;
    by holder, then role (three queries whatever the size)."""
    day = on or timezone.localdate()
    assignments = list(
        RoleAssignment.objects.for_org(ctx.org)
        .filter(_current_q(day), role__competence_requirements__ai_specific=True)
        .distinct().select_related("role", "member")
        .prefetch_related(Prefetch(
            "role__competence_requirements",
            queryset=CompetenceRequirement.all_orgs.filter(ai_specific=True).order_by("title"),
            to_attr="ai_requirements"))
        .order_by("member__email", "role__name", "-since"))
    member_ids = {a.member_id for a in assignments}
    covered: set = set()
    lapsed: dict = {}
    for t in (TrainingRecord.objects.for_org(ctx.org)
              .filter(member_id__in=member_ids, ai_specific=True, completed_on__lte=day)
              .order_by("-expires_on")):
        if t.expires_on is None or t.expires_on >= day:
            covered.add(t.member_id)
        else:
            lapsed.setdefault(t.member_id, t)
    gaps, seen = [], set()
    for a in assignments:
        if a.member_id in covered or (a.member_id, a.role_id) in seen:
            continue
        seen.add((a.member_id, a.role_id))
        gaps.append(Gap(assignment=a, missing=list(a.role.ai_requirements),
                        lapsed=lapsed.get(a.member_id)))
    return gaps


# ---------------------------------------------------------------------------- concern channel


def concern_channel_get(*, ctx: Ctx) -> ConcernChannel | None:
    """The organisation's reporting-of-concerns channel, or None before it is described."""
    return ConcernChannel.objects.for_org(ctx.org).select_related("changed_by").first()


# ---------------------------------------------------------------------------- helpers


def _uuid(value, name: str, what: str = "id") -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise ValidationError({name: [f"Not a valid {what}."]}) from None


def _member_id(value, name: str) -> uuid.UUID:
    """A member id from a filter (users have uuid keys)."""
    return _uuid(value, name, "member id")


# ---------------------------------------------------------------------------- pickers


def system_choices(*, ctx: Ctx) -> list[tuple[str, str]]:
    """(id, name) pairs of the organisation's AI systems."""
    return ai_system_choices(ctx=ctx)


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class RoleFacts:
    id: Any
    name: str
    code: str
    holders: int  # members holding it on the day


def role_facts(*, ctx: Ctx, on: datetime.date) -> list[RoleFacts]:
    """Every AIMS role of ctx.org with how many members hold it on `on` (one query)."""
    rows = (AimsRole.objects.for_org(ctx.org)
            .annotate(holders=Count("assignments__member",
                                    filter=_current_q(on, "assignments__"), distinct=True))
            .order_by("name").values_list("id", "name", "code", "holders"))
    return [RoleFacts(*row) for row in rows]


@dataclass(frozen=True)
class CompetenceFacts:
    """What the readiness rules read of competence (7.2) on a day."""

    holders: int  # members holding an AIMS role
    ai_requirements: int  # AI-specific competence requirements defined over all roles
    ai_holders: int  # members holding a role that asks for AI-specific competence
    gaps: list[Gap]  # of them, those without current AI-specific evidence


def competence_facts(*, ctx: Ctx, on: datetime.date) -> CompetenceFacts:
    """Competence at a glance on `on` (six queries whatever the size)."""
    current = RoleAssignment.objects.for_org(ctx.org).filter(_current_q(on))
    holders = current.values("member_id").distinct().count()
    ai_holders = (current.filter(role__competence_requirements__ai_specific=True)
                  .values("member_id").distinct().count())
    ai_requirements = CompetenceRequirement.objects.for_org(ctx.org).filter(
        ai_specific=True).count()
    return CompetenceFacts(holders=holders, ai_requirements=ai_requirements,
                           ai_holders=ai_holders, gaps=competence_gaps(ctx=ctx, on=on))
