"""Reads: the frameworks an organisation reports against, and the coverage of each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from aims.catalog import selectors as catalog
from aims.catalog.models import Framework, Mapping, Requirement
from aims.compliance import selectors as compliance
from aims.compliance.selectors import ItemState, item_states
from aims.core.errors import NotFound
from aims.frameworks.coverage import VERDICT_LABELS, VERDICTS, Link, item_standing, verdict
from aims.frameworks.models import ReportingChoice
from aims.orgs.context import Ctx


def reporting_get(*, ctx: Ctx) -> ReportingChoice:
    """ctx.org's choice; an unsaved empty one (version 1) before the first choice."""
    return (ReportingChoice.objects.for_org(ctx.org).first()
            or ReportingChoice(org=ctx.org, frameworks=[]))


def reporting_frameworks(*, ctx: Ctx) -> list[Framework]:
    """The frameworks ctx.org reports against, by name."""
    codes = reporting_get(ctx=ctx).frameworks
    return list(catalog.reportable_frameworks().filter(code__in=codes))


def coverable_get(*, code: str) -> Framework:
    """A framework coverage can be computed for (one with requirements, not ISO/IEC 42001
    itself), or NotFound."""
    fw = catalog.reportable_frameworks().filter(code=code).first()
    if fw is None:
        raise NotFound(f"No framework {code!r} to report coverage against. Use one of: "
                       + ", ".join(catalog.reportable_frameworks().values_list("code", flat=True))
                       + ".")
    return fw


@dataclass(frozen=True)
class MappedItem:
    """One ISO/IEC 42001 item mapped to a target requirement, and how it stands."""

    ref: str
    title: str
    coverage: str
    confidence: str
    status: str  # the item's status label, or "Excluded"
    evidence_count: int
    standing: str  # met, underway or not_started


@dataclass(frozen=True)
class CoverageRow:
    ref: str
    title: str
    kind: str
    group: str
    verdict: str
    reason: str
    items: list[MappedItem]
    applies_from: list[dict] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass(frozen=True)
class CoverageFilters:
    verdict: str = ""
    q: str = ""


@dataclass
class CoverageReport:
    framework: Framework
    rows: list[CoverageRow]
    counts: dict[str, int]
    total: int  # before filtering

    @property
    def percent_covered(self) -> int:
        return round(100 * self.counts.get("covered", 0) / self.total) if self.total else 0


def _item(m: Mapping, states: dict[int, ItemState]) -> MappedItem:
    source = m.source
    assert source is not None  # only rows with an ISO/IEC 42001 side are items
    state = states.get(source.pk)
    return MappedItem(
        ref=source.ref, title=source.title, coverage=m.coverage, confidence=m.confidence,
        status=state.status_label if state else "Not in the record",
        evidence_count=state.evidence_count if state else 0,
        standing=item_standing(state))


def coverage_report(*, ctx: Ctx, code: str,
                    filters: CoverageFilters | None = None) -> CoverageReport:
    """Coverage of one framework by ctx.org's ISO/IEC 42001 record: one row per requirement
    that has no sub-requirements, in document order. A fixed number of queries whatever the
    size of the record: the framework, its requirements with their crosswalk rows, and the
    organisation's items with their evidence counts."""
    f = filters or CoverageFilters()
    fw = coverable_get(code=code)
    reqs = (Requirement.objects.filter(framework=fw, children__isnull=True)
            .select_related("parent")
            .prefetch_related(Prefetch("mappings_in", queryset=Mapping.objects
                                       .select_related("source").order_by("position")))
            .order_by("sort_key"))
    states = item_states(ctx=ctx)
    dates = catalog.timeline_dates(fw)
    rows = []
    for req in reqs:
        mapped = [m for m in req.mappings_in.all() if m.source_id]
        items = [_item(m, states) for m in mapped]
        links = [Link(m.coverage, i.standing) for m, i in zip(mapped, items, strict=True)]
        links += [Link(m.coverage, "not_started") for m in req.mappings_in.all()
                  if not m.source_id]
        v, reason = verdict(links)
        rows.append(CoverageRow(
            ref=req.ref, title=req.title, kind=req.get_kind_display(),
            group=req.parent.title if req.parent else fw.domain_title(req.domain),
            verdict=v, reason=reason, items=items,
            applies_from=[dates[k] for k in req.applies_from if k in dates]))
    counts = Counter(r.verdict for r in rows)
    total = len(rows)
    if f.verdict in VERDICTS:
        rows = [r for r in rows if r.verdict == f.verdict]
    if q := f.q.strip().lower():
        rows = [r for r in rows if q in r.ref.lower() or q in r.title.lower()
                or any(q in i.ref.lower() or q in i.title.lower() for i in r.items)]
    return CoverageReport(framework=fw, rows=rows, counts={v: counts.get(v, 0) for v in VERDICTS},
                          total=total)


