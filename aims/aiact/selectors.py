"""Reads: AI systems' classifications and the obligations they bring, organisation-scoped."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from aims.aiact import engine, obligations
from aims.aiact.models import (
    CLOSED,
    AiActClass,
    ClassificationVersion,
    ObligationItem,
    ObligationStatus,
)
from aims.aiact.questionnaire import BY_ID, Question
from aims.catalog.selectors import framework_get
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.evidence.selectors import evidence_count
from aims.impact.selectors import FriaStanding, fria_standing
from aims.inventory.models import AISystem, SystemChange
from aims.inventory.selectors import ai_system_get, ai_system_list
from aims.orgs.context import Ctx

FRAMEWORK = "eu-ai-act"
KIND = "aiact_obligation"  # the record kind of obligation items (records.py)
FRIA_RULE = "fria"


@dataclass
class Classification:
    """An AI system's current classification (`current` is None before the first save)."""

    system: AISystem
    current: ClassificationVersion | None
    needs_review: bool = False  # a significant change was recorded after it
    review_reason: str = ""

    @property
    def version(self) -> int:
        return self.current.number if self.current else 0


def _review(ctx: Ctx, system: AISystem, current: ClassificationVersion | None) -> str:
    if current is None:
        return ""
    change = (SystemChange.objects.for_org(ctx.org)
              .filter(ai_system=system, significant=True, created_at__gt=current.created_at)
              .order_by("-created_at").first())
    if change is None:
        return ""
    return (f"A significant change was recorded on {change.changed_on:%d %b %Y} after this "
            f"classification: “{change.description[:120]}”. Check the answers still hold and "
            "save the classification again.")


def classification_get(*, ctx: Ctx, system_id: uuid.UUID | str) -> Classification:
    """The current classification of one AI system of ctx.org (NotFound for a foreign id)."""
    system = ai_system_get(ctx=ctx, system_id=system_id)
    current = (ClassificationVersion.objects.for_org(ctx.org).filter(ai_system=system)
               .select_related("saved_by").order_by("-number").first())
    reason = _review(ctx, system, current)
    return Classification(system=system, current=current, needs_review=bool(reason),
                          review_reason=reason)


def classification_versions(*, ctx: Ctx, system_id: uuid.UUID | str):
    """Every saved classification of one AI system of ctx.org, newest first."""
    system = ai_system_get(ctx=ctx, system_id=system_id)
    return (ClassificationVersion.objects.for_org(ctx.org).filter(ai_system=system)
            .select_related("saved_by", "ai_system").order_by("-number"))


def questions_for(answers: dict[str, Any]) -> tuple[list[Question], engine.Evaluation]:
    """The questions the answers reach (the next open one last) and the evaluation."""
    ev = engine.evaluate(answers)
    return [BY_ID[q] for q in ev.asked], ev


# ---------------------------------------------------------------------------- obligations


@dataclass(frozen=True)
class ObligationFilters:
    ai_system: uuid.UUID | None = None
    date_from: datetime.date | None = None  # applies from this date or later
    date_to: datetime.date | None = None  # applies from this date or earlier
    status: str = ""  # an ObligationStatus, or "overdue" / "open" (not met, not set aside)
    owner: str = ""  # a member's user id, or "none" for nobody
    include_ended: bool = False  # also those a later classification no longer brings


STATUS_FILTERS = [*ObligationStatus.choices, ("open", "Open (not met, not set aside)"),
                  ("overdue", "Overdue (applies and not met)")]


@dataclass
class ObligationRow:
    """One obligation item with what its row shows: the system's class, the date's label on
    the timeline, the article's title, and, for Art. 27, the system's FRIA standing."""

    item: ObligationItem
    cls: str
    timeline_label: str
    today: datetime.date
    fria: FriaStanding | None = None

    @property
    def system(self) -> AISystem:
        return self.item.ai_system

    @property
    def days_left(self) -> int:
        return max(0, (self.item.applies_from - self.today).days)

    @property
    def in_force(self) -> bool:
        return self.item.applies_from <= self.today

    @property
    def overdue(self) -> bool:
        return self.item.overdue_on(self.today)

    @property
    def class_label(self) -> str:
        return AiActClass(self.cls).label if self.cls in AiActClass.values else self.cls

    @property
    def title(self) -> str:
        r = self.item.requirement
        return r.title if r is not None else self.item.ref


@dataclass
class Calendar:
    rows: list[ObligationRow]
    unclassified: list[AISystem] = field(default_factory=list)
    without_role: list[AISystem] = field(default_factory=list)


def latest_versions(*, ctx: Ctx) -> dict[uuid.UUID, ClassificationVersion]:
    """{system id: its latest classification} for ctx.org, in one query."""
    latest = (ClassificationVersion.objects.for_org(ctx.org)
              .filter(ai_system=OuterRef("ai_system")).order_by("-number").values("number")[:1])
    qs = (ClassificationVersion.objects.for_org(ctx.org)
          .filter(number=Subquery(latest)).only("ai_system_id", "number", "result_class",
                                                "facts", "created_at"))
    return {v.ai_system_id: v for v in qs}


