"""Reads of the internal audit programme: programmes, audits, checklists, findings, coverage."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from aims.accounts.models import User
from aims.audits.models import (
    COMPLETED,
    FINDINGS,
    OPEN,
    Audit,
    AuditLine,
    AuditProgramme,
    AuditStatus,
    LineResult,
)
from aims.audits.scope import auditable, catalog_requirements
from aims.catalog.models import Requirement
from aims.compliance.models import ComplianceItem
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.core.wording import plural_of
from aims.evidence.selectors import evidence_prefetch
from aims.orgs.context import Ctx
from aims.people.selectors import roles_covering

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# ---------------------------------------------------------------------------- programmes


def programme_list(*, ctx: Ctx) -> QuerySet[AuditProgramme]:
    """The organisation's audit programmes, newest cycle first, with audit counts."""
    return (AuditProgramme.objects.for_org(ctx.org).select_related("owner")
            .annotate(audit_count=Count("audits", distinct=True),
                      completed_count=Count("audits", filter=Q(audits__status__in=COMPLETED),
                                            distinct=True))
            .order_by("-start_date", "name"))


def programme_get(*, ctx: Ctx, programme_id: uuid.UUID | str) -> AuditProgramme:
    """One programme of ctx.org, or NotFound (also for another organisation's id)."""
    programme = get_scoped(programme_list(ctx=ctx), programme_id)
    if programme is None:
        raise NotFound("Audit programme not found.")
    return programme


def programme_choices(*, ctx: Ctx) -> list[tuple[str, str]]:
    """(id, name) of every programme, for pickers."""
    return [(str(pk), name) for pk, name in AuditProgramme.objects.for_org(ctx.org)
            .order_by("-start_date", "name").values_list("pk", "name")]


# ---------------------------------------------------------------------------- audits


@dataclass(frozen=True)
class AuditFilters:
    q: str = ""
    programme: str = ""
    status: str = ""
    lead_auditor: str = ""


def _audit_base(ctx: Ctx) -> QuerySet[Audit]:
    return Audit.objects.for_org(ctx.org).select_related("programme", "lead_auditor",
                                                         "issued_by")


def audit_list(*, ctx: Ctx, filters: AuditFilters | None = None) -> QuerySet[Audit]:
    """Audits, newest first, with their scope, team and finding counts (bounded queries)."""
    f = filters or AuditFilters()
    qs = (_audit_base(ctx)
          .prefetch_related(Prefetch("requirements",
                                     queryset=Requirement.objects.order_by("sort_key")),
                            "ai_systems", "team")
          .annotate(line_count=Count("lines", distinct=True),
                    finding_count=Count("lines", filter=Q(lines__result__in=FINDINGS),
                                        distinct=True),
                    open_count=Count("lines", filter=Q(lines__result=LineResult.NOT_ASSESSED),
                                     distinct=True)))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(ref__icontains=f.q)
                       | Q(units__icontains=f.q) | Q(summary__icontains=f.q))
    if f.programme:
        qs = qs.filter(programme_id=f.programme)  # type: ignore[misc]  # uuid text is valid
    if f.status:
        qs = qs.filter(status=f.status)
    if f.lead_auditor:
        qs = qs.filter(lead_auditor_id=f.lead_auditor)  # type: ignore[misc]  # uuid text is valid
    return qs.order_by("-number")


def audit_choices(*, ctx: Ctx, limit: int = 200) -> list[tuple[str, str]]:
    """(id, "AUD-001 title") of the newest audits, for pickers."""
    return [(str(pk), f"{ref} {title}") for pk, ref, title in
            Audit.objects.for_org(ctx.org).order_by("-number")
            .values_list("pk", "ref", "title")[:limit]]


def audit_get(*, ctx: Ctx, audit_id: uuid.UUID | str) -> Audit:
    """One audit of ctx.org with its scope and team, or NotFound."""
    audit = get_scoped(audit_list(ctx=ctx), audit_id)
    if audit is None:
        raise NotFound("Audit not found.")
    return audit


# ---------------------------------------------------------------------------- checklist


@dataclass(frozen=True)
class LineFilters:
    result: str = ""
    findings_only: bool = False


