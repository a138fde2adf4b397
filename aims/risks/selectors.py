"""Reads of the risk methodology, the risk register, treatment actions and heat-map counts."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001, RISK_SOURCES
from aims.compliance.models import ComplianceItem
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.orgs.permissions import EDITORS
from aims.orgs.selectors import member_list
from aims.risks.defaults import default_methodology_data
from aims.risks.models import (
    ActionStatus,
    Risk,
    RiskMethodology,
    RiskStatus,
    TreatmentAction,
    level_above,
    risk_score,
)

# ---------------------------------------------------------------------------- methodology


def methodology_current(*, ctx: Ctx) -> RiskMethodology | None:
    """The organisation's latest methodology version (None only before one is created)."""
    return (RiskMethodology.objects.for_org(ctx.org).select_related("author")
            .order_by("-number").first())


def methodology_for_form(*, ctx: Ctx) -> RiskMethodology:
    """The version a new rating is given under, for showing a form: the latest, or (before
    the organisation has one) an unsaved default version 1, which the risk service creates
    when the first risk is saved. Never writes, so a GET stays a read."""
    current = methodology_current(ctx=ctx)
    if current is not None:
        return current
    return RiskMethodology(org=ctx.org, number=1, **default_methodology_data())


def risk_owner_choices(*, ctx: Ctx) -> list[tuple[str, str]]:
    """(user id, name) of the members who may edit risks: only they can sign one off."""
    return [(str(m.user_id), m.user.display_name)
            for m in member_list(ctx=ctx).filter(role__in=EDITORS)]


def methodology_list(*, ctx: Ctx) -> QuerySet[RiskMethodology]:
    """Every methodology version, newest first, with authors joined."""
    return RiskMethodology.objects.for_org(ctx.org).select_related("author").order_by("-number")


def methodology_get(*, ctx: Ctx, number: int) -> RiskMethodology:
    """One methodology version by number, or NotFound."""
    try:
        found = methodology_list(ctx=ctx).filter(number=int(number)).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise NotFound(f"No version {number} of the risk methodology.")
    return found


def control_choices(*, ctx: Ctx) -> list[tuple[str, str]]:
    """(ref, "ref title") for every Annex A control, in document order, for pickers."""
    rows = (ComplianceItem.objects.for_org(ctx.org)
            .filter(requirement__framework__code=ISO42001,
                    requirement__kind=Requirement.Kind.CONTROL)
            .order_by("requirement__sort_key")
            .values_list("requirement__ref", "requirement__title"))
    return [(ref, f"{ref} {title}") for ref, title in rows]


# ---------------------------------------------------------------------------- the register

SORTS = {
    "ref": ("number",),
    "-ref": ("-number",),
    "inherent": (F("inherent_score_value").asc(nulls_last=True), "number"),
    "-inherent": (F("inherent_score_value").desc(nulls_last=True), "number"),
    "residual": (F("residual_score_value").asc(nulls_last=True), "number"),
    "-residual": (F("residual_score_value").desc(nulls_last=True), "number"),
    "review": (F("next_review").asc(nulls_last=True), "number"),
    "-review": (F("next_review").desc(nulls_last=True), "number"),
}
OPEN = "open"  # a status filter value: anything but closed


@dataclass(frozen=True)
class RiskFilters:
    q: str = ""
    category: str = ""
    level: str = ""  # the level the risk stands at now: residual once rated, else inherent
    status: str = ""  # a RiskStatus value, or "open" for all but closed
    owner: str = ""
    ai_system: str = ""
    control: str = ""  # an Annex A control ref such as "A.6.2.6": the risks it treats
    source_tag: str = ""  # a risk source of the taxonomy such as "LLM01"
    treatment_option: str = ""
    overdue_review: bool = False
    basis: str = ""  # "inherent" | "residual": with likelihood and impact, one heat-map cell
    likelihood: int | None = None
    impact: int | None = None
    sort: str = "ref"

    def without_cell(self) -> RiskFilters:
        return RiskFilters(**{**self.as_dict(), "basis": "", "likelihood": None, "impact": None})

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (sorting does not)."""
        return any(getattr(self, f.name) not in ("", None, False)
                   for f in fields(self) if f.name != "sort")


def _scored(qs: QuerySet) -> QuerySet:
    product = ExpressionWrapper(F("inherent_likelihood") * F("inherent_impact"),
                                output_field=IntegerField())
    residual = ExpressionWrapper(F("residual_likelihood") * F("residual_impact"),
                                 output_field=IntegerField())
    return qs.annotate(inherent_score_value=product, residual_score_value=residual,
                       current_score_value=Coalesce(residual, product))


def _level_q(ctx: Ctx, level: str) -> Q:
    """Risks whose current score falls in `level`'s band of their own methodology version."""
    q = Q(pk__in=[])
    for m in RiskMethodology.objects.for_org(ctx.org).only("pk", "bands"):
        for band in m.bands or []:
            if band["level"] == level:
                q |= Q(methodology_id=m.pk, current_score_value__gte=band["min"],
                       current_score_value__lte=band["max"])
    return q


