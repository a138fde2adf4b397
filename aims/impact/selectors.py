"""Reads of impact assessments: lists with the status people act on, history, due dates."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, F, Prefetch, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from aims.activity.models import Event
from aims.core.counts import count_of
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.impact.models import (
    CURRENT_STATUSES,
    DUE_SOON_DAYS,
    Impact,
    ImpactAssessment,
    Status,
)
from aims.inventory.models import AISystem, SystemStatus
from aims.inventory.selectors import ai_system_get
from aims.orgs.context import Ctx
from aims.orgs.models import Organization

MISSING_SHOWN = 12  # systems without an assessment named on the list page; the rest are counted
DUE_CHOICES = (("overdue", "Overdue"), ("due_soon", f"Due within {DUE_SOON_DAYS} days"))


@dataclass(frozen=True)
class AssessmentFilters:
    ai_system: str = ""
    status: str = ""  # the status people act on: approved past its due date needs re-assessment
    due: str = ""  # "overdue" or "due_soon"
    trigger: str = ""


def _state(today: datetime.date):
    """The stored status, except that a standing assessment past its due date needs redoing."""
    return Case(
        When(status__in=CURRENT_STATUSES, next_due__lt=today,
             then=Value(Status.NEEDS_REASSESSMENT)),
        default=F("status"), output_field=CharField())


def _impact_qs() -> QuerySet[Impact]:
    # Reached through an assessment of ctx.org, so the rows are already scoped.
    return Impact.all_orgs.select_related("linked_risk").order_by("created_at")


def assessment_list(*, ctx: Ctx, filters: AssessmentFilters | None = None,
                    with_impacts: bool = False) -> QuerySet[ImpactAssessment]:
    """ctx.org's impact assessments, filtered, newest version first within each system;
    `with_impacts` also fetches every impact (one more query)."""
    f = filters or AssessmentFilters()
    today = timezone.localdate()
    qs = (ImpactAssessment.objects.for_org(ctx.org)
          .select_related("ai_system", "author", "approved_by")
          .annotate(effective_status=_state(today),
                    # counted per listed row after paging, not grouped over every assessment
                    impact_count=count_of(Impact.objects.for_org(ctx.org), "assessment_id")))
    if f.ai_system:
        qs = qs.filter(ai_system_id=f.ai_system)  # type: ignore[misc]  # uuid text is valid
    if f.status:
        qs = qs.filter(effective_status=f.status)
    if f.trigger:
        qs = qs.filter(trigger=f.trigger)
    if f.due == "overdue":
        qs = qs.filter(status__in=CURRENT_STATUSES, next_due__lt=today)
    elif f.due == "due_soon":
        qs = qs.filter(status__in=CURRENT_STATUSES, next_due__gte=today,
                       next_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
    if with_impacts:
        qs = qs.prefetch_related(Prefetch("impacts", queryset=_impact_qs()))
    return qs.order_by(Lower("ai_system__name"), "ai_system_id", "-number")


def assessment_get(*, ctx: Ctx, assessment_id: uuid.UUID | str) -> ImpactAssessment:
    """One assessment of ctx.org with its impacts, or NotFound (also for a foreign id)."""
    qs = (ImpactAssessment.objects.for_org(ctx.org)
          .select_related("ai_system", "ai_system__owner", "author", "approved_by", "submitted_by",
                          "reviewed_by", "flagged_change")
          .prefetch_related(Prefetch("impacts", queryset=_impact_qs())))
    assessment = get_scoped(qs, assessment_id)
    if assessment is None:
        raise NotFound("Impact assessment not found.")
    return assessment


def assessment_history(*, ctx: Ctx, system_id: uuid.UUID | str) -> QuerySet[ImpactAssessment]:
    """Every version of one AI system's assessment, newest first (NotFound for a foreign id)."""
    system = ai_system_get(ctx=ctx, system_id=system_id)
    return (ImpactAssessment.objects.for_org(ctx.org).filter(ai_system=system)
            .select_related("ai_system", "author", "approved_by")
            .annotate(impact_count=Count("impacts")).order_by("-number"))


def impact_list(*, ctx: Ctx, assessment_id: uuid.UUID | str) -> QuerySet[Impact]:
    """The impacts of one assessment of ctx.org, in the order they were recorded."""
    assessment = get_scoped(ImpactAssessment.objects.for_org(ctx.org), assessment_id)
    if assessment is None:
        raise NotFound("Impact assessment not found.")
    return (Impact.objects.for_org(ctx.org).filter(assessment=assessment)
            .select_related("assessment", "assessment__ai_system", "linked_risk")
            .order_by("created_at"))


def impact_get(*, ctx: Ctx, assessment_id: uuid.UUID | str, impact_id: uuid.UUID | str) -> Impact:
    """One impact of one assessment of ctx.org, or NotFound."""
    impact = get_scoped(impact_list(ctx=ctx, assessment_id=assessment_id), impact_id)
    if impact is None:
        raise NotFound("Impact not found.")
    return impact


@dataclass(frozen=True)
class SystemStanding:
    """Where one AI system stands: its standing assessment and any version in progress."""

    current: ImpactAssessment | None
    open: ImpactAssessment | None
    versions: int


