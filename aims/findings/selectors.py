"""Reads of security findings, always inside the organisation's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.findings.models import SEVERITY_RANK, UNRESOLVED, Finding, FindingStatus, Scan
from aims.orgs.context import Ctx

KIND = "security_finding"


@dataclass
class FindingFilters:
    q: str = ""
    ai_system: str = ""
    status: str = ""
    severity: str = ""
    tool: str = ""
    owasp_llm: str = ""

    @property
    def active(self) -> bool:
        return any(v not in ("", None) for v in vars(self).values())


# "unresolved" is a filter value of its own: open or awaiting approval.
UNRESOLVED_FILTER = "unresolved"


def _severity_order() -> Case:
    return Case(*(When(severity=s, then=Value(n)) for s, n in SEVERITY_RANK.items()),
                default=Value(len(SEVERITY_RANK)), output_field=IntegerField())


def finding_list(*, ctx: Ctx, filters: FindingFilters | None = None) -> QuerySet[Finding]:
    """Findings of ctx.org, most severe first, then newest, with their system and owner."""
    f = filters or FindingFilters()
    qs = (Finding.objects.for_org(ctx.org)
          .select_related("ai_system", "owner", "risk", "nonconformity")
          .annotate(severity_rank=_severity_order()))
    if f.q.strip():
        q = f.q.strip()
        qs = qs.filter(Q(ref__iexact=q) | Q(rule_id__icontains=q) | Q(rule_name__icontains=q)
                       | Q(message__icontains=q) | Q(location__icontains=q)
                       | Q(cwes__icontains=q))
    if f.ai_system:
        try:
            qs = qs.filter(ai_system_id=uuid.UUID(str(f.ai_system)))
        except ValueError:
            return qs.none()
    if f.status == UNRESOLVED_FILTER:
        qs = qs.filter(status__in=UNRESOLVED)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.tool:
        qs = qs.filter(tool_name=f.tool)
    if f.owasp_llm:
        qs = qs.filter(owasp_llm=f.owasp_llm)
    return qs.order_by("severity_rank", "-number")


def finding_get(*, ctx: Ctx, finding_id: uuid.UUID | str) -> Finding:
    """One finding of ctx.org with who triaged it and what it raised; NotFound otherwise."""
    finding = get_scoped(
        Finding.objects.for_org(ctx.org).select_related(
            "ai_system", "owner", "submitted_by", "approved_by", "risk", "nonconformity",
            "last_scan"), finding_id)
    if finding is None:
        raise NotFound("Finding not found.")
    return finding


def findings_open_for_system(*, ctx: Ctx, system_id: uuid.UUID, limit: int = 25
                             ) -> list[Finding]:
    """The system's open findings (and those awaiting an acceptance), most severe first."""
    return list(finding_list(ctx=ctx, filters=FindingFilters(
        ai_system=str(system_id), status=UNRESOLVED_FILTER))[:limit])


@dataclass(frozen=True)
class FindingCounts:
    total: int
    unresolved: int
    accepted: int
    critical_high: int


def finding_counts(*, ctx: Ctx, system_id: uuid.UUID) -> FindingCounts:
    """How many findings one system has, and how many still ask for action (one query)."""
    c = Finding.objects.for_org(ctx.org).filter(ai_system_id=system_id).aggregate(
        total=Count("pk"), unresolved=Count("pk", filter=Q(status__in=UNRESOLVED)),
        accepted=Count("pk", filter=Q(status=FindingStatus.ACCEPTED)),
        critical_high=Count("pk", filter=Q(status__in=UNRESOLVED,
                                           severity__in=("critical", "high"))))
    return FindingCounts(**c)


def tool_choices(*, ctx: Ctx) -> list[str]:
    """The tools that reported findings in ctx.org, by name."""
    return list(Finding.objects.for_org(ctx.org).order_by("tool_name")
                .values_list("tool_name", flat=True).distinct()[:200])


def scan_list(*, ctx: Ctx, system_id: uuid.UUID | None = None) -> QuerySet[Scan]:
    """Reports brought in, newest first."""
    qs = Scan.objects.for_org(ctx.org).select_related("ai_system", "imported_by")
    return qs.filter(ai_system_id=system_id) if system_id else qs
