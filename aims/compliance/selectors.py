"""Reads of compliance items: the Statement of Applicability and the clause gap analysis."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from aims.activity.kept import kept_read
from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001
from aims.compliance.models import ComplianceItem, ImplementationStatus
from aims.core.counts import count_of
from aims.core.errors import NotFound
from aims.evidence.selectors import evidence_count
from aims.orgs.context import Ctx
from aims.records import hooks

FRAMEWORK = ISO42001
KIND = "compliance_item"  # the record kind of compliance items (records.py)


@dataclass(frozen=True)
class SoaFilters:
    q: str = ""
    domain: str = ""
    applicable: str = ""  # "yes" | "no" | "undecided" | ""
    status: str = ""
    owner: str = ""


def _scoped(ctx: Ctx) -> QuerySet[ComplianceItem]:
    """ctx.org's items of the framework, with what every row and page shows."""
    return (ComplianceItem.objects.for_org(ctx.org)
            .filter(requirement__framework__code=FRAMEWORK)
            .select_related("requirement", "requirement__framework", "owner")
            .annotate(evidence_count=evidence_count(KIND)))


def _items(ctx: Ctx, kind: str) -> QuerySet[ComplianceItem]:
    return _scoped(ctx).filter(requirement__kind=kind).order_by("requirement__sort_key")


# The risks whose treatment links a control: the first RISKS_SHOWN by reference (one query for
# the whole list, ranked per control in the database) and how many there are in all (counted
# per control by subquery). A large register links thousands of risks to each control: loading
# them all for a page that shows a few grew with the register.
RISKS_SHOWN = 25
_RISKS = ComplianceItem._meta.get_field("risks")  # Risk, reached without importing its app
_LINKS = ComplianceItem.risks.through


def _with_risks(qs: QuerySet[ComplianceItem]) -> QuerySet[ComplianceItem]:
    # Only what a row shows of a risk: the ranking reads every link of the control.
    shown = (_RISKS.related_model._default_manager  # type: ignore[attr-defined]
             .only("id", "org_id", "number", "ref", "title", "status")
             .order_by("number")[:RISKS_SHOWN])
    return (qs.annotate(risk_count=count_of(_LINKS.objects.all(), "complianceitem_id"))
            .prefetch_related(Prefetch("risks", queryset=shown, to_attr="risks_shown")))


def soa_linked_risks(*, items: list[ComplianceItem]) -> dict[Any, list[tuple[str, str]]]:
    """{item id: (ref, title) of every risk linking it, by reference} (one query), for the
    export, which lists them all."""
    out: dict[Any, list[tuple[str, str]]] = {i.pk: [] for i in items}
    # A large register links tens of thousands of risks: the rows are read as the database
    # gives them and matched on the item id as stored, instead of each id being turned into
    # a UUID (most of the export's time at 27,000 links).
    stored = {ComplianceItem._meta.pk.get_db_prep_value(pk, connection): pk for pk in out}
    sql, params = (_LINKS.objects.filter(complianceitem_id__in=list(out))
                   .order_by("risk__number")
                   .values_list("complianceitem_id", "risk__ref", "risk__title")
                   .query.sql_with_params())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for item_id, ref, title in cursor.fetchall():
            out[stored[item_id]].append((ref, title))
    return out


def soa_list(*, ctx: Ctx, filters: SoaFilters | None = None,
             risks: bool = True) -> QuerySet[ComplianceItem]:
    """The Annex A controls of the SoA in document order, filtered, with the first risks that
    link each (`risks_shown`) and how many do (`risk_count`); without them when `risks` is
    False (the export reads every link itself: soa_linked_risks)."""
    f = filters or SoaFilters()
    qs = _items(ctx, Requirement.Kind.CONTROL)
    if risks:
        qs = _with_risks(qs)
    if f.q:
        qs = qs.filter(Q(requirement__ref__icontains=f.q) | Q(requirement__title__icontains=f.q)
                       | Q(justification__icontains=f.q) | Q(notes__icontains=f.q))
    if f.domain:
        qs = qs.filter(requirement__domain=f.domain)
    if f.applicable == "yes":
        qs = qs.filter(applicable=True)
    elif f.applicable == "no":
        qs = qs.filter(applicable=False)
    elif f.applicable == "undecided":
        qs = qs.filter(applicable__isnull=True)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)  # type: ignore[misc]  # uuid text is valid
    return qs


def soa_rows(*, ctx: Ctx, filters: SoaFilters | None = None) -> list[ComplianceItem]:
    """soa_list as a list, for the SoA page and the API: worked out again only once ctx.org's
    record has changed, or the day (aims.activity.kept). Ranking every control's risks reads
    every link of the register: about 150 ms at 36,000 links."""
    f = filters or SoaFilters()
    return kept_read(ctx=ctx, key=("soa", f, timezone.localdate()),
                     read=lambda: list(soa_list(ctx=ctx, filters=f)))


@dataclass
class SoaDomain:
    ref: str
    title: str
    items: list[ComplianceItem] = field(default_factory=list)


def soa_grouped(items) -> list[SoaDomain]:
    """Group SoA rows by Annex A domain, in order."""
    out = []
    for ref, group in groupby(items, key=lambda i: i.requirement.domain):
        rows = list(group)
        out.append(SoaDomain(ref, rows[0].requirement.framework.domain_title(ref), rows))
    return out


@dataclass(frozen=True)
class SoaSummary:
    total: int
    applicable: int
    excluded: int
    undecided: int
    by_status: dict[str, int]


