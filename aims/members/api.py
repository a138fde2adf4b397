import uuid

from ninja import Schema, Status
from pydantic import Field

from aims.accounts.api import UserRequest
from aims.core.api import AimsRouter, InSchema, VersionIn
from aims.members import services
from aims.orgs import selectors
from aims.orgs.api import OrgRequest, OrgRouter
from aims.orgs.permissions import Role

# Organisations are listed and started outside any one of them; members inside one.
router = AimsRouter()
members_router = OrgRouter()


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


class MemberIn(InSchema):
    email: str
    role: Role


class MemberPatch(VersionIn):
    role: Role


@router.get("", response=list[OrgOut])
def org_list(request: UserRequest):
    """The organisations you belong to, with your role in each."""
    return [OrgOut(slug=m.org.slug, name=m.org.name, role=m.role)
            for m in selectors.membership_list_for_user(user=request.auth)]


class OrgIn(InSchema):
    slug: str
    name: str


@router.post("", response={201: OrgOut})
def org_create(request: UserRequest, payload: OrgIn):
    """Start an organisation; you become its owner (see AIMS_ORG_CREATION)."""
    org = services.org_start(user=request.auth, slug=payload.slug, name=payload.name)
    return Status(201, OrgOut(slug=org.slug, name=org.name, role="owner"))


@members_router.get("/{slug}", response=OrgOut)
def org_get(request: OrgRequest, slug: str):
    ctx = request.ctx
    return OrgOut(slug=ctx.org.slug, name=ctx.org.name, role=ctx.role)


class SecurityOut(Schema):
    require_mfa: bool
    version: int


class SecurityPatch(VersionIn):
    require_mfa: bool


@members_router.get("/{slug}/security", response=SecurityOut)
def security_get(request: OrgRequest, slug: str):
    """The organisation's sign-in rules and the version to quote when changing them."""
    org = request.ctx.org
    return SecurityOut(require_mfa=org.require_mfa,
                       version=services.org_security_version(org=org))


@members_router.patch("/{slug}/security", response=SecurityOut, perm="org.manage")
def security_update(request: OrgRequest, slug: str, payload: SecurityPatch):
    """Require two-factor authentication of every member (owners only; you need it first)."""
    ctx = request.ctx
    version = services.org_security_update(ctx=ctx, require_mfa=payload.require_mfa,
                                           version=payload.version)
    return SecurityOut(require_mfa=ctx.org.require_mfa, version=version)


@members_router.get("/{slug}/members", response=list[MemberOut])
def member_list(request: OrgRequest, slug: str):
    return list(selectors.member_list(ctx=request.ctx))


@members_router.post("/{slug}/members", response={201: MemberOut}, perm="members.manage")
def member_add(request: OrgRequest, slug: str, payload: MemberIn):
    ctx = request.ctx
    m = services.member_add_by_email(ctx=ctx, email=payload.email, role=payload.role)
    return Status(201, selectors.member_get(ctx=ctx, membership_id=m.pk))


@members_router.patch("/{slug}/members/{member_id}", response=MemberOut,
                      perm="members.manage")
def member_update(request: OrgRequest, slug: str, member_id: uuid.UUID, payload: MemberPatch):
    ctx = request.ctx
    services.member_set_role(ctx=ctx, membership_id=member_id, role=payload.role,
                             version=payload.version)
    return selectors.member_get(ctx=ctx, membership_id=member_id)


@members_router.delete("/{slug}/members/{member_id}", perm="members.manage")
def member_remove(request: OrgRequest, slug: str, member_id: uuid.UUID):
    services.member_remove(ctx=request.ctx, membership_id=member_id)
    return Status(204, None)