def _items(ctx: Ctx) -> QuerySet[ObligationItem]:
    """ctx.org's obligation items with what a row shows (evidence counted in the query)."""
    return (ObligationItem.objects.for_org(ctx.org)
            .select_related("ai_system", "requirement", "owner")
            .annotate(evidence_count=evidence_count(KIND)))


def _filtered(ctx: Ctx, f: ObligationFilters, today: datetime.date) -> QuerySet[ObligationItem]:
    qs = _items(ctx).exclude(ai_system__status="retired")
    if not f.include_ended:
        qs = qs.filter(applies=True)
    if f.ai_system is not None:
        qs = qs.filter(ai_system_id=f.ai_system)
    if f.date_from:
        qs = qs.filter(applies_from__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(applies_from__lte=f.date_to)
    if f.status in ("open", "overdue"):
        qs = qs.exclude(status__in=CLOSED).filter(applies=True)
        if f.status == "overdue":
            qs = qs.filter(applies_from__lte=today)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif f.owner:
        try:
            qs = qs.filter(owner_id=uuid.UUID(f.owner))
        except ValueError:  # no member has that id: nothing matches
            qs = qs.none()
    return qs.order_by("applies_from", "ai_system__name", "ref", "role")


def _rows(ctx: Ctx, items: list[ObligationItem], today: datetime.date) -> list[ObligationRow]:
    """Rows for `items`: a bounded number of queries whatever their number."""
    timeline = {t["key"]: t["label"] for t in framework_get(code=FRAMEWORK).timeline}
    versions = latest_versions(ctx=ctx) if items else {}
    fria_systems = {i.ai_system_id for i in items if i.rule == FRIA_RULE}
    fria = fria_standing(ctx=ctx, system_ids=fria_systems)
    return [ObligationRow(
        item=i, cls=versions[i.ai_system_id].result_class if i.ai_system_id in versions
        else i.ai_system.eu_risk_class, timeline_label=timeline.get(i.timeline_key, ""),
        today=today, fria=fria.get(i.ai_system_id) if i.rule == FRIA_RULE else None)
        for i in items]


def obligation_calendar(*, ctx: Ctx, filters: ObligationFilters | None = None,
                        today: datetime.date) -> Calendar:
    """ctx.org's EU AI Act obligations for its active AI systems, by its role toward each:
    one row per obligation item, ordered by the date it applies from, with the systems not
    classified yet and those with no AI Act role. A bounded number of queries whatever the
    number of systems and obligations."""
    f = filters or ObligationFilters()
    rows = _rows(ctx, list(_filtered(ctx, f, today)), today)
    cal = Calendar(rows=rows)
    versions = latest_versions(ctx=ctx)
    systems = ai_system_list(ctx=ctx).exclude(status="retired")
    if f.ai_system is not None:
        systems = systems.filter(pk=f.ai_system)
    for system in systems:
        version = versions.get(system.pk)
        if version is None:
            cal.unclassified.append(system)
        elif (version.result_class != "out_of_scope"
              and not obligations.operator_roles(system.roles, version.facts)):
            cal.without_role.append(system)
    return cal


def obligation_get(*, ctx: Ctx, item_id: uuid.UUID | str,
                   today: datetime.date) -> ObligationRow:
    """One obligation item of ctx.org with what its page shows (NotFound for a foreign id)."""
    item = get_scoped(_items(ctx), item_id)
    if item is None:
        raise NotFound("Obligation not found.")
    return _rows(ctx, [item], today)[0]


def obligations_for_system(*, ctx: Ctx, system: AISystem,
                           today: datetime.date) -> list[ObligationRow]:
    """Every obligation item of one system, the ones that apply first, each by date."""
    items = list(_items(ctx).filter(ai_system=system)
                 .order_by("-applies", "applies_from", "ref", "role"))
    for i in items:
        i.ai_system = system
    return _rows(ctx, items, today)


def obligation_overview(*, ctx: Ctx, today: datetime.date) -> dict[str, int]:
    """How many obligations of ctx.org's active systems are open, and how many of those
    already apply (overdue). For the dashboard."""
    qs = (ObligationItem.objects.for_org(ctx.org).filter(applies=True)
          .exclude(ai_system__status="retired").exclude(status__in=CLOSED))
    return qs.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(applies_from__lte=today)))


def class_overview(*, ctx: Ctx) -> dict[str, int]:
    """How many active systems of ctx.org need a (new) classification: never classified, or a
    significant change since. For the dashboard."""
    active = ai_system_list(ctx=ctx).filter(status="active")
    last = (ClassificationVersion.objects.for_org(ctx.org)
            .values("ai_system").annotate(at=Max("created_at")))
    saved = {r["ai_system"]: r["at"] for r in last}
    changed = (SystemChange.objects.for_org(ctx.org).filter(significant=True)
               .values("ai_system").annotate(at=Max("created_at")))
    latest_change = {r["ai_system"]: r["at"] for r in changed}
    ids = list(active.values_list("pk", flat=True))
    return {
        "unclassified": sum(1 for i in ids if i not in saved),
        "review": sum(1 for i in ids if i in saved and i in latest_change
                      and latest_change[i] > saved[i]),
    }