def line_list(*, ctx: Ctx, audit_id: uuid.UUID | str, filters: LineFilters | None = None
              ) -> QuerySet[AuditLine]:
    """An audit's checklist in document order (NotFound for a foreign audit)."""
    # Only the tenant check: audit_get's counts and prefetches would be thrown away.
    audit = get_scoped(Audit.objects.for_org(ctx.org), audit_id)
    if audit is None:
        raise NotFound("Audit not found.")
    f = filters or LineFilters()
    qs = (AuditLine.objects.for_org(ctx.org).filter(audit=audit)
          .select_related("audit", "requirement", "requirement__framework", "ai_system")
          .prefetch_related(Prefetch("evidence", queryset=evidence_prefetch()))
          .order_by("sort_key"))
    if f.result:
        qs = qs.filter(result=f.result)
    if f.findings_only:
        qs = qs.filter(result__in=FINDINGS)
    return qs


def line_get(*, ctx: Ctx, line_id: uuid.UUID | str, audit_id: uuid.UUID | str | None = None
            ) -> AuditLine:
    """One checklist line of ctx.org (of `audit_id` when given), or NotFound."""
    qs = (AuditLine.objects.for_org(ctx.org)
          .select_related("audit", "requirement", "requirement__framework", "ai_system")
          .prefetch_related(Prefetch("evidence", queryset=evidence_prefetch())))
    if audit_id is not None:
        try:
            qs = qs.filter(audit_id=uuid.UUID(str(audit_id)))
        except ValueError:
            raise NotFound("Checklist line not found.") from None
    line = get_scoped(qs, line_id)
    if line is None:
        raise NotFound("Checklist line not found.")
    return line


def result_counts(*, ctx: Ctx, audit) -> dict[str, int]:
    """How many lines of the audit have each result (every result present as a key)."""
    rows = (AuditLine.objects.for_org(ctx.org).filter(audit=audit)
            .values_list("result").annotate(n=Count("pk")))
    counts = dict.fromkeys(LineResult.values, 0)
    counts.update(dict(rows))
    return counts


@dataclass(frozen=True)
class FindingFilters:
    q: str = ""
    programme: str = ""
    audit: str = ""
    result: str = ""
    requirement: str = ""  # a ref
    ai_system: str = ""


def finding_list(*, ctx: Ctx, filters: FindingFilters | None = None) -> QuerySet[AuditLine]:
    """Checklist lines that are findings (nonconformities, observations, opportunities for
    improvement), newest audit first."""
    f = filters or FindingFilters()
    qs = (AuditLine.objects.for_org(ctx.org).filter(result__in=FINDINGS)
          .select_related("audit", "audit__programme", "requirement",
                          "requirement__framework", "ai_system")
          .prefetch_related(Prefetch("evidence", queryset=evidence_prefetch())))
    if f.q:
        qs = qs.filter(Q(notes__icontains=f.q) | Q(requirement__ref__icontains=f.q)
                       | Q(requirement__title__icontains=f.q) | Q(audit__title__icontains=f.q))
    if f.programme:
        qs = qs.filter(audit__programme_id=f.programme)  # type: ignore[misc]  # uuid text is valid
    if f.audit:
        qs = qs.filter(audit_id=f.audit)
    if f.result:
        qs = qs.filter(result=f.result)
    if f.requirement:
        qs = qs.filter(requirement__ref=f.requirement)
    if f.ai_system:
        qs = qs.filter(ai_system_id=f.ai_system)  # type: ignore[misc]  # uuid text is valid
    return qs.order_by("-audit__number", "sort_key")


# ---------------------------------------------------------------------------- independence


@dataclass(frozen=True)
class IndependenceWarning:
    """An auditor of the audit answers for part of what it audits (9.2.2: auditors should not
    audit their own work). A warning, not a refusal: small organisations sometimes must."""

    user_id: Any
    auditor: str
    message: str


def _role_warnings(coverage, user_id, who: str, role: str, refs: set[str],
                   systems: list) -> list[IndependenceWarning]:
    """Warnings for the AIMS roles (aims.people) that make part of the scope someone's own:
    `coverage` tells which requirements (with everything under them) and AI systems the
    person's current roles look after."""
    hit_refs = sorted(refs & coverage.covered_refs)
    hit_systems = [s.name for s in systems if s.pk in coverage.ai_system_ids]
    if not hit_refs and not hit_systems:
        return []
    names = ", ".join(f"“{r.name}”" for r in coverage.roles) or "an AIMS role"
    parts = []
    if hit_refs:
        parts.append(plural_of(len(hit_refs), "requirement") + " " + ", ".join(hit_refs[:8])
                     + (" …" if len(hit_refs) > 8 else ""))
    if hit_systems:
        parts.append(plural_of(len(hit_systems), "AI system") + " " + ", ".join(hit_systems))
    return [IndependenceWarning(user_id, who, (
        f"{who} ({role}) holds the AIMS {plural_of(len(coverage.roles), 'role')} {names}, covering {' and '.join(parts)} "
        "in scope."))]