def _filtered(ctx: Ctx, f: RiskFilters) -> QuerySet[Risk]:
    qs = _scored(Risk.objects.for_org(ctx.org))
    if f.q:
        qs = qs.filter(Q(ref__icontains=f.q) | Q(title__icontains=f.q)
                       | Q(description__icontains=f.q) | Q(risk_source__icontains=f.q)
                       | Q(enterprise_ref__icontains=f.q))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.level:
        qs = qs.filter(_level_q(ctx, f.level))
    if f.status == OPEN:
        qs = qs.exclude(status=RiskStatus.CLOSED)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.ai_system:
        qs = qs.filter(pk__in=Risk.ai_systems.through.objects.filter(
            aisystem_id=f.ai_system).values("risk_id"))
    if f.control:
        qs = qs.filter(pk__in=Risk.controls.through.objects.filter(
            complianceitem__requirement__ref=f.control).values("risk_id"))
    if f.source_tag:
        qs = qs.filter(pk__in=Risk.source_tags.through.objects.filter(
            requirement__framework__code=RISK_SOURCES,
            requirement__ref=f.source_tag.strip().upper()).values("risk_id"))
    if f.treatment_option:
        qs = qs.filter(treatment_option=f.treatment_option)
    if f.overdue_review:
        qs = qs.filter(next_review__lt=timezone.localdate()).exclude(status=RiskStatus.CLOSED)
    if f.basis in ("inherent", "residual") and f.likelihood is not None and f.impact is not None:
        qs = qs.filter(**{f"{f.basis}_likelihood": f.likelihood, f"{f.basis}_impact": f.impact})
    return qs


def risk_list(*, ctx: Ctx, filters: RiskFilters | None = None) -> QuerySet[Risk]:
    """The register, filtered and sorted, with everything a row shows joined or prefetched."""
    f = filters or RiskFilters()
    today = timezone.localdate()
    not_done = ~Q(actions__status=ActionStatus.DONE)
    qs = (_filtered(ctx, f)
          .select_related("owner", "methodology", "accepted_by")
          .prefetch_related(
              Prefetch("ai_systems", queryset=AISystem.all_orgs.only("id", "name", "org_id")
                       .order_by("name")),
              Prefetch("controls", queryset=ComplianceItem.all_orgs.select_related("requirement")
                       .order_by("requirement__sort_key")),
              Prefetch("source_tags", queryset=Requirement.objects.order_by("sort_key")))
          .annotate(open_actions=Count("actions", filter=not_done, distinct=True),
                    overdue_actions=Count("actions", distinct=True,
                                          filter=not_done & Q(actions__due_date__lt=today))))
    return qs.order_by(*SORTS.get(f.sort, SORTS["ref"]))


def risk_get(*, ctx: Ctx, risk_id: uuid.UUID | str) -> Risk:
    """One risk of ctx.org, or NotFound (also for another organisation's id)."""
    risk = get_scoped(risk_list(ctx=ctx), risk_id)
    if risk is None:
        raise NotFound("Risk not found.")
    return risk


def risk_by_ref(*, ctx: Ctx, ref: str) -> Risk:
    """One risk by its reference (R-001), or NotFound."""
    risk = risk_list(ctx=ctx).filter(ref__iexact=(ref or "").strip()).first()
    if risk is None:
        raise NotFound(f"No risk {ref!r} in this organisation's register.")
    return risk


# ---------------------------------------------------------------------------- treatment actions


def action_list(*, ctx: Ctx, risk_id: uuid.UUID | str) -> QuerySet[TreatmentAction]:
    """The treatment actions of one risk (NotFound for a missing or foreign risk)."""
    if get_scoped(Risk.objects.for_org(ctx.org), risk_id) is None:
        raise NotFound("Risk not found.")
    return (TreatmentAction.objects.for_org(ctx.org).filter(risk_id=risk_id)
            .select_related("owner", "risk").order_by(F("due_date").asc(nulls_last=True),
                                                      "created_at"))


def action_get(*, ctx: Ctx, risk_id: uuid.UUID | str, action_id: uuid.UUID | str
              ) -> TreatmentAction:
    """One treatment action of one risk, or NotFound."""
    action = get_scoped(action_list(ctx=ctx, risk_id=risk_id), action_id)
    if action is None:
        raise NotFound("Treatment action not found.")
    return action


# ---------------------------------------------------------------------------- heat map


@dataclass
class HeatCounts:
    """Risks per (likelihood, impact), inherent and residual, plus those not yet rated."""

    inherent: dict[tuple[int, int], int] = field(default_factory=dict)
    residual: dict[tuple[int, int], int] = field(default_factory=dict)
    unrated: dict[str, int] = field(default_factory=lambda: {"inherent": 0, "residual": 0})


def heatmap_counts(*, ctx: Ctx, filters: RiskFilters | None = None) -> HeatCounts:
    """How many risks sit in each cell, in two queries whatever the register's size.

    Risks rated under an older methodology version are placed by their likelihood and impact
    values, which keep their meaning from version to version."""
    f = (filters or RiskFilters()).without_cell()
    out = HeatCounts()
    base = _filtered(ctx, f)
    for basis in ("inherent", "residual"):
        lk, im = f"{basis}_likelihood", f"{basis}_impact"
        rows = base.order_by().values(lk, im).annotate(n=Count("pk", distinct=True))
        for row in rows:
            if row[lk] is None or row[im] is None:
                out.unrated[basis] += row["n"]
            else:
                getattr(out, basis)[(row[lk], row[im])] = row["n"]
    return out