def soa_summary(*, ctx: Ctx) -> SoaSummary:
    """Counts over all 38 controls, for the header of the SoA page."""
    rows = list(_items(ctx, Requirement.Kind.CONTROL).values_list("applicable", "status"))
    app = Counter(a for a, _ in rows)
    return SoaSummary(
        total=len(rows), applicable=app[True], excluded=app[False], undecided=app[None],
        by_status=dict(Counter(s for a, s in rows if a)),
    )


def soa_item_get(*, ctx: Ctx, ref: str) -> ComplianceItem:
    """One compliance item by requirement ref, or NotFound."""
    item = _with_risks(_scoped(ctx).filter(requirement__ref=ref)).first()
    if item is None:
        raise NotFound(f"No requirement {ref!r} in this organisation's record.")
    return item


def clause_list(*, ctx: Ctx) -> QuerySet[ComplianceItem]:
    """Clause 4–10 items (the gap analysis), in document order."""
    return _items(ctx, Requirement.Kind.CLAUSE)


# ---------------------------------------------------------------------------- how each stands

SEVERITY_RANK = {"major": 0, "minor": 1, "observation": 2}
# The gravest finding on a requirement decides how it stands: (label, badge).
GAP_STATES = {
    "major": ("Major gap", "bad"),
    "minor": ("Minor gap", "warn"),
    "observation": ("Observations", "ok"),
    None: ("No gap found", "ok"),
}


@dataclass(frozen=True)
class Gap:
    """How a requirement stands, derived from the record rather than set by hand: what is
    found wrong about it today (see hooks.REQUIREMENT_FINDINGS) and the gravest of that."""

    findings: list[dict[str, Any]]
    judged: bool = True  # False when no app judges the record

    @property
    def worst(self) -> str | None:
        return min((f["severity"] for f in self.findings), key=SEVERITY_RANK.__getitem__,
                   default=None)

    @property
    def label(self) -> str:
        return GAP_STATES[self.worst][0] if self.judged else "Not judged"

    @property
    def badge(self) -> str:
        return GAP_STATES[self.worst][1] if self.judged else "muted"


def requirement_gaps(*, ctx: Ctx, refs: list[str]) -> dict[str, Gap]:
    """{ref: how it stands} for each of `refs`, gravest findings first (one judgement of the
    record whatever the number of refs)."""
    answers = hooks.run(hooks.REQUIREMENT_FINDINGS, ctx=ctx, refs=list(refs))
    found: dict[str, list[dict[str, Any]]] = {ref: [] for ref in refs}
    for answer in answers:
        for ref, rows in answer.items():
            found.setdefault(ref, []).extend(rows)
    return {ref: Gap(findings=sorted(rows, key=lambda f: SEVERITY_RANK[f["severity"]]),
                     judged=bool(answers)) for ref, rows in found.items()}


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class ItemFacts:
    """What the readiness rules read of one requirement as it applies to ctx.org."""

    id: Any
    ref: str
    kind: str  # clause or control
    title: str
    domain: str
    applicable: bool | None
    inclusion_reason: str
    justification: str
    status: str
    owner_id: Any
    last_reviewed: datetime.date | None


def item_facts(*, ctx: Ctx) -> list[ItemFacts]:
    """Every ISO/IEC 42001 requirement of ctx.org's record, in document order (one query)."""
    rows = (ComplianceItem.objects.for_org(ctx.org)
            .filter(requirement__framework__code=FRAMEWORK)
            .order_by("requirement__sort_key")
            .values_list("id", "requirement__ref", "requirement__kind", "requirement__title",
                         "requirement__domain", "applicable", "inclusion_reason",
                         "justification", "status", "owner_id", "last_reviewed"))
    return [ItemFacts(*row) for row in rows]


# ---------------------------------------------------------------------------- crosswalks


@dataclass(frozen=True)
class ItemState:
    """How one ISO/IEC 42001 requirement stands in ctx.org's record, as another framework's
    coverage reads it."""

    requirement_id: int
    ref: str
    applicable: bool | None
    status: str
    evidence_count: int

    @property
    def status_label(self) -> str:
        if self.applicable is False:
            return "Excluded"
        return ImplementationStatus(self.status).label


def item_states(*, ctx: Ctx) -> dict[int, ItemState]:
    """{requirement id: state} for every ISO/IEC 42001 item of ctx.org (one query)."""
    rows = (ComplianceItem.objects.for_org(ctx.org)
            .filter(requirement__framework__code=FRAMEWORK)
            .annotate(evidence_count=evidence_count(KIND))
            .values_list("requirement_id", "requirement__ref", "applicable", "status",
                         "evidence_count"))
    return {row[0]: ItemState(row[0], row[1], row[2], row[3], row[4] or 0) for row in rows}


# ---------------------------------------------------------------------------- own frameworks


def framework_items(*, ctx: Ctx, framework_id: int) -> QuerySet[ComplianceItem]:
    """ctx.org's items of one framework of its own (an imported catalog), in document order,
    with their requirement, owner and evidence count (one query)."""
    return (ComplianceItem.objects.for_org(ctx.org)
            .filter(requirement__framework_id=framework_id,
                    requirement__framework__org=ctx.org)
            .select_related("requirement", "requirement__parent", "owner")
            .annotate(evidence_count=evidence_count(KIND))
            .order_by("requirement__sort_key"))


def framework_item_facts(*, ctx: Ctx) -> list[tuple[int, str, bool | None, str, int]]:
    """(framework id, retired in, applicable, status, evidence count) of ctx.org's items of
    every framework of its own (one query)."""
    return [(fw, retired, applicable, status, evidence or 0) for
            fw, retired, applicable, status, evidence in
            ComplianceItem.objects.for_org(ctx.org)
            .filter(requirement__framework__org=ctx.org)
            .annotate(evidence_count=evidence_count(KIND))
            .values_list("requirement__framework_id", "requirement__retired_in", "applicable",
                         "status", "evidence_count")]
