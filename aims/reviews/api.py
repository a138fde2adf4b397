"""Management reviews: the API."""

import uuid
from typing import Literal

from ninja import Query, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aims.core.api import VersionIn
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.orgs.api import OrgRequest, OrgRouter
from aims.reviews import selectors, services
from aims.reviews.pdf import review_pdf
from aims.reviews.schemas import (
    AgendaItemOut,
    DecisionIn,
    DecisionOut,
    MinutesIn,
    ReviewDetailOut,
    ReviewIn,
    ReviewOut,
    ReviewPatch,
)

router = OrgRouter()


class ReviewQuery(Schema):
    q: str = ""
    status: Literal["", "planned", "held"] = ""
    year: int | None = Field(None, ge=1900, le=9999, description="Meetings in this year.")


@router.get("/{slug}/management-reviews", response=list[ReviewOut])
@paginate(BoundedPagination)
def review_list(request: OrgRequest, slug: str, query: Query[ReviewQuery]):
    """Management reviews, newest meeting first."""
    return selectors.review_list(ctx=request.ctx,
                                 filters=selectors.ReviewFilters(**query.dict()))


@router.post("/{slug}/management-reviews", response={201: ReviewDetailOut},
             perm="reviews.change")
def review_create(request: OrgRequest, slug: str, payload: ReviewIn):
    """Plan a review; the agenda comes pre-filled with every required input."""
    ctx = request.ctx
    review = services.review_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.review_get(ctx=ctx, review_id=review.pk))


@router.get("/{slug}/management-reviews/{review_id}", response=ReviewDetailOut)
def review_get(request: OrgRequest, slug: str, review_id: uuid.UUID):
    return selectors.review_get(ctx=request.ctx, review_id=review_id)


@router.patch("/{slug}/management-reviews/{review_id}", response=ReviewDetailOut,
              perm="reviews.change")
def review_update(request: OrgRequest, slug: str, review_id: uuid.UUID, payload: ReviewPatch):
    ctx = request.ctx
    services.review_update(ctx=ctx, review_id=review_id, **payload.changes())
    return selectors.review_get(ctx=ctx, review_id=review_id)


@router.delete("/{slug}/management-reviews/{review_id}", perm="reviews.change")
def review_delete(request: OrgRequest, slug: str, review_id: uuid.UUID, version: int):
    """Delete a planned review (a held one is part of the record)."""
    services.review_delete(ctx=request.ctx, review_id=review_id, version=version)
    return Status(204, None)


@router.post("/{slug}/management-reviews/{review_id}/refresh", response=ReviewDetailOut,
             perm="reviews.change")
def review_refresh(request: OrgRequest, slug: str, review_id: uuid.UUID):
    """Re-read the inputs of a planned review from the record as of its meeting date."""
    ctx = request.ctx
    services.review_refresh(ctx=ctx, review_id=review_id)
    return selectors.review_get(ctx=ctx, review_id=review_id)


@router.patch("/{slug}/management-reviews/{review_id}/agenda/{item_id}",
              response=AgendaItemOut, perm="reviews.change")
def agenda_item_update(request: OrgRequest, slug: str, review_id: uuid.UUID,
                       item_id: uuid.UUID, payload: MinutesIn):
    """Write the minutes of one agenda item."""
    return services.agenda_item_update(ctx=request.ctx, review_id=review_id, item_id=item_id,
                                       minutes=payload.minutes, version=payload.version)


@router.post("/{slug}/management-reviews/{review_id}/decisions", response={201: DecisionOut},
             perm="reviews.change")
def decision_add(request: OrgRequest, slug: str, review_id: uuid.UUID, payload: DecisionIn):
    """Record a decision; with an owner and a due date it becomes an owned action (a task)."""
    decision = services.decision_add(ctx=request.ctx, review_id=review_id, data=payload.dict())
    return Status(201, decision)


@router.delete("/{slug}/management-reviews/{review_id}/decisions/{decision_id}",
               perm="reviews.change")
def decision_delete(request: OrgRequest, slug: str, review_id: uuid.UUID,
                    decision_id: uuid.UUID, version: int):
    services.decision_delete(ctx=request.ctx, review_id=review_id, decision_id=decision_id,
                             version=version)
    return Status(204, None)


@router.post("/{slug}/management-reviews/{review_id}/hold", response=ReviewDetailOut,
             perm="reviews.change")
def review_hold(request: OrgRequest, slug: str, review_id: uuid.UUID, payload: VersionIn):
    """Record the review as held. Refused (422, by field) until top management attended,
    every agenda item is minuted and the conclusions are recorded."""
    ctx = request.ctx
    services.review_hold(ctx=ctx, review_id=review_id, version=payload.version)
    return selectors.review_get(ctx=ctx, review_id=review_id)


@router.get("/{slug}/management-reviews/{review_id}/pack.pdf", response={200: None})
def review_pack(request: OrgRequest, slug: str, review_id: uuid.UUID):
    """The management review pack as PDF."""
    return file_response(*review_pdf(ctx=request.ctx, review_id=review_id))
