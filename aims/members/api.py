import datetime
import uuid

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from aims.accounts.api import UserRequest
from aims.core.api import VERSION_FIELD, AimsRouter, InSchema, VersionIn
from aims.members import invitations, services
from aims.members import selectors as invitation_selectors
from aims.members.models import InvitationStatus
from aims.orgs import selectors
from aims.orgs.api import OrgRequest, OrgRouter
from aims.orgs.permissions import Role

# Organisations are listed and started outside any one of them; members and invitations
# inside one; the invitations addressed to you under /me.
router = AimsRouter()
members_router = OrgRouter()
me_router = AimsRouter()


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
    starts_on: datetime.date | None = Field(
        description="First day the membership grants access (null: from the start).")
    ends_on: datetime.date | None = Field(
        description="Last day the membership grants access (null: no end). Outside these "
                    "days the membership grants nothing.")
    current: bool = Field(description="Whether the membership grants access today.")
    version: int

    @staticmethod
    def resolve_current(obj) -> bool:
        return obj.is_current()

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.display_name


class MemberPatch(InSchema):
    role: Role | None = None
    starts_on: datetime.date | None = Field(None, description="First day of access (null: "
                                                              "open).")
    ends_on: datetime.date | None = Field(None, description="Last day of access; required "
                                                            "for the auditor role.")
    version: int = VERSION_FIELD


class InvitationIn(InSchema):
    email: str = Field(max_length=254, description="Who to invite. The answer is the same "
                                                   "whether or not the address has an account.")
    role: Role
    starts_on: datetime.date | None = Field(None, description="First day of access (default: "
                                                              "the day they accept).")
    ends_on: datetime.date | None = Field(None, description="Last day of access; required "
                                                            "for the auditor role.")


class InvitationOut(Schema):
    id: uuid.UUID
    email: str
    role: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str = Field(description="pending, accepted, declined or revoked")
    state: str = Field(description="The status, or `expired` for a pending invitation past "
                                   "its expiry")
    expires_at: datetime.datetime
    sent_at: datetime.datetime
    send_count: int
    invited_by: str | None
    created_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_invited_by(obj) -> str | None:
        return obj.invited_by.email if obj.invited_by else None


class MyInvitationOut(Schema):
    id: uuid.UUID
    organisation: str
    organisation_name: str
    role: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    invited_by: str | None
    expires_at: datetime.datetime

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.org.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.org.name

    @staticmethod
    def resolve_invited_by(obj) -> str | None:
        return obj.invited_by.display_name if obj.invited_by else None


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


@members_router.patch("/{slug}/members/{member_id}", response=MemberOut,
                      perm="members.manage")
def member_update(request: OrgRequest, slug: str, member_id: uuid.UUID, payload: MemberPatch):
    """Change a member's role or the days their access is limited to (send only what
    changes, with the version you read)."""
    ctx = request.ctx
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if data.get("role") is None:
        data.pop("role", None)
    services.member_update(ctx=ctx, membership_id=member_id, version=version, data=data)
    return selectors.member_get(ctx=ctx, membership_id=member_id)


@members_router.post("/{slug}/members/{member_id}/end", response=MemberOut,
                     perm="members.manage")
def member_end(request: OrgRequest, slug: str, member_id: uuid.UUID, payload: VersionIn):
    """End a time-boxed member's access today, before its end date."""
    ctx = request.ctx
    services.member_end_access(ctx=ctx, membership_id=member_id, version=payload.version)
    return selectors.member_get(ctx=ctx, membership_id=member_id)


@members_router.delete("/{slug}/members/{member_id}", perm="members.manage")
def member_remove(request: OrgRequest, slug: str, member_id: uuid.UUID, version: int):
    """Remove a member as you read them: a stale `version` gets 409."""
    services.member_remove(ctx=request.ctx, membership_id=member_id, version=version)
    return Status(204, None)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@members_router.get("/{slug}/invitations", response=list[InvitationOut],
                    perm="members.manage")
def invitation_list(request: OrgRequest, slug: str, status: InvitationStatus | None = None):
    """The organisation's invitations, pending first (`?status=pending|accepted|declined|
    revoked`)."""
    return list(invitation_selectors.invitation_list(ctx=request.ctx, status=status)[:500])


@members_router.post("/{slug}/invitations", response={201: InvitationOut},
                     perm="members.manage")
def invitation_create(request: OrgRequest, slug: str, payload: InvitationIn):
    """Invite an e-mail address with a role; the person gets a link by e-mail and joins only
    once they accept. The answer never says whether the address has an account."""
    inv = invitations.invitation_create(ctx=request.ctx, email=payload.email, role=payload.role,
                                        starts_on=payload.starts_on, ends_on=payload.ends_on,
                                        base_url=_base_url(request))
    return Status(201, inv)


@members_router.post("/{slug}/invitations/{invitation_id}/resend", response=InvitationOut,
                     perm="members.manage")
def invitation_resend(request: OrgRequest, slug: str, invitation_id: uuid.UUID,
                      payload: VersionIn):
    """Send a pending or expired invitation again with a new link (the old one stops
    working) valid for the full period from now."""
    return invitations.invitation_resend(ctx=request.ctx, invitation_id=invitation_id,
                                         version=payload.version, base_url=_base_url(request))


@members_router.post("/{slug}/invitations/{invitation_id}/revoke", response=InvitationOut,
                     perm="members.manage")
def invitation_revoke(request: OrgRequest, slug: str, invitation_id: uuid.UUID,
                      payload: VersionIn):
    """Withdraw a pending invitation; its link stops working at once."""
    return invitations.invitation_revoke(ctx=request.ctx, invitation_id=invitation_id,
                                         version=payload.version)


@me_router.get("/invitations", response=list[MyInvitationOut])
def my_invitations(request: UserRequest):
    """The open invitations addressed to your e-mail address."""
    return list(invitation_selectors.invitation_list_for_user(user=request.auth))


@me_router.post("/invitations/{invitation_id}/accept", response=OrgOut)
def my_invitation_accept(request: UserRequest, invitation_id: uuid.UUID):
    """Join the organisation of an invitation addressed to your e-mail address."""
    m = invitations.invitation_accept(user=request.auth, invitation_id=invitation_id)
    return OrgOut(slug=m.org.slug, name=m.org.name, role=m.role)


@me_router.post("/invitations/{invitation_id}/decline", response=MyInvitationOut)
def my_invitation_decline(request: UserRequest, invitation_id: uuid.UUID):
    """Decline an invitation addressed to your e-mail address."""
    return invitations.invitation_decline(user=request.auth, invitation_id=invitation_id)
