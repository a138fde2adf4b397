import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from aims.core.api import BoundedPagination, Deleted, api_ctx
from aims.inventory import selectors, services
from aims.inventory.schemas import (
    AISystemIn,
    AISystemOut,
    AISystemPatch,
    SystemChangeIn,
    SystemChangeOut,
)

router = Router()


class AISystemQuery(Schema):
    q: str = ""
    lifecycle_stage: str = ""
    eu_risk_class: str = ""
    role: str = ""
    status: str = ""
    in_scope: bool | None = None


@router.get("/{slug}/ai-systems", response=list[AISystemOut])
@paginate(BoundedPagination)
def ai_system_list(request: HttpRequest, slug: str, query: Query[AISystemQuery]):
    ctx = api_ctx(request, slug)
    return selectors.ai_system_list(ctx=ctx, filters=selectors.AISystemFilters(**query.dict()))


@router.post("/{slug}/ai-systems", response={201: AISystemOut})
def ai_system_create(request: HttpRequest, slug: str, payload: AISystemIn):
    ctx = api_ctx(request, slug)
    system = services.ai_system_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.ai_system_get(ctx=ctx, system_id=system.pk))


@router.get("/{slug}/ai-systems/{system_id}", response=AISystemOut)
def ai_system_get(request: HttpRequest, slug: str, system_id: uuid.UUID):
    return selectors.ai_system_get(ctx=api_ctx(request, slug), system_id=system_id)


@router.patch("/{slug}/ai-systems/{system_id}", response=AISystemOut)
def ai_system_update(request: HttpRequest, slug: str, system_id: uuid.UUID,
                     payload: AISystemPatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.ai_system_update(ctx=ctx, system_id=system_id, data=data, version=version)
    return selectors.ai_system_get(ctx=ctx, system_id=system_id)


@router.delete("/{slug}/ai-systems/{system_id}", response=Deleted)
def ai_system_delete(request: HttpRequest, slug: str, system_id: uuid.UUID, version: int):
    services.ai_system_delete(ctx=api_ctx(request, slug), system_id=system_id, version=version)
    return Deleted()


@router.get("/{slug}/ai-systems/{system_id}/changes", response=list[SystemChangeOut])
@paginate(BoundedPagination)
def system_change_list(request: HttpRequest, slug: str, system_id: uuid.UUID):
    """The system's change log, newest first."""
    return selectors.system_change_list(ctx=api_ctx(request, slug), system_id=system_id)


@router.post("/{slug}/ai-systems/{system_id}/changes", response={201: SystemChangeOut})
def system_change_record(request: HttpRequest, slug: str, system_id: uuid.UUID,
                         payload: SystemChangeIn):
    """Record a change; a significant one marks the current impact assessment for
    re-assessment."""
    ctx = api_ctx(request, slug)
    change = services.system_change_record(ctx=ctx, system_id=system_id, data=payload.dict())
    return Status(201, change)
