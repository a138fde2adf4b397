import datetime
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Query, Schema
from ninja.pagination import paginate
from pydantic import Field

from aims.aiact import selectors, services
from aims.aiact.presenters import classification_out, obligation_out, version_out
from aims.aiact.schemas import (
    ClassificationIn,
    ClassificationOut,
    ClassificationVersionOut,
    ObligationOut,
    ObligationPatch,
)
from aims.core.paging import BoundedPagination
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()
S = "/{slug}/ai-systems/{system_id}/classification"


@router.get(S, response=ClassificationOut, by_alias=True)
def classification_get(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """The system's current EU AI Act classification: answers, class and trace (class null
    and version 0 before the first), with the questions the answers reach."""
    return classification_out(selectors.classification_get(ctx=request.ctx,
                                                           system_id=system_id))


@router.put(S, response=ClassificationOut, by_alias=True, perm=services.PERM)
def classification_put(request: OrgRequest, slug: str, system_id: uuid.UUID,
                       payload: ClassificationIn):
    """Save a new classification version from a complete set of answers; the system's EU class
    follows the result."""
    ctx = request.ctx
    services.classification_save(ctx=ctx, system_id=system_id, answers=payload.answers,
                                 version=payload.version)
    return classification_out(selectors.classification_get(ctx=ctx, system_id=system_id))


@router.get(S + "/versions", response=list[ClassificationVersionOut], by_alias=True)
@paginate(BoundedPagination)
def classification_versions(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """Every saved classification of the system, newest first, with who saved it and when."""
    return [version_out(v) for v in
            selectors.classification_versions(ctx=request.ctx, system_id=system_id)]


class ObligationQuery(Schema):
    ai_system: uuid.UUID | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: Literal["", "not_started", "in_progress", "met", "not_applicable", "open",
                    "overdue"] = ""
    owner: str = Field("", description="A member's user id, or `none` for obligations nobody "
                                       "owns yet.")
    include_ended: bool = False


@router.get("/{slug}/obligations", response=list[ObligationOut])
def obligation_list(request: OrgRequest, slug: str, query: Query[ObligationQuery]):
    """The EU AI Act obligations of the organisation's classified AI systems, by its role
    toward each, with the date each applies from, its status, owner and evidence (filter by
    `ai_system`, by that date with `date_from` / `date_to`, by `status` — or `open`, `overdue`
    — and by `owner`; `include_ended=true` adds those a later classification no longer
    brings)."""
    cal = selectors.obligation_calendar(
        ctx=request.ctx, today=timezone.localdate(),
        filters=selectors.ObligationFilters(**query.dict()))
    return [obligation_out(r) for r in cal.rows]


@router.get("/{slug}/obligations/{obligation_id}", response=ObligationOut)
def obligation_get(request: OrgRequest, slug: str, obligation_id: uuid.UUID):
    """One obligation of one AI system, with its status, owner and evidence."""
    return obligation_out(selectors.obligation_get(ctx=request.ctx, item_id=obligation_id,
                                                   today=timezone.localdate()))


@router.patch("/{slug}/obligations/{obligation_id}", response=ObligationOut,
              perm=services.ITEM_PERM)
def obligation_update(request: OrgRequest, slug: str, obligation_id: uuid.UUID,
                      payload: ObligationPatch):
    """Work one obligation: `status` (`not_applicable` needs `status_reason`; Art. 27 is
    `met` only with a complete fundamental rights impact assessment), `owner` (a member),
    `notes`, `last_reviewed`; quote the `version` you read (409 if it changed since)."""
    ctx = request.ctx
    services.obligation_item_update(ctx=ctx, item_id=obligation_id, **payload.changes())
    return obligation_out(selectors.obligation_get(ctx=ctx, item_id=obligation_id,
                                                   today=timezone.localdate()))
