"""Reads of management reviews, always from the organisation scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from aims.accounts.models import User
from aims.core.errors import NotFound
from aims.core.lookup import get_scoped
from aims.orgs.context import Ctx
from aims.reviews.inputs import build_inputs
from aims.reviews.models import AgendaItem, Decision, ManagementReview


@dataclass(frozen=True)
class ReviewFilters:
    q: str = ""
    status: str = ""
    year: int | None = None


def review_list(*, ctx: Ctx, filters: ReviewFilters | None = None) -> QuerySet[ManagementReview]:
    """ctx.org's reviews, newest meeting first, with chair, attendees and counts."""
    f = filters or ReviewFilters()
    qs = (ManagementReview.objects.for_org(ctx.org).select_related("chair")
          .prefetch_related(Prefetch("attendees", queryset=User.objects.order_by("email")))
          .annotate(decision_count=Count("decisions", distinct=True),
                    action_count=Count("decisions", filter=Q(decisions__task__isnull=False),
                                       distinct=True)))
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(ref__iexact=f.q)
                       | Q(conclusions__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(meeting_date__year=f.year)
    return qs.order_by("-meeting_date", "-number")


def review_get(*, ctx: Ctx, review_id: uuid.UUID | str) -> ManagementReview:
    """One review with its agenda, decisions (and their actions) and attendees; NotFound for
    a missing or foreign id alike."""
    qs = review_list(ctx=ctx).prefetch_related(
        Prefetch("items", queryset=AgendaItem.all_orgs.order_by("position")),
        Prefetch("decisions", queryset=Decision.all_orgs.select_related("task", "task__owner")
                 .order_by("created_at")))
    review = get_scoped(qs, review_id)
    if review is None:
        raise NotFound("Management review not found.")
    return review


def latest_held(*, ctx: Ctx) -> ManagementReview | None:
    """The most recent held review, for the dashboard and readiness."""
    return (ManagementReview.objects.for_org(ctx.org).filter(status="held")
            .order_by("-meeting_date").first())


def agenda_keys(*, ctx: Ctx, review: ManagementReview) -> set[str]:
    """The inputs a review's agenda held."""
    return set(AgendaItem.objects.for_org(ctx.org).filter(review=review)
               .values_list("key", flat=True))


def agenda_inputs_live(*, ctx: Ctx, review: ManagementReview) -> dict[str, dict]:
    """Each agenda input of a planned review read from the record as it stands now, as of the
    meeting date, by input key (what `review_hold` will store)."""
    since = review_period_start(ctx=ctx, review=review)
    return {spec.key: inputs
            for spec, inputs in build_inputs(ctx=ctx, since=since, as_of=review.meeting_date)}


def review_period_start(*, ctx: Ctx, review: ManagementReview):
    """The day the period a review looks back on starts: its own period start, else the
    previous review's meeting day (None for the first review)."""
    if review.period_start is not None:
        return review.period_start
    qs = ManagementReview.objects.for_org(ctx.org).filter(meeting_date__lt=review.meeting_date)
    if review.pk:
        qs = qs.exclude(pk=review.pk)
    prev = qs.order_by("-meeting_date", "-number").first()
    return prev.meeting_date if prev is not None else None
