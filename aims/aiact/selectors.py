"""Reads: AI systems' classifications and the obligations they bring, organisation-scoped."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, OuterRef, Subquery

from aims.aiact import engine, obligations
from aims.aiact.models import ClassificationVersion
from aims.aiact.questionnaire import BY_ID, Question
from aims.catalog.selectors import framework_get
from aims.compliance.models import ComplianceItem
from aims.inventory.models import AISystem, SystemChange
from aims.inventory.selectors import ai_system_get, ai_system_list
from aims.orgs.context import Ctx

FRAMEWORK = "eu-ai-act"


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


@dataclass
class ObligationRow:
    system: AISystem
    cls: str
    obligation: obligations.Obligation
    item: ComplianceItem | None
    today: datetime.date

    @property
    def days_left(self) -> int:
        return max(0, self.obligation.days_left(self.today))

    @property
    def in_force(self) -> bool:
        return self.obligation.applies_from <= self.today


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


def obligation_calendar(*, ctx: Ctx, filters: ObligationFilters | None = None,
                        today: datetime.date) -> Calendar:
    """What the EU AI Act asks of ctx.org for each of its classified, active AI systems, by
    its role toward each: one row per obligation, ordered by the date it applies from. A
    bounded number of queries whatever the number of systems."""
    f = filters or ObligationFilters()
    systems = list(ai_system_list(ctx=ctx).exclude(status="retired"))
    if f.ai_system is not None:
        systems = [s for s in systems if s.pk == f.ai_system]
    versions = latest_versions(ctx=ctx)
    timeline = framework_get(code=FRAMEWORK).timeline
    items = {i.requirement.ref: i for i in ComplianceItem.objects.for_org(ctx.org)
             .filter(requirement__framework__code=FRAMEWORK)
             .select_related("requirement", "owner")}
    cal = Calendar(rows=[])
    for system in systems:
        version = versions.get(system.pk)
        if version is None:
            cal.unclassified.append(system)
            continue
        if not obligations.operator_roles(system.roles, version.facts) and \
                version.result_class != "out_of_scope":
            cal.without_role.append(system)
        for o in obligations.derive(cls=version.result_class, facts=version.facts,
                                    system_roles=system.roles, timeline=timeline):
            if f.date_from and o.applies_from < f.date_from:
                continue
            if f.date_to and o.applies_from > f.date_to:
                continue
            cal.rows.append(ObligationRow(system=system, cls=version.result_class,
                                          obligation=o, item=items.get(o.ref), today=today))
    cal.rows.sort(key=lambda r: (r.obligation.applies_from, r.system.name, r.obligation.ref))
    return cal


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