def actions_for_user(*, ctx: Ctx, user) -> QuerySet[TreatmentAction]:
    """The treatment actions `user` owns in ctx.org that are not done, soonest due first
    (one query; for "My tasks", calendar feeds and reminders)."""
    return (TreatmentAction.objects.for_org(ctx.org).filter(owner=user)
            .exclude(status=ActionStatus.DONE).select_related("risk", "owner")
            .order_by(F("due_date").asc(nulls_last=True), "created_at"))


def actions_due(*, ctx: Ctx, until) -> QuerySet[TreatmentAction]:
    """Owned treatment actions of ctx.org not done and due on or before `until` (overdue ones
    included), soonest first; one query."""
    return (TreatmentAction.objects.for_org(ctx.org)
            .filter(owner__isnull=False, due_date__lte=until)
            .exclude(status=ActionStatus.DONE).select_related("risk", "owner")
            .order_by("due_date", "created_at"))


def risks_open(*, ctx: Ctx, created_before: datetime.datetime) -> QuerySet[Risk]:
    """The risks ctx.org had before `created_before` that are not closed, by number (with
    their methodology and owner)."""
    return (Risk.objects.for_org(ctx.org).filter(created_at__lt=created_before)
            .exclude(status=RiskStatus.CLOSED).select_related("methodology", "owner")
            .order_by("number"))


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class RiskFacts:
    """What the readiness rules read of one risk that is not closed."""

    id: Any
    ref: str
    title: str
    status: str
    owner_id: Any
    treatment_option: str
    rated: bool  # the inherent rating is given
    residual_rated: bool
    level: str | None  # where it stands now: residual once rated, else inherent
    above_threshold: bool  # the owner must sign off what is left
    accepted: bool
    next_review: datetime.date | None
    controls: tuple[str, ...]  # Annex A refs of the controls treating it
    systems: tuple[Any, ...]


def risk_facts(*, ctx: Ctx) -> list[RiskFacts]:
    """Every risk of ctx.org that is not closed, by number, with its level under its own
    methodology version and its links (four queries, whatever the size of the register)."""
    methodologies = {m.pk: m for m in RiskMethodology.objects.for_org(ctx.org)}
    risks = Risk.objects.for_org(ctx.org).exclude(status=RiskStatus.CLOSED)
    controls: dict[Any, list[str]] = {}
    for risk_id, ref in (Risk.controls.through.objects
                         .filter(risk__in=risks.values("pk"))
                         .values_list("risk_id", "complianceitem__requirement__ref")):
        controls.setdefault(risk_id, []).append(ref)
    systems: dict[Any, list[Any]] = {}
    for risk_id, system_id in (Risk.ai_systems.through.objects
                               .filter(risk__in=risks.values("pk"))
                               .values_list("risk_id", "aisystem_id")):
        systems.setdefault(risk_id, []).append(system_id)
    out = []
    for row in risks.order_by("number").values(
            "id", "ref", "title", "status", "owner_id", "treatment_option", "methodology_id",
            "inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact",
            "accepted_at", "next_review"):
        m = methodologies[row["methodology_id"]]
        inherent = risk_score(row["inherent_likelihood"], row["inherent_impact"])
        residual = risk_score(row["residual_likelihood"], row["residual_impact"])
        level = m.level_for(residual if residual is not None else inherent)
        out.append(RiskFacts(
            id=row["id"], ref=row["ref"], title=row["title"], status=row["status"],
            owner_id=row["owner_id"], treatment_option=row["treatment_option"],
            rated=inherent is not None, residual_rated=residual is not None, level=level,
            above_threshold=level_above(level, m.acceptance_threshold),
            accepted=row["accepted_at"] is not None, next_review=row["next_review"],
            controls=tuple(sorted(controls.get(row["id"], ()))),
            systems=tuple(systems.get(row["id"], ()))))
    return out


@dataclass(frozen=True)
class ActionFacts:
    id: uuid.UUID
    title: str
    risk_id: uuid.UUID
    risk_ref: str
    due_date: datetime.date


def overdue_actions(*, ctx: Ctx, on: datetime.date) -> list[ActionFacts]:
    """Treatment actions not done and due before `on`, of risks that are not closed, soonest
    first (one query)."""
    rows = (TreatmentAction.objects.for_org(ctx.org)
            .filter(due_date__lt=on).exclude(status=ActionStatus.DONE)
            .exclude(risk__status=RiskStatus.CLOSED).order_by("due_date", "created_at")
            .values_list("id", "title", "risk_id", "risk__ref", "due_date"))
    # due_date__lt leaves out the actions without a due date.
    return [ActionFacts(pk, title, risk_id, ref, due)
            for pk, title, risk_id, ref, due in rows if due is not None]
