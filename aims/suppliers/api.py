"""Suppliers and customers: the API."""

import uuid
from enum import StrEnum

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.paging import BoundedPagination
from aims.orgs.api import OrgRequest, OrgRouter
from aims.suppliers import selectors, services
from aims.suppliers.models import (
    Criticality,
    PartyKind,
    PartyStatus,
    ReviewState,
    Supplies,
)
from aims.suppliers.schemas import (
    AnswerOut,
    AnswerPatch,
    ChecklistItemOut,
    ResponsibilityIn,
    ResponsibilityOut,
    ResponsibilityPatch,
    SupplierIn,
    SupplierOut,
    SupplierPatch,
    SupplierReviewIn,
    SupplierReviewOut,
)

router = OrgRouter()


class RatingFilter(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    NONE = "none"


class SupplierQuery(Schema):
    q: str = ""
    kind: PartyKind | None = None
    supplies: Supplies | None = None
    rating: RatingFilter | None = None
    review: ReviewState | None = None
    overdue: bool | None = None
    status: PartyStatus | None = None
    criticality: Criticality | None = None
    ai_system: uuid.UUID | None = None


@router.get("/{slug}/suppliers", response=list[SupplierOut])
@paginate(BoundedPagination)
def supplier_list(request: OrgRequest, slug: str, query: Query[SupplierQuery]):
    """The register of suppliers, customers and partners. `overdue=true` is a shorthand for
    `review=overdue`; `rating` takes low, medium, high or none (not rated yet)."""
    ctx = request.ctx
    review = query.review or (ReviewState.OVERDUE if query.overdue else "")
    return selectors.supplier_list(ctx=ctx, filters=selectors.SupplierFilters(
        q=query.q, kind=query.kind or "", supplies=query.supplies or "",
        rating=query.rating.value if query.rating else "",
        review=review, status=query.status or "", criticality=query.criticality or "",
        ai_system=str(query.ai_system or "")))


@router.post("/{slug}/suppliers", response={201: SupplierOut}, perm="suppliers.change")
def supplier_create(request: OrgRequest, slug: str, payload: SupplierIn):
    ctx = request.ctx
    supplier = services.supplier_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.supplier_get(ctx=ctx, supplier_id=supplier.pk))


@router.get("/{slug}/suppliers/{supplier_id}", response=SupplierOut)
def supplier_get(request: OrgRequest, slug: str, supplier_id: uuid.UUID):
    return selectors.supplier_get(ctx=request.ctx, supplier_id=supplier_id)


@router.patch("/{slug}/suppliers/{supplier_id}", response=SupplierOut, perm="suppliers.change")
def supplier_update(request: OrgRequest, slug: str, supplier_id: uuid.UUID,
                    payload: SupplierPatch):
    ctx = request.ctx
    services.supplier_update(ctx=ctx, supplier_id=supplier_id, **payload.changes())
    return selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)


@router.delete("/{slug}/suppliers/{supplier_id}", perm="suppliers.change")
def supplier_delete(request: OrgRequest, slug: str, supplier_id: uuid.UUID, version: int):
    """Remove a party entered by mistake (its answers, reviews and responsibilities go with
    it); set a real one that ended to exited instead."""
    services.supplier_delete(ctx=request.ctx, supplier_id=supplier_id, version=version)
    return Status(204, None)


# ---------------------------------------------------------------------------- due diligence


@router.get("/{slug}/suppliers/{supplier_id}/due-diligence", response=list[ChecklistItemOut])
def checklist_get(request: OrgRequest, slug: str, supplier_id: uuid.UUID):
    """The due-diligence questions for the party's kind, each with its answer (a fixed, short
    list, so not paged)."""
    ctx = request.ctx
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    return [{"item": row.item.key, "title": row.item.title, "question": row.question,
             "why": row.item.why, "status": row.status,
             "notes": row.answer.notes if row.answer else "",
             "source": row.answer.source if row.answer else "",
             "answered_by_email": (row.answer.answered_by.email
                                   if row.answer and row.answer.answered_by is not None else None),
             "updated_at": row.answer.updated_at if row.answer else None,
             "version": row.version}
            for row in selectors.checklist_for(ctx=ctx, supplier=supplier)]


@router.patch("/{slug}/suppliers/{supplier_id}/due-diligence/{diligence_item}",
              response=AnswerOut, perm="suppliers.change")
def checklist_answer(request: OrgRequest, slug: str, supplier_id: uuid.UUID,
                     diligence_item: str, payload: AnswerPatch):
    """Answer one question: send version 0 (with a status) for the first answer, then the
    answer's version for each change."""
    change = payload.changes()
    if change["data"].get("status") is None:
        change["data"].pop("status", None)
    return services.due_diligence_answer(ctx=request.ctx, supplier_id=supplier_id,
                                         item=diligence_item, **change)


# ---------------------------------------------------------------------------- reviews


@router.get("/{slug}/suppliers/{supplier_id}/reviews", response=list[SupplierReviewOut])
@paginate(BoundedPagination)
def supplier_review_list(request: OrgRequest, slug: str, supplier_id: uuid.UUID):
    """The party's completed reviews, newest first, each with the answers as they stood."""
    return selectors.supplier_review_list(ctx=request.ctx, supplier_id=supplier_id)


@router.post("/{slug}/suppliers/{supplier_id}/reviews", response={201: SupplierReviewOut},
             perm="suppliers.change")
def supplier_review_create(request: OrgRequest, slug: str, supplier_id: uuid.UUID,
                           payload: SupplierReviewIn):
    """Complete a review: every question must be answered (here in `answers`, or before);
    sets the party's rating, last review and next review date."""
    review = services.supplier_review_create(
        ctx=request.ctx, supplier_id=supplier_id, data=payload.dict(exclude={"version", "answers"}),
        version=payload.version, answers=payload.dict()["answers"])
    return Status(201, review)


# ---------------------------------------------------------------------------- responsibilities


@router.get("/{slug}/suppliers/{supplier_id}/responsibilities",
            response=list[ResponsibilityOut])
@paginate(BoundedPagination)
def responsibility_list(request: OrgRequest, slug: str, supplier_id: uuid.UUID):
    """Who does what between us and the party, by topic."""
    return selectors.responsibility_list(ctx=request.ctx, supplier_id=supplier_id)


@router.post("/{slug}/suppliers/{supplier_id}/responsibilities",
             response={201: ResponsibilityOut}, perm="suppliers.change")
def responsibility_create(request: OrgRequest, slug: str, supplier_id: uuid.UUID,
                          payload: ResponsibilityIn):
    ctx = request.ctx
    row = services.responsibility_create(ctx=ctx, supplier_id=supplier_id, data=payload.dict())
    return Status(201, row)


@router.patch("/{slug}/suppliers/{supplier_id}/responsibilities/{allocation_id}",
              response=ResponsibilityOut, perm="suppliers.change")
def responsibility_update(request: OrgRequest, slug: str, supplier_id: uuid.UUID,
                          allocation_id: uuid.UUID, payload: ResponsibilityPatch):
    return services.responsibility_update(ctx=request.ctx, supplier_id=supplier_id,
                                          allocation_id=allocation_id, **payload.changes())


@router.delete("/{slug}/suppliers/{supplier_id}/responsibilities/{allocation_id}",
               perm="suppliers.change")
def responsibility_delete(request: OrgRequest, slug: str, supplier_id: uuid.UUID,
                          allocation_id: uuid.UUID, version: int):
    services.responsibility_delete(ctx=request.ctx, supplier_id=supplier_id,
                                   allocation_id=allocation_id, version=version)
    return Status(204, None)
