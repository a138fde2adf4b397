import datetime
import uuid

from django.utils import timezone
from ninja import Query, Schema
from ninja.pagination import paginate

from aims.aiact import selectors, services
from aims.aiact.presenters import classification_out, obligation_out, version_out
from aims.aiact.schemas import (
    ClassificationIn,
    ClassificationOut,
    ClassificationVersionOut,
    ObligationOut,
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


@router.get("/{slug}/obligations", response=list[ObligationOut])
def obligation_list(request: OrgRequest, slug: str, query: Query[ObligationQuery]):
    """The EU AI Act obligations of the organisation's classified AI systems, by its role
    toward each, with the date each applies from (filter by `ai_system`, and by that date with
    `date_from` / `date_to`)."""
    cal = selectors.obligation_calendar(
        ctx=request.ctx, today=timezone.localdate(),
        filters=selectors.ObligationFilters(**query.dict()))
    return [obligation_out(r) for r in cal.rows]
