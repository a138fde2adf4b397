import uuid

from ninja import Status
from ninja.pagination import paginate

from aims.context import selectors, services
from aims.context.schemas import (
    IssueIn,
    IssueOut,
    IssuePatch,
    PartyIn,
    PartyOut,
    PartyPatch,
    ScopeIn,
    ScopeOut,
)
from aims.core.errors import NotFound
from aims.core.paging import BoundedPagination
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


@router.get("/{slug}/scope", response=ScopeOut)
def scope_current(request: OrgRequest, slug: str):
    scope = selectors.scope_current(ctx=request.ctx)
    if scope is None:
        raise NotFound("No scope has been written yet.")
    return scope


@router.post("/{slug}/scope", response={201: ScopeOut}, perm="context.change")
def scope_version_create(request: OrgRequest, slug: str, payload: ScopeIn):
    data = payload.dict()
    based_on = data.pop("based_on")
    return Status(201, services.scope_version_create(ctx=request.ctx, data=data,
                                                     based_on=based_on))


@router.get("/{slug}/scope/versions", response=list[ScopeOut])
@paginate(BoundedPagination)
def scope_version_list(request: OrgRequest, slug: str):
    return selectors.scope_version_list(ctx=request.ctx)


@router.get("/{slug}/scope/versions/{number}", response=ScopeOut)
def scope_version_get(request: OrgRequest, slug: str, number: int):
    return selectors.scope_version_get(ctx=request.ctx, number=number)


@router.get("/{slug}/issues", response=list[IssueOut])
@paginate(BoundedPagination)
def issue_list(request: OrgRequest, slug: str, kind: str = "", q: str = "",
               active: bool | None = None):
    return selectors.context_issue_list(ctx=request.ctx, kind=kind, q=q,
                                        active=active)


@router.post("/{slug}/issues", response={201: IssueOut}, perm="context.change")
def issue_create(request: OrgRequest, slug: str, payload: IssueIn):
    return Status(201, services.context_issue_create(ctx=request.ctx, data=payload.dict()))


@router.get("/{slug}/issues/{issue_id}", response=IssueOut)
def issue_get(request: OrgRequest, slug: str, issue_id: uuid.UUID):
    return selectors.context_issue_get(ctx=request.ctx, issue_id=issue_id)


@router.patch("/{slug}/issues/{issue_id}", response=IssueOut, perm="context.change")
def issue_update(request: OrgRequest, slug: str, issue_id: uuid.UUID, payload: IssuePatch):
    return services.context_issue_update(ctx=request.ctx, issue_id=issue_id,
                                         **payload.changes())


@router.delete("/{slug}/issues/{issue_id}", perm="context.change")
def issue_delete(request: OrgRequest, slug: str, issue_id: uuid.UUID, version: int):
    services.context_issue_delete(ctx=request.ctx, issue_id=issue_id, version=version)
    return Status(204, None)


@router.get("/{slug}/interested-parties", response=list[PartyOut])
@paginate(BoundedPagination)
def party_list(request: OrgRequest, slug: str, q: str = "", active: bool | None = None):
    return selectors.interested_party_list(ctx=request.ctx, q=q, active=active)


@router.post("/{slug}/interested-parties", response={201: PartyOut}, perm="context.change")
def party_create(request: OrgRequest, slug: str, payload: PartyIn):
    return Status(201, services.interested_party_create(ctx=request.ctx, data=payload.dict()))


@router.get("/{slug}/interested-parties/{party_id}", response=PartyOut)
def party_get(request: OrgRequest, slug: str, party_id: uuid.UUID):
    return selectors.interested_party_get(ctx=request.ctx, party_id=party_id)


@router.patch("/{slug}/interested-parties/{party_id}", response=PartyOut, perm="context.change")
def party_update(request: OrgRequest, slug: str, party_id: uuid.UUID, payload: PartyPatch):
    return services.interested_party_update(ctx=request.ctx, party_id=party_id,
                                            **payload.changes())


@router.delete("/{slug}/interested-parties/{party_id}", perm="context.change")
def party_delete(request: OrgRequest, slug: str, party_id: uuid.UUID, version: int):
    services.interested_party_delete(ctx=request.ctx, party_id=party_id,
                                     version=version)
    return Status(204, None)
