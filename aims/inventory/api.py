import uuid

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.paging import BoundedPagination
from aims.inventory import gates, selectors, services
from aims.inventory.models import LifecycleStage, ResourceKind
from aims.inventory.schemas import (
    AISystemIn,
    AISystemOut,
    AISystemPatch,
    DeploymentApprovalIn,
    DeploymentApprovalOut,
    GateOut,
    LifecycleRecordOut,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    StageChangeIn,
    SystemChangeIn,
    SystemChangeOut,
)
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class AISystemQuery(Schema):
    q: str = ""
    lifecycle_stage: str = ""
    eu_risk_class: str = ""
    role: str = ""
    status: str = ""
    in_scope: bool | None = None


@router.get("/{slug}/ai-systems", response=list[AISystemOut])
@paginate(BoundedPagination)
def ai_system_list(request: OrgRequest, slug: str, query: Query[AISystemQuery]):
    return selectors.ai_system_list(ctx=request.ctx,
                                    filters=selectors.AISystemFilters(**query.dict()))


@router.post("/{slug}/ai-systems", response={201: AISystemOut}, perm="inventory.change")
def ai_system_create(request: OrgRequest, slug: str, payload: AISystemIn):
    ctx = request.ctx
    system = services.ai_system_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.ai_system_get(ctx=ctx, system_id=system.pk))


@router.get("/{slug}/ai-systems/{system_id}", response=AISystemOut)
def ai_system_get(request: OrgRequest, slug: str, system_id: uuid.UUID):
    return selectors.ai_system_get(ctx=request.ctx, system_id=system_id)


@router.patch("/{slug}/ai-systems/{system_id}", response=AISystemOut, perm="inventory.change")
def ai_system_update(request: OrgRequest, slug: str, system_id: uuid.UUID,
                     payload: AISystemPatch):
    ctx = request.ctx
    services.ai_system_update(ctx=ctx, system_id=system_id, **payload.changes())
    return selectors.ai_system_get(ctx=ctx, system_id=system_id)


@router.delete("/{slug}/ai-systems/{system_id}", perm="inventory.change")
def ai_system_delete(request: OrgRequest, slug: str, system_id: uuid.UUID, version: int):
    services.ai_system_delete(ctx=request.ctx, system_id=system_id, version=version)
    return Status(204, None)


@router.get("/{slug}/ai-systems/{system_id}/changes", response=list[SystemChangeOut])
@paginate(BoundedPagination)
def system_change_list(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """The system's change log, newest first."""
    return selectors.system_change_list(ctx=request.ctx, system_id=system_id)


@router.post("/{slug}/ai-systems/{system_id}/changes", response={201: SystemChangeOut},
             perm="inventory.change")
def system_change_record(request: OrgRequest, slug: str, system_id: uuid.UUID,
                         payload: SystemChangeIn):
    """Record a change; a significant one marks the current impact assessment for
    re-assessment."""
    change = services.system_change_record(ctx=request.ctx, system_id=system_id,
                                           data=payload.dict())
    return Status(201, change)


# ---------------------------------------------------------------------------- lifecycle


@router.post("/{slug}/ai-systems/{system_id}/stage", response=AISystemOut,
             perm="inventory.change")
def ai_system_stage_change(request: OrgRequest, slug: str, system_id: uuid.UUID,
                           payload: StageChangeIn):
    """Move the system to another lifecycle stage. A move to deployed is refused with 422 on
    lifecycle_stage, one message per missing item, unless the deployment checks pass (see
    GET …/gate)."""
    ctx = request.ctx
    services.ai_system_stage_change(ctx=ctx, system_id=system_id, to_stage=payload.to_stage,
                                    version=payload.version, note=payload.note)
    return selectors.ai_system_get(ctx=ctx, system_id=system_id)


class GateQuery(Schema):
    to: LifecycleStage = LifecycleStage.DEPLOYED


@router.get("/{slug}/ai-systems/{system_id}/gate", response=GateOut)
def ai_system_gate(request: OrgRequest, slug: str, system_id: uuid.UUID,
                   query: Query[GateQuery]):
    """What a move to `to` (deployed by default) needs, check by check, as things stand."""
    ctx = request.ctx
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    gate = gates.stage_gate(ctx=ctx, system=system, to_stage=query.to)
    return {"ai_system": system.pk, "to_stage": gate.to_stage, "gated": gate.gated,
            "passed": gate.passed, "missing": gate.problems,
            "checks": [{**c.snapshot(), "rule": c.rule, "url": c.url,
                        "problems": [p.__dict__ for p in c.problems]} for c in gate.checks]}


@router.get("/{slug}/ai-systems/{system_id}/deployment-approvals",
            response=list[DeploymentApprovalOut])
@paginate(BoundedPagination)
def deployment_approval_list(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """The system's deployment approvals, newest first, each saying whether it still stands."""
    return selectors.deployment_approval_list(ctx=request.ctx, system_id=system_id)


@router.post("/{slug}/ai-systems/{system_id}/deployment-approvals",
             response={201: DeploymentApprovalOut}, perm="lifecycle.approve")
def deployment_approval_create(request: OrgRequest, slug: str, system_id: uuid.UUID,
                               payload: DeploymentApprovalIn):
    """Approve deploying the system as it stands at `version` (owners and admins)."""
    # A new approval stands: none of its ends (see DeploymentApproval.ended) can follow it yet.
    approval = services.deployment_approval_create(ctx=request.ctx, system_id=system_id,
                                                   version=payload.version, note=payload.note)
    return Status(201, approval)


@router.get("/{slug}/ai-systems/{system_id}/lifecycle", response=list[LifecycleRecordOut])
@paginate(BoundedPagination)
def lifecycle_record_list(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """The system's lifecycle history, newest first."""
    return selectors.lifecycle_record_list(ctx=request.ctx, system_id=system_id)


# ---------------------------------------------------------------------------- resources


class ResourceQuery(Schema):
    q: str = ""
    kind: ResourceKind | None = None
    ai_system: uuid.UUID | None = None


@router.get("/{slug}/resources", response=list[ResourceOut])
@paginate(BoundedPagination)
def resource_list(request: OrgRequest, slug: str, query: Query[ResourceQuery]):
    return selectors.resource_list(ctx=request.ctx, filters=selectors.ResourceFilters(
        q=query.q, kind=query.kind or "", ai_system=str(query.ai_system or "")))


@router.post("/{slug}/resources", response={201: ResourceOut}, perm="inventory.change")
def resource_create(request: OrgRequest, slug: str, payload: ResourceIn):
    ctx = request.ctx
    resource = services.resource_create(ctx=ctx, data=payload.dict())
    return Status(201, selectors.resource_get(ctx=ctx, resource_id=resource.pk))


@router.get("/{slug}/resources/{resource_id}", response=ResourceOut)
def resource_get(request: OrgRequest, slug: str, resource_id: uuid.UUID):
    return selectors.resource_get(ctx=request.ctx, resource_id=resource_id)


@router.patch("/{slug}/resources/{resource_id}", response=ResourceOut, perm="inventory.change")
def resource_update(request: OrgRequest, slug: str, resource_id: uuid.UUID,
                    payload: ResourcePatch):
    ctx = request.ctx
    services.resource_update(ctx=ctx, resource_id=resource_id, **payload.changes())
    return selectors.resource_get(ctx=ctx, resource_id=resource_id)


@router.delete("/{slug}/resources/{resource_id}", perm="inventory.change")
def resource_delete(request: OrgRequest, slug: str, resource_id: uuid.UUID, version: int):
    services.resource_delete(ctx=request.ctx, resource_id=resource_id, version=version)
    return Status(204, None)