def audit_independence(*, ctx: Ctx, audit: Audit) -> list[IndependenceWarning]:
    """Where the lead or a team member audits their own area: they own a compliance item or
    an AI system in scope, or hold an AIMS role that covers part of the scope."""
    auditors: dict[uuid.UUID, User] = {}
    if audit.lead_auditor is not None:
        auditors[audit.lead_auditor.pk] = audit.lead_auditor
    for user in audit.team.all():
        auditors.setdefault(user.pk, user)
    if not auditors:
        return []
    requirements = list(audit.requirements.all())
    systems = list(audit.ai_systems.all())
    req_ids = {r.pk for r in requirements}
    owned: dict[Any, list[str]] = defaultdict(list)
    for owner_id, ref in (ComplianceItem.objects.for_org(ctx.org)
                          .filter(requirement_id__in=req_ids, owner_id__in=auditors)
                          .order_by("requirement__sort_key")
                          .values_list("owner_id", "requirement__ref")):
        owned[owner_id].append(ref)
    warnings = []
    refs = {r.ref for r in requirements}
    for user_id, user in auditors.items():
        who = user.display_name
        role = "lead auditor" if user_id == audit.lead_auditor_id else "audit team member"
        if owned.get(user_id):
            shown = ", ".join(owned[user_id][:8]) + (" …" if len(owned[user_id]) > 8 else "")
            warnings.append(IndependenceWarning(user_id, who, (
                f"{who} ({role}) owns {plural_of(len(owned[user_id]), 'requirement')} in scope: {shown}.")))
        own_systems = [s.name for s in systems if s.owner_id == user_id]
        if own_systems:
            warnings.append(IndependenceWarning(user_id, who, (
                f"{who} ({role}) owns {plural_of(len(own_systems), 'AI system')} in scope: {', '.join(own_systems)}.")))
        warnings += _role_warnings(roles_covering(ctx=ctx, user=user), user_id, who, role,
                                   refs, systems)
    return warnings


# ---------------------------------------------------------------------------- coverage


class CoverageState:
    COVERED = "covered"
    PLANNED = "planned"
    MISSING = "missing"


@dataclass
class CoverageRow:
    requirement: Requirement
    state: str
    soa: str  # "clause" | "applicable" | "undecided"
    covered_by: list[Any] = field(default_factory=list)  # completed audits (ref, id)
    planned_in: list[Any] = field(default_factory=list)  # open audits (ref, id)


@dataclass
class CoverageGroup:
    ref: str
    title: str
    rows: list[CoverageRow] = field(default_factory=list)


@dataclass
class Coverage:
    groups: list[CoverageGroup]
    counts: dict[str, int]
    excluded: list[Requirement]  # controls the SoA excludes: not required
    undecided: int  # controls the SoA has not decided yet: required until excluded

    @property
    def required(self) -> int:
        return sum(self.counts.values())

    @property
    def rows(self) -> list[CoverageRow]:
        return [r for g in self.groups for r in g.rows]


@dataclass(frozen=True)
class AuditRef:
    id: Any
    ref: str
    status: str


