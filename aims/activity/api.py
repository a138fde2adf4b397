import datetime
from typing import Literal

from ninja import Query, Schema

from aims.activity.exports import activity_export_csv
from aims.activity.selectors import EventFilters, event_list
from aims.activity.services import log_verify
from aims.core.paging import MAX_OFFSET
from aims.core.responses import file_response
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class EventOut(Schema):
    seq: int
    at: datetime.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class EventQuery(Schema):
    q: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_bad_seq: int | None
    problem: str
    checkpoint: Literal["none", "ok", "failed"]
    checkpoint_at: str
    checkpoint_seq: int | None


class EventPage(Schema):
    items: list[EventOut]
    count: int


@router.get("/{slug}/activity", response={200: EventPage}, perm="activity.view")
def activity_list(request: OrgRequest, slug: str, query: Query[EventQuery],
                  format: Literal["json", "csv"] = "json",
                  limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    """The activity log, newest first; `?format=csv` returns the whole filtered log as CSV."""
    ctx = request.ctx
    filters = EventFilters(**query.dict())
    if format == "csv":
        return file_response(*activity_export_csv(ctx=ctx, filters=filters))
    qs = event_list(ctx=ctx, filters=filters)
    return {"items": list(qs[offset:offset + limit]), "count": qs.count()}


@router.get("/{slug}/activity/verify", response=VerifyOut, perm="activity.view")
def activity_verify(request: OrgRequest, slug: str):
    """Re-check every seal and the chain, and hold the log against its latest checkpoint."""
    return log_verify(org=request.ctx.org).__dict__
