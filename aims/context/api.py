import uuid

from django.http import HttpRequest
from ninja import Router, Status
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
from aims.orgs.api import api_ctx

router = Router()


@router.get("/{slug}/scope", response=ScopeOut)
def scope_current(request: HttpRequest, slug: str):
    scope = selectors.scope_current(ctx=api_ctx(request, slug))
    if scope is None:
        raise NotFound("No scope has been written yet.")
    return scope


@router.post("/{slug}/scope", response={201: ScopeOut})
def scope_version_create(request: HttpRequest, slug: str, payload: ScopeIn):
    data = payload.dict()
    based_on = data.pop("based_on")
    return Status(201, services.scope_version_create(ctx=api_ctx(request, slug), data=data,
                                                     based_on=based_on))


@router.get("/{slug}/scope/versions", response=list[ScopeOut])
@paginate(BoundedPagination)
def scope_version_list(request: HttpRequest, slug: str):
    return selectors.scope_version_list(ctx=api_ctx(request, slug))


@router.get("/{slug}/scope/versions/{number}", response=ScopeOut)
def scope_version_get(request: HttpRequest, slug: str, number: int):
    return selectors.scope_version_get(ctx=api_ctx(request, slug), number=number)


@router.get("/{slug}/issues", response=list[IssueOut])
@paginate(BoundedPagination)
def issue_list(request: HttpRequest, slug: str, kind: str = "", q: str = "",
               active: bool | None = None):
    return selectors.context_issue_list(ctx=api_ctx(request, slug), kind=kind, q=q,
                                        active=active)


@router.post("/{slug}/issues", response={201: IssueOut})
def issue_create(request: HttpRequest, slug: str, payload: IssueIn):
    return Status(201, services.context_issue_create(ctx=api_ctx(request, slug), data=payload.dict()))


@router.get("/{slug}/issues/{issue_id}", response=IssueOut)
def issue_get(request: HttpRequest, slug: str, issue_id: uuid.UUID):
    return selectors.context_issue_get(ctx=api_ctx(request, slug), issue_id=issue_id)


@router.patch("/{slug}/issues/{issue_id}", response=IssueOut)
def issue_update(request: HttpRequest, slug: str, issue_id: uuid.UUID, payload: IssuePatch):
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.context_issue_update(ctx=api_ctx(request, slug), issue_id=issue_id,
                                         data=data, version=version)


@router.delete("/{slug}/issues/{issue_id}", response={204: None})
def issue_delete(request: HttpRequest, slug: str, issue_id: uuid.UUID, version: int):
    services.context_issue_delete(ctx=api_ctx(request, slug), issue_id=issue_id, version=version)
    return Status(204, None)


@router.get("/{slug}/interested-parties", response=list[PartyOut])
@paginate(BoundedPagination)
def party_list(request: HttpRequest, slug: str, q: str = "", active: bool | None = None):
    return selectors.interested_party_list(ctx=api_ctx(request, slug), q=q, active=active)


@router.post("/{slug}/interested-parties", response={201: PartyOut})
def party_create(request: HttpRequest, slug: str, payload: PartyIn):
    return Status(201, services.interested_party_create(ctx=api_ctx(request, slug), data=payload.dict()))


@router.get("/{slug}/interested-parties/{party_id}", response=PartyOut)
def party_get(request: HttpRequest, slug: str, party_id: uuid.UUID):
    return selectors.interested_party_get(ctx=api_ctx(request, slug), party_id=party_id)


@router.patch("/{slug}/interested-parties/{party_id}", response=PartyOut)
def party_update(request: HttpRequest, slug: str, party_id: uuid.UUID, payload: PartyPatch):
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.interested_party_update(ctx=api_ctx(request, slug), party_id=party_id,
                                            data=data, version=version)


@router.delete("/{slug}/interested-parties/{party_id}", response={204: None})
def party_delete(request: HttpRequest, slug: str, party_id: uuid.UUID, version: int):
    services.interested_party_delete(ctx=api_ctx(request, slug), party_id=party_id,
                                     version=version)
    return Status(204, None)