# ---------------------------------------------------------------------------- own frameworks
# Frameworks an organisation brought in from an OSCAL catalog: seen by it alone, each control
# a compliance item of its record.


@dataclass
class OwnSummary:
    """How an organisation's own framework stands: its controls by decision and status."""

    framework: Framework
    controls: int = 0
    applicable: int = 0
    excluded: int = 0
    undecided: int = 0
    implemented: int = 0
    with_evidence: int = 0
    retired: int = 0

    @property
    def percent_implemented(self) -> int:
        return round(100 * self.implemented / self.applicable) if self.applicable else 0


def own_framework_list(*, ctx: Ctx) -> list[OwnSummary]:
    """ctx.org's own frameworks by name, each with its counts (two queries)."""
    fws = {f.pk: OwnSummary(f) for f in Framework.objects.filter(org=ctx.org).order_by("name")}
    for fw_id, retired, applicable, status, evidence in compliance.framework_item_facts(ctx=ctx):
        s = fws.get(fw_id)
        if s is not None:
            _count(s, retired, applicable, status, evidence)
    return list(fws.values())


def _count(s: OwnSummary, retired: str, applicable: bool | None, status: str,
           evidence: int | None) -> None:
    if retired:
        s.retired += 1
        return
    s.controls += 1
    s.applicable += applicable is True
    s.excluded += applicable is False
    s.undecided += applicable is None
    s.implemented += applicable is True and status == "implemented"
    s.with_evidence += bool(evidence)


def own_framework_get(*, ctx: Ctx, code: str) -> Framework:
    """One of ctx.org's own frameworks by code; NotFound for any other (another
    organisation's included)."""
    fw = Framework.objects.filter(org=ctx.org, code=code).first()
    if fw is None:
        raise NotFound(f"No framework {code!r} of this organisation's own.")
    return fw


@dataclass(frozen=True)
class OwnFilters:
    q: str = ""
    applicable: str = ""  # yes | no | undecided
    status: str = ""
    retired: bool = False  # show the retired controls instead of the current ones


@dataclass(frozen=True)
class OwnRow:
    """One control of an own framework as its list shows it."""

    item: Any  # the ComplianceItem
    section: str  # the title of the group (or control) it sits in
    evidence_count: int


@dataclass
class OwnReport:
    summary: OwnSummary
    rows: list[OwnRow]
    filtered: bool


def own_framework_report(*, ctx: Ctx, code: str, filters: OwnFilters | None = None
                         ) -> OwnReport:
    """One own framework: its counts and its controls (filtered), each with its decision,
    status, owner, evidence count and section. Three queries whatever its size."""
    f = filters or OwnFilters()
    fw = own_framework_get(ctx=ctx, code=code)
    sections = dict(Requirement.objects.filter(framework=fw).values_list("pk", "title"))
    summary = OwnSummary(fw)
    rows = []
    q = f.q.strip().lower()
    for item in compliance.framework_items(ctx=ctx, framework_id=fw.pk):
        r = item.requirement
        evidence = getattr(item, "evidence_count", 0) or 0  # annotated by the selector
        _count(summary, r.retired_in, item.applicable, item.status, evidence)
        if bool(r.retired_in) != f.retired:
            continue
        if f.applicable and {"yes": True, "no": False, "undecided": None}.get(
                f.applicable, "") != item.applicable:
            continue
        if f.status and item.status != f.status:
            continue
        if q and q not in r.ref.lower() and q not in r.title.lower() and q not in r.label.lower():
            continue
        rows.append(OwnRow(item, sections.get(r.parent_id, "") if r.parent_id else "",
                           evidence))
    return OwnReport(summary, rows, filtered=bool(q or f.applicable or f.status))


def own_item_get(*, ctx: Ctx, code: str, ref: str):
    """One control of one of ctx.org's own frameworks as its compliance item; NotFound for
    anything else."""
    fw = own_framework_get(ctx=ctx, code=code)
    item = compliance.framework_items(ctx=ctx, framework_id=fw.pk).filter(
        requirement__ref=ref).first()
    if item is None:
        raise NotFound(f"No control {ref!r} in {fw.name}.")
    return item