def system_standing(*, ctx: Ctx, system: AISystem) -> SystemStanding:
    """The AI system page's view of its assessments, in one query."""
    rows = list(ImpactAssessment.objects.for_org(ctx.org).filter(ai_system=system)
                .select_related("approved_by", "author").order_by("-number"))
    for row in rows:
        row.ai_system = system
    current = next((a for a in rows if a.status in CURRENT_STATUSES), None)
    open_one = next((a for a in rows if a.status in (Status.DRAFT, Status.IN_REVIEW)), None)
    return SystemStanding(current=current, open=open_one, versions=len(rows))


def systems_without_assessment(*, ctx: Ctx) -> QuerySet[AISystem]:
    """Active, in-scope AI systems that have never had an impact assessment started."""
    return (AISystem.objects.for_org(ctx.org).filter(in_scope=True)
            .exclude(status=SystemStatus.RETIRED)
            .annotate(n=Count("impact_assessments")).filter(n=0).order_by("name"))


@dataclass(frozen=True)
class ImpactSettings:
    reassessment_interval_months: int
    version: int


def impact_settings_version(*, org: Organization) -> int:
    """1 plus the number of recorded changes to the settings: the organisation row has no
    version column, and every change goes through the activity log."""
    return 1 + Event.objects.filter(
        org=org, object_type="orgs.organization", object_id=str(org.pk), action="update",
        changes__has_key="reassessment_interval_months").count()


def impact_settings_get(*, ctx: Ctx) -> ImpactSettings:
    """The organisation's re-assessment interval and the version to quote when changing it."""
    org = Organization.objects.get(pk=ctx.org.pk)
    return ImpactSettings(reassessment_interval_months=org.reassessment_interval_months,
                          version=impact_settings_version(org=org))


def system_choices(*, ctx: Ctx, retired: bool = False) -> list[tuple[str, str]]:
    """(id, name) of the AI systems an assessment can be started for (retired ones only when
    `retired`, for filtering old assessments)."""
    qs = AISystem.objects.for_org(ctx.org)
    if not retired:
        qs = qs.exclude(status=SystemStatus.RETIRED)
    return [(str(pk), name) for pk, name in qs.order_by("name").values_list("pk", "name")]



@dataclass(frozen=True)
class AssessmentFacts:
    """What the readiness rules read of a system's standing impact assessment."""

    id: Any
    number: int
    status: str  # approved or needs_reassessment (as stored)
    approved_on: datetime.date | None
    next_due: datetime.date | None


def standing_assessments(*, ctx: Ctx) -> dict:
    """{AI system id: its standing (approved or flagged) assessment} for ctx.org (one query)."""
    rows = (ImpactAssessment.objects.for_org(ctx.org).filter(status__in=CURRENT_STATUSES)
            .order_by("ai_system_id", "number")
            .values_list("ai_system_id", "id", "number", "status", "approved_on", "next_due"))
    return {system: AssessmentFacts(id=pk, number=n, status=status, approved_on=approved_on,
                                    next_due=due)
            for system, pk, n, status, approved_on, due in rows}


@dataclass(frozen=True)
class FriaStanding:
    """Whether an AI system has a fundamental rights impact assessment (EU AI Act Art. 27): an
    impact assessment of it marked as one, with the FRIA sections filled in."""

    state: str  # "missing" | "incomplete" | "complete"
    assessment_id: Any = None
    number: int | None = None
    missing: tuple[str, ...] = ()  # the FRIA sections still empty
    notified_on: datetime.date | None = None

    @property
    def complete(self) -> bool:
        return self.state == "complete"

    @property
    def label(self) -> str:
        if self.state == "missing":
            return "No fundamental rights impact assessment"
        if self.state == "incomplete":
            return f"FRIA in assessment v{self.number} incomplete"
        return f"FRIA complete (assessment v{self.number})"


FRIA_SECTION_LABELS = {"fria_process": "the process that uses the system",
                       "fria_period": "the period and frequency of use",
                       "fria_measures": "the measures if risks materialise"}


def fria_standing(*, ctx: Ctx, system_ids) -> dict[Any, FriaStanding]:
    """{AI system id: its FRIA standing} for the given systems of ctx.org, in one query: the
    latest assessment marked as a FRIA decides (complete once its FRIA sections are filled)."""
    ids = list(system_ids)
    out = {pk: FriaStanding(state="missing") for pk in ids}
    if not ids:
        return out
    rows = (ImpactAssessment.objects.for_org(ctx.org)
            .filter(ai_system_id__in=ids, fria_required=True)
            .order_by("ai_system_id", "-number")
            .values_list("ai_system_id", "id", "number", *FRIA_SECTION_LABELS,
                         "fria_notified_on"))
    seen: set = set()
    for system_id, pk, number, *texts, notified in rows:
        if system_id in seen:
            continue
        seen.add(system_id)
        missing = tuple(label for label, text in zip(FRIA_SECTION_LABELS.values(), texts,
                                                     strict=True) if not (text or "").strip())
        out[system_id] = FriaStanding(state="incomplete" if missing else "complete",
                                      assessment_id=pk, number=number, missing=missing,
                                      notified_on=notified)
    return out
