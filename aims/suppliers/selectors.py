"""Reads of suppliers and customers, their due diligence, reviews and responsibilities."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from aims.activity.models import Event
from aims.activity.selectors import event_list
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.suppliers.checklist import ChecklistItem, items_for
from aims.suppliers.kinds import PartyKind
from aims.suppliers.models import (
    DUE_SOON_DAYS,
    AnswerStatus,
    DueDiligenceAnswer,
    PartyStatus,
    ResponsibilityAllocation,
    ReviewState,
    Supplier,
    SupplierReview,
)

REVIEW_FILTERS = (ReviewState.OVERDUE, ReviewState.DUE_SOON, ReviewState.NEVER,
                  ReviewState.CURRENT)


@dataclass(frozen=True)
class SupplierFilters:
    q: str = ""
    kind: str = ""
    supplies: str = ""
    rating: str = ""  # a SupplierRating value, or "none" for not rated yet
    review: str = ""  # a ReviewState value
    status: str = ""
    criticality: str = ""
    ai_system: str = ""
    owner: str = ""


S = TypeVar("S", bound=Supplier)


def _review_filter(qs: QuerySet[S], state: str, today: datetime.date) -> QuerySet[S]:
    """The SQL twin of models.review_state: the same dates, read the same way."""
    live = qs.exclude(status=PartyStatus.EXITED)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    if state == ReviewState.OVERDUE:
        return live.filter(next_review_date__lt=today)
    if state == ReviewState.DUE_SOON:
        return live.filter(next_review_date__gte=today, next_review_date__lte=soon)
    if state == ReviewState.NEVER:
        return live.filter(Q(last_review_date__isnull=True) | Q(next_review_date__isnull=True))
    if state == ReviewState.CURRENT:
        return live.filter(next_review_date__gt=soon)
    if state == ReviewState.EXITED:
        return qs.filter(status=PartyStatus.EXITED)
    return qs


def supplier_list(*, ctx: Ctx, filters: SupplierFilters | None = None,
                  today: datetime.date | None = None) -> QuerySet[Supplier]:
    """ctx.org's suppliers, customers and partners, filtered, with owner, linked AI systems and
    the number of open concerns, in a fixed number of queries."""
    f = filters or SupplierFilters()
    today = today or timezone.localdate()
    qs = (Supplier.objects.for_org(ctx.org).select_related("owner")
          .prefetch_related(Prefetch("ai_systems", queryset=AISystem.objects.for_org(ctx.org)
                                     .only("id", "name", "org_id", "status").order_by("name")))
          .annotate(concern_count=Count("answers", filter=Q(
              answers__status=AnswerStatus.CONCERN))))
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(description__icontains=f.q)
                       | Q(contact__icontains=f.q) | Q(website__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.supplies:
        # JSON containment is not portable to SQLite; kinds are short tokens, so match the quoted token.
        qs = qs.filter(supplies__icontains=f'"{f.supplies}"')
    if f.rating == "none":
        qs = qs.filter(rating="")
    elif f.rating:
        qs = qs.filter(rating=f.rating)
    if f.review:
        qs = _review_filter(qs, f.review, today)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.criticality:
        qs = qs.filter(criticality=f.criticality)
    if f.ai_system:
        try:
            system_id = uuid.UUID(str(f.ai_system))
        except ValueError:
            return qs.none()
        qs = qs.filter(pk__in=Supplier.ai_systems.through.objects.filter(
            aisystem_id=system_id).values("supplier_id"))
    if f.owner:
        try:
            qs = qs.filter(owner_id=uuid.UUID(str(f.owner)))
        except ValueError:
            return qs.none()
    return qs.order_by("name", "pk")


def supplier_get(*, ctx: Ctx, supplier_id: uuid.UUID | str) -> Supplier:
    """One supplier or customer of ctx.org, or NotFound (also for another organisation's id)."""
    supplier = get_scoped(supplier_list(ctx=ctx), supplier_id)
    if supplier is None:
        raise NotFound("Supplier or customer not found.")
    return supplier


@dataclass(frozen=True)
class ChecklistRow:
    """One question of a party's checklist with its answer, if given."""

    item: ChecklistItem
    question: str
    answer: DueDiligenceAnswer | None

    @property
    def status(self) -> str:
        return self.answer.status if self.answer else ""

    @property
    def version(self) -> int:
        """The answer's version; 0 before the first answer (what a first write quotes)."""
        return self.answer.version if self.answer else 0


def checklist_for(*, ctx: Ctx, supplier: Supplier) -> list[ChecklistRow]:
    """The questions that apply to the party's kind, each with its answer (one query)."""
    answers = {a.item: a for a in DueDiligenceAnswer.objects.for_org(ctx.org)
               .filter(supplier=supplier).select_related("answered_by")}
    for a in answers.values():
        a.supplier = supplier
    return [ChecklistRow(item=item, question=item.question_for(supplier.kind),
                         answer=answers.get(item.key))
            for item in items_for(supplier.kind)]


def checklist_summary(rows: list[ChecklistRow]) -> dict[str, int]:
    """How many questions stand at each answer status, plus unanswered ones."""
    counts = {s: 0 for s in AnswerStatus.values} | {"unanswered": 0}
    for row in rows:
        counts[row.status or "unanswered"] += 1
    return counts


def _supplier_in_hand(ctx: Ctx, supplier: Supplier | None,
                      supplier_id: uuid.UUID | str | None) -> Supplier:
    """`supplier` when the caller has it, else ctx.org's party `supplier_id` (NotFound for a
    foreign id)."""
    if supplier is not None:
        return supplier
    if supplier_id is None:
        raise TypeError("pass the party or its id")
    return supplier_get(ctx=ctx, supplier_id=supplier_id)


def supplier_review_list(*, ctx: Ctx, supplier_id: uuid.UUID | str | None = None,
                         supplier: Supplier | None = None) -> QuerySet[SupplierReview]:
    """One party's reviews, newest first (NotFound for a foreign party); pass `supplier` when
    it is already in hand."""
    supplier = _supplier_in_hand(ctx, supplier, supplier_id)
    return (SupplierReview.objects.for_org(ctx.org).filter(supplier=supplier)
            .select_related("supplier", "reviewer").order_by("-reviewed_on", "-created_at"))


def responsibility_list(*, ctx: Ctx, supplier_id: uuid.UUID | str | None = None,
                        supplier: Supplier | None = None) -> QuerySet[ResponsibilityAllocation]:
    """Who does what between us and one party, by topic (NotFound for a foreign party); pass
    `supplier` when it is already in hand."""
    supplier = _supplier_in_hand(ctx, supplier, supplier_id)
    return (ResponsibilityAllocation.objects.for_org(ctx.org).filter(supplier=supplier)
            .select_related("supplier").order_by("topic", "activity", "created_at"))


def responsibility_get(*, ctx: Ctx, allocation_id: uuid.UUID | str,
                       supplier_id: uuid.UUID | str | None = None, supplier: Supplier | None = None
                      ) -> ResponsibilityAllocation:
    """One responsibility row of one party of ctx.org, or NotFound."""
    row = get_scoped(responsibility_list(ctx=ctx, supplier_id=supplier_id, supplier=supplier),
                     allocation_id)
    if row is None:
        raise NotFound("Responsibility not found.")
    return row


def suppliers_for_system(*, ctx: Ctx, system: AISystem, limit: int) -> list[Supplier]:
    """Up to `limit` parties linked to one AI system, suppliers first (one query)."""
    return list(Supplier.objects.for_org(ctx.org).filter(ai_systems=system)
                .select_related("owner")
                .annotate(concern_count=Count("answers", filter=Q(
                    answers__status=AnswerStatus.CONCERN)))
                .order_by("kind", "name")[:limit])


def supplier_history(*, ctx: Ctx, supplier: Supplier) -> QuerySet[Event]:
    """Log entries about the party and its answers, reviews and responsibilities, deleted ones
    included, newest first. Creations and deletions of those rows name the party; their
    updates are found by the ids of the rows that still exist (two queries)."""
    key = str(supplier.pk)
    parts = Q(object_type="suppliers.supplier", object_id=key)
    for model in CHILD_TYPES:
        parts |= (Q(object_type=model, changes__supplier__after=key)
                  | Q(object_type=model, changes__supplier__before=key))
    answers = (DueDiligenceAnswer.objects.for_org(ctx.org).filter(supplier=supplier)
               .order_by().values_list("pk", flat=True))
    rows = (ResponsibilityAllocation.objects.for_org(ctx.org).filter(supplier=supplier)
            .order_by().values_list("pk", flat=True))
    if ids := [str(pk) for pk in answers.union(rows)]:
        parts |= Q(object_type__in=CHILD_TYPES, object_id__in=ids)
    return event_list(ctx=ctx).filter(parts)


CHILD_TYPES = ("suppliers.duediligenceanswer", "suppliers.supplierreview",
               "suppliers.responsibilityallocation")


def engaged_suppliers(*, ctx: Ctx) -> QuerySet[Supplier]:
    """The third parties ctx.org still works with (all but those it exited)."""
    return Supplier.objects.for_org(ctx.org).exclude(status=PartyStatus.EXITED)


@dataclass(frozen=True)
class SupplierFacts:
    """What the readiness rules read of a supplier or partner of AI components."""

    id: Any
    name: str
    criticality: str
    last_review_date: datetime.date | None
    next_review_date: datetime.date | None


def ai_supplier_facts(*, ctx: Ctx) -> list[SupplierFacts]:
    """Suppliers and partners ctx.org still works with (customers and exited parties left
    out), by name (one query)."""
    rows = (Supplier.objects.for_org(ctx.org)
            .filter(kind__in=(PartyKind.SUPPLIER, PartyKind.PARTNER))
            .exclude(status=PartyStatus.EXITED).order_by("name")
            .values_list("id", "name", "criticality", "last_review_date", "next_review_date"))
    return [SupplierFacts(*row) for row in rows]