def programme_coverage(*, ctx: Ctx, programme: AuditProgramme) -> Coverage:
    """For every leaf clause and every Annex A control the SoA does not exclude: covered (in
    scope of a reported or closed audit of the programme), planned (in scope of a planned or
    in-progress one) or missing. Cancelled audits count for nothing. Controls not yet decided
    in the SoA are required (flagged): until excluded, the AIMS must show they work.
    Four queries whatever the size of the programme."""
    everything = catalog_requirements()
    leaves = auditable(everything)
    decided = dict(ComplianceItem.objects.for_org(ctx.org)
                   .filter(requirement__kind=Requirement.Kind.CONTROL)
                   .values_list("requirement_id", "applicable"))
    through = Audit.requirements.through
    scoped: dict[int, list[AuditRef]] = defaultdict(list)
    for req_id, audit_id, ref, status in (
            through.objects.filter(audit__org=ctx.org, audit__programme=programme)
            .values_list("requirement_id", "audit_id", "audit__ref", "audit__status")
            .order_by("audit__number")):
        scoped[req_id].append(AuditRef(audit_id, ref, status))
    titles = {d["ref"]: d["title"] for d in (everything[0].framework.domains
                                             if everything else [])}
    top = {r.ref: r.title for r in everything if r.parent_id is None}
    groups: dict[str, CoverageGroup] = {}
    excluded = []
    counts: Counter = Counter({CoverageState.COVERED: 0, CoverageState.PLANNED: 0,
                               CoverageState.MISSING: 0})
    undecided = 0
    for req in leaves:
        if req.kind == Requirement.Kind.CONTROL:
            applicable = decided.get(req.pk)
            if applicable is False:
                excluded.append(req)
                continue
            soa = "applicable" if applicable else "undecided"
            undecided += applicable is None
        else:
            soa = "clause"
        audits = scoped.get(req.pk, [])
        done = [a for a in audits if a.status in COMPLETED]
        planned = [a for a in audits if a.status in OPEN]
        state = (CoverageState.COVERED if done else
                 CoverageState.PLANNED if planned else CoverageState.MISSING)
        counts[state] += 1
        key = req.domain
        if key not in groups:
            title = titles.get(key) or top.get(key, "")
            label = f"Clause {key}" if req.kind == Requirement.Kind.CLAUSE else key
            groups[key] = CoverageGroup(ref=label, title=title)
        groups[key].rows.append(CoverageRow(req, state, soa, done, planned))
    return Coverage(groups=list(groups.values()), counts=dict(counts), excluded=excluded,
                    undecided=undecided)


def scope_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped (ref, label) choices of what an audit can have in scope, for pickers."""
    everything = catalog_requirements()
    titles = {d["ref"]: d["title"] for d in (everything[0].framework.domains
                                             if everything else [])}
    top = {r.ref: r.title for r in everything if r.parent_id is None}
    out: dict[str, list[tuple[str, str]]] = {}
    for req in auditable(everything):
        group = (f"Clause {req.domain} {top.get(req.domain, '')}"
                 if req.kind == Requirement.Kind.CLAUSE
                 else f"{req.domain} {titles.get(req.domain, '')}")
        out.setdefault(group.strip(), []).append((req.ref, f"{req.ref} {req.title}"))
    return list(out.items())


class FindingCounts(TypedDict):
    """What audits_reported adds to each audit."""

    majors: int
    minors: int
    others: int


def audits_reported(*, ctx: Ctx, after: datetime.datetime | None, before: datetime.datetime
                    ) -> QuerySet[WithAnnotations[Audit, FindingCounts]]:
    """Audits whose report was issued in [after, before), in issue order, each with its
    findings counted: `majors`, `minors` and `others` (observations and opportunities)."""
    qs = Audit.objects.for_org(ctx.org).filter(issued_at__lt=before)
    if after is not None:
        qs = qs.filter(issued_at__gte=after)
    return qs.annotate(
        majors=Count("lines", filter=Q(lines__result=LineResult.MAJOR_NC)),
        minors=Count("lines", filter=Q(lines__result=LineResult.MINOR_NC)),
        others=Count("lines", filter=Q(lines__result__in=[LineResult.OBSERVATION,
                                                          LineResult.OFI])),
    ).order_by("issued_at")


def audits_unreported_count(*, ctx: Ctx, created_before: datetime.datetime) -> int:
    """Audits created before `created_before` that are planned or under way (not issued, not
    cancelled)."""
    return Audit.objects.for_org(ctx.org).filter(
        created_at__lt=created_before, issued_at__isnull=True).exclude(
        status=AuditStatus.CANCELLED).count()


def programme_in_force(*, ctx: Ctx, on: datetime.date) -> AuditProgramme | None:
    """The programme whose cycle holds `on` (the latest started, when cycles overlap)."""
    for programme in programme_list(ctx=ctx).filter(start_date__lte=on).order_by(
            "-start_date"):
        if programme.end_date is None or programme.end_date >= on:
            return programme
    return None
