"""Reads of the risk methodology, the risk register, treatment actions and heat-map counts."""

from __future__ import annotations

import datetime
import heapq
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from functools import reduce
from operator import add, or_
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001, RISK_SOURCES
from aims.compliance.models import ComplianceItem
from aims.core.counts import count_of
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
    TreatmentOption,
    level_above,
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


def _level_q(ctx: Ctx, level: str, methodologies: list[RiskMethodology] | None = None) -> Q:
    """Risks whose current score falls in `level`'s band of their own methodology version
    (`methodologies`: ctx.org's versions, when already read)."""
    q = Q(pk__in=[])
    if methodologies is None:
        methodologies = list(RiskMethodology.objects.for_org(ctx.org).only("pk", "bands"))
    for m in methodologies:
        for band in m.bands or []:
            if band["level"] == level:
                q |= Q(methodology_id=m.pk, current_score_value__gte=band["min"],
                       current_score_value__lte=band["max"])
    return q


@dataclass(frozen=True)
class RiskAlerts:
    """What the dashboard counts of the register: open risks rated high or critical, and open
    risks whose review date has passed."""

    high: int
    reviews_overdue: int


def risk_alerts(*, ctx: Ctx) -> RiskAlerts:
    """The dashboard's counts of the register, in two queries (the methodology versions, then
    one pass over the risks counting both) whatever its size: the same rows as the register
    filtered by status=open and level=high or critical, and by status=open and overdue
    review."""
    methodologies = list(RiskMethodology.objects.for_org(ctx.org).only("pk", "bands"))
    grave = _level_q(ctx, "high", methodologies) | _level_q(ctx, "critical", methodologies)
    counts = (_scored(Risk.objects.for_org(ctx.org)).exclude(status=RiskStatus.CLOSED)
              .aggregate(high=Count("pk", filter=grave),
                         overdue=Count("pk", filter=Q(next_review__lt=timezone.localdate()))))
    return RiskAlerts(high=counts["high"], reviews_overdue=counts["overdue"])


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


def risk_list(*, ctx: Ctx, filters: RiskFilters | None = None,
              tags: bool = True) -> QuerySet[Risk]:
    """The register, filtered and sorted, with everything a row shows joined or prefetched;
    without the source tags when `tags` is False (the register's page does not show them)."""
    f = filters or RiskFilters()
    today = timezone.localdate()
    # Counted per listed row by subquery, after paging: grouping the whole register by its
    # actions before taking one page of it grows with the register.
    not_done = TreatmentAction.objects.for_org(ctx.org).exclude(status=ActionStatus.DONE)
    qs = (_filtered(ctx, f)
          .select_related("owner", "methodology", "accepted_by")
          .prefetch_related(
              Prefetch("ai_systems", queryset=AISystem.all_orgs.only("id", "name", "org_id")
                       .order_by("name")),
              Prefetch("controls", queryset=ComplianceItem.all_orgs.select_related("requirement")
                       .order_by("requirement__sort_key")))
          .annotate(open_actions=count_of(not_done, "risk_id"),
                    overdue_actions=count_of(not_done.filter(due_date__lt=today), "risk_id")))
    if tags:
        qs = qs.prefetch_related(
            Prefetch("source_tags", queryset=Requirement.objects.order_by("sort_key")))
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
    """How many risks sit in each cell, in one query whatever the register's size: risks
    grouped by their four ratings (at most a few hundred groups), each group added to its
    inherent cell and its residual cell. A risk falls in exactly one group, so the distinct
    count of a group (a filter may join a risk to several rows) adds up right.

    Risks rated under an older methodology version are placed by their likelihood and impact
    values, which keep their meaning from version to version."""
    f = (filters or RiskFilters()).without_cell()
    out = HeatCounts()
    ratings = {basis: (f"{basis}_likelihood", f"{basis}_impact")
               for basis in ("inherent", "residual")}
    rows = (_filtered(ctx, f).order_by().values(*(c for pair in ratings.values() for c in pair))
            .annotate(n=Count("pk", distinct=True)))
    for row in rows:
        for basis, (lk, im) in ratings.items():
            if row[lk] is None or row[im] is None:
                out.unrated[basis] += row["n"]
            else:
                cells = getattr(out, basis)
                cells[(row[lk], row[im])] = cells.get((row[lk], row[im]), 0) + row["n"]
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


class RiskRow(NamedTuple):
    """One risk a readiness finding names."""

    id: uuid.UUID
    ref: str
    title: str
    level: str | None  # where it stands now: residual once rated, else inherent
    next_review: datetime.date | None


@dataclass(frozen=True)
class Offenders:
    """The open risks failing one check: how many, and the first few by reference and title
    (the order findings list them in)."""

    count: int
    first: list[RiskRow]


class ControlLink(NamedTuple):
    """A control, among those asked about, that treats an open risk."""

    risk_ref: str
    risk_title: str
    control_ref: str


class SystemRisks(NamedTuple):
    """The open risks linked to one AI system, as its deployment gate weighs them."""

    linked: int
    unready: int  # not rated after treatment, past their review, or above the threshold unsigned


@dataclass(frozen=True)
class RegisterFacts:
    """What the readiness rules read of the risk register (risks that are not closed)."""

    open: int
    rated: int  # the inherent rating is given
    treated: int  # a treatment is decided
    unowned: Offenders
    unrated: Offenders
    untreated: Offenders  # rated, and no treatment decided
    review_overdue: Offenders
    unsigned: Offenders  # left above the acceptance threshold without the owner's sign-off
    uncontrolled: Offenders  # to be mitigated, and no control named
    controls: list[ControlLink]  # by risk number, then control
    systems: dict[uuid.UUID, SystemRisks]


