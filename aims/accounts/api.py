import datetime
import uuid

from django.http import HttpRequest
from ninja import Schema, Status

from aims.accounts import services
from aims.accounts.models import User
from aims.accounts.reauth import require_recent_authentication_api
from aims.core.api import AimsRouter, InSchema, SessionAuth

router = AimsRouter()


class UserRequest(HttpRequest):
    """A request that passed an operation's authentication: ninja puts the caller on `auth`."""

    auth: User


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str


class TokenOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreated(TokenOut):
    token: str


class TokenIn(InSchema):
    name: str = ""
    expires_in_days: int | None = None


@router.get("", response=MeOut)
def me(request: UserRequest):
    return request.auth


@router.get("/tokens", response=list[TokenOut])
def token_list(request: UserRequest):
    return list(services.token_list(user=request.auth))


# Managing tokens needs a signed-in session: a leaked token must not mint its own successor
# or revoke its owner's other tokens.
@router.post("/tokens", response={201: TokenCreated}, auth=SessionAuth())
def token_create(request: UserRequest, payload: TokenIn):
    """Issue a token (signed-in session only, with the password confirmed in the last five
    minutes, else 403); the secret is in this response only."""
    require_recent_authentication_api(request)
    token, raw = services.token_create(user=request.auth, name=payload.name,
                                       expires_in_days=payload.expires_in_days)
    return Status(201, TokenCreated(token=raw, **TokenOut.model_validate(token).model_dump()))


@router.delete("/tokens/{token_id}", response={204: None}, auth=SessionAuth())
def token_revoke(request: UserRequest, token_id: uuid.UUID):
    """Revoke one of your tokens (signed-in session only); it stays listed, as revoked."""
    services.token_revoke(user=request.auth, token_id=token_id)
    return Status(204, None)
