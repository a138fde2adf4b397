import uuid

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from aims.core.api import api_ctx
from aims.orgs import selectors, services
from aims.orgs.permissions import Role

router = Router()


class OrgOut(Schema):
    slug: str
    name: str
    role: str


class MemberOut(Schema):
    id: uuid.UUID
    user: uuid.UUID = Field(alias="user_id")
    email: str
    name: str
    role: str
    version: int

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.display_name


class MemberIn(Schema):
    email: str
    role: Role


class MemberPatch(Schema):
    role: Role
    version: int


@router.get("", response=list[OrgOut])
def org_list(request: HttpRequest):
    """The organisations you belong to, with your role in each."""
    return [OrgOut(slug=m.org.slug, name=m.org.name, role=m.role)
            for m in selectors.membership_list_for_user(user=request.auth)]


class OrgIn(Schema):
    slug: str
    name: str


@router.post("", response={201: OrgOut})
def org_create(request: HttpRequest, payload: OrgIn):
    """Start an organisation; you become its owner (see AIMS_ORG_CREATION)."""
    org = services.org_start(user=request.auth, slug=payload.slug, name=payload.name)
    return Status(201, OrgOut(slug=org.slug, name=org.name, role="owner"))


@router.get("/{slug}", response=OrgOut)
def org_get(request: HttpRequest, slug: str):
    ctx = api_ctx(request, slug)
    return OrgOut(slug=ctx.org.slug, name=ctx.org.name, role=ctx.role)


@router.get("/{slug}/members", response=list[MemberOut])
def member_list(request: HttpRequest, slug: str):
    return list(selectors.member_list(ctx=api_ctx(request, slug)))


@router.post("/{slug}/members", response={201: MemberOut})
def member_add(request: HttpRequest, slug: str, payload: MemberIn):
    ctx = api_ctx(request, slug)
    m = services.member_add_by_email(ctx=ctx, email=payload.email, role=payload.role)
    return Status(201, selectors.member_get(ctx=ctx, membership_id=m.pk))


@router.patch("/{slug}/members/{member_id}", response=MemberOut)
def member_update(request: HttpRequest, slug: str, member_id: uuid.UUID, payload: MemberPatch):
    ctx = api_ctx(request, slug)
    services.member_set_role(ctx=ctx, membership_id=member_id, role=payload.role,
                             version=payload.version)
    return selectors.member_get(ctx=ctx, membership_id=member_id)


@router.delete("/{slug}/members/{member_id}", response={204: None})
def member_remove(request: HttpRequest, slug: str, member_id: uuid.UUID):
    services.member_remove(ctx=api_ctx(request, slug), membership_id=member_id)
    return Status(204, None)