def register_facts(*, ctx: Ctx, on: datetime.date, controls_among: Collection[str] = (),
                   first: int = 25) -> RegisterFacts:
    """The risk register of ctx.org as the readiness rules judge it on `on`: counts, the
    offenders of each check (how many, and the `first` of them by reference and title), the
    links to the controls whose refs are `controls_among`, and the open risks of each AI system.

    The checks are answered by the database, so a register of twenty thousand risks is never
    turned into twenty thousand Python objects: one query returns the reference and title of
    the offenders only, with the checks each fails, and one more the details of those listed
    (making a UUID, a date and a level for every risk took most of an evaluation). Six queries,
    whatever the size of the register (five when `controls_among` is empty)."""
    methodologies = {m.pk: m for m in RiskMethodology.objects.for_org(ctx.org)}
    score = Coalesce(F("residual_likelihood") * F("residual_impact"),
                     F("inherent_likelihood") * F("inherent_impact"), output_field=IntegerField())
    rated = Q(inherent_likelihood__isnull=False, inherent_impact__isnull=False)
    residual_rated = Q(residual_likelihood__isnull=False, residual_impact__isnull=False)
    scored = (Risk.objects.for_org(ctx.org).exclude(status=RiskStatus.CLOSED).order_by()
              .annotate(score=score))
    open_, rated_, treated = 0, 0, 0
    above: dict[uuid.UUID, list[int]] = {}  # {methodology: scores above its threshold}
    for methodology, value, is_rated, is_treated, n in (
            scored.annotate(rated=ExpressionWrapper(rated, output_field=BooleanField()),
                            treated=ExpressionWrapper(~Q(treatment_option=""),
                                                      output_field=BooleanField()))
            .values_list("methodology_id", "score", "rated", "treated")
            .annotate(n=Count("pk"))):
        open_ += n
        rated_ += n if is_rated else 0
        treated += n if is_treated else 0
        m = methodologies[methodology]
        if level_above(m.level_for(value), m.acceptance_threshold):
            above.setdefault(methodology, []).append(value)
    above_threshold = reduce(or_, (Q(methodology_id=m, score__in=values)
                                   for m, values in above.items()), Q(pk__in=[]))
    unsigned_ = above_threshold & Q(accepted_at__isnull=True)
    checks = {
        "unowned": Q(owner__isnull=True),
        "unrated": ~rated,
        "untreated": rated & Q(treatment_option=""),
        "review_overdue": Q(next_review__lt=on),
        "unsigned": unsigned_ & (residual_rated | Q(treatment_option=TreatmentOption.ACCEPT)),
        "uncontrolled": Q(treatment_option=TreatmentOption.MITIGATE) & ~Exists(
            Risk.controls.through.objects.filter(risk=OuterRef("pk"))),
    }
    # One pass over the register for every check: each offender's reference and title (the
    # order is worked out here, as findings are sorted, not by the database's collation) and
    # which checks it fails, one bit each.
    failed = reduce(add, (Case(When(check, then=Value(1 << bit)), default=Value(0))
                          for bit, check in enumerate(checks.values())))
    labels: dict[str, list[tuple[str, str]]] = {name: [] for name in checks}
    for ref, title, bits in (scored.filter(reduce(or_, checks.values()))
                             .annotate(failed=ExpressionWrapper(failed,
                                                                output_field=IntegerField()))
                             .values_list("ref", "title", "failed")):
        for bit, name in enumerate(checks):
            if bits & 1 << bit:
                labels[name].append((ref, title))
    listed = {name: heapq.nsmallest(first, rows, key=_label) for name, rows in labels.items()}
    details = {}
    for pk, ref, title, methodology, value, next_review in (
            scored.filter(ref__in={ref for rows in listed.values() for ref, _ in rows})
            .values_list("pk", "ref", "title", "methodology_id", "score", "next_review")):
        details[ref] = RiskRow(pk, ref, title, methodologies[methodology].level_for(value),
                               next_review)
    offenders = {name: Offenders(count=len(labels[name]),
                                 first=[details[ref] for ref, _ in listed[name]])
                 for name in checks}
    links = sorted(
        (number, control, ref, title) for number, ref, title, control in (
            Risk.controls.through.objects.filter(
                risk__org=ctx.org, complianceitem__requirement__ref__in=list(controls_among))
            .exclude(risk__status=RiskStatus.CLOSED)
            .values_list("risk__number", "risk__ref", "risk__title",
                         "complianceitem__requirement__ref")))
    unready = ~residual_rated | Q(next_review__lt=on) | unsigned_
    systems = {system: SystemRisks(linked, n_unready) for system, linked, n_unready in (
        scored.values_list("ai_systems")
        .annotate(linked=Count("pk"), unready=Count("pk", filter=unready))
        .values_list("ai_systems", "linked", "unready")) if system is not None}
    return RegisterFacts(
        open=open_, rated=rated_, treated=treated, controls=[
            ControlLink(ref, title, control) for _n, control, ref, title in links],
        systems=systems, **offenders)


def _label(row: tuple[str, str]) -> str:
    """How a risk's findings are ordered: by its reference and title, as the finding's label."""
    ref, title = row
    return f"{ref} {title}"


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
