"""The API's door into an organisation: who is calling, in which organisation, with which role.

Routes under /orgs/{slug}/ use `OrgRouter`. Its operations resolve the caller, the organisation
named by the path and the caller's role while authenticating, before the request body is read:
a non-member (or an unknown organisation) gets 404 and a role without the operation's
permission gets 403 whatever the body holds; only then is the body validated (422). The
handler finds the context on `request.ctx`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from aims.accounts.api import UserRequest
from aims.accounts.services import token_authenticate
from aims.core.api import AimsRouter
from aims.core.api import SessionAuth as CoreSessionAuth
from aims.orgs.context import Ctx, ctx_for_user

# The permission of a write whose access the service decides record by record (a task's
# owner may complete it without tasks.change, say): any member passes the door.
ANY_MEMBER = ""
# Where the OpenAPI document names the permission an operation needs ("member": any member).
PERMISSION_KEY = "x-aims-permission"


class OrgRequest(UserRequest):
    """A request that passed an OrgRouter operation's door."""

    ctx: Ctx


class OrgScope:
    """Resolve the organisation of the path's {slug} and check `perm` (None: membership)."""

    def __init__(self, perm: str | None) -> None:
        self.perm = perm

    def enter(self, request: HttpRequest, user: Any) -> None:
        slug = request.resolver_match.kwargs.get("slug", "") if request.resolver_match else ""
        ctx = ctx_for_user(user, slug)
        if self.perm:
            ctx.require(self.perm)
        request.ctx = ctx  # type: ignore[attr-defined]


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; inside an organisation, also its scope."""

    def __init__(self, scope: OrgScope | None = None) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(raw=token)
        if user is not None:
            request.user = user
            if self.scope is not None:
                self.scope.enter(request, user)
        return user


class SessionAuth(CoreSessionAuth):
    """A signed-in session (with the CSRF token on writes); inside an organisation, also its
    scope."""

    def __init__(self, scope: OrgScope | None = None) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user and self.scope is not None:
            self.scope.enter(request, user)
        return user


class OrgRouter(AimsRouter):
    """Operations inside one organisation. Each names the permission it needs (`perm`; every
    write must, or say ANY_MEMBER when its service decides per record); a read needs
    membership. DELETE answers 204 with no body."""

    def api_operation(self, methods: list[str], path: str, *, perm: str | None = None,
                      extra_auth: tuple[Any, ...] = (), **kwargs: Any) -> Any:
        if "{slug}" not in path:
            raise ValueError(f"{path}: an OrgRouter path starts with /{{slug}}")
        if set(methods) - {"GET"} and perm is None:
            raise ValueError(f"{methods} {path}: name the permission this write needs (perm=)")
        scope = OrgScope(perm)
        # The permission is part of the contract: documented on the operation.
        kwargs["openapi_extra"] = {PERMISSION_KEY: perm or "member",
                                   **(kwargs.get("openapi_extra") or {})}
        # `extra_auth`: another door tried first, for an operation that also admits a caller
        # other than a member (an integration token on the evidence push); it sets
        # request.ctx itself.
        return super().api_operation(
            methods, path, auth=[*extra_auth, BearerToken(scope), SessionAuth(scope)], **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.api_operation(["GET"], path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.api_operation(["POST"], path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.api_operation(["PUT"], path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.api_operation(["PATCH"], path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        kwargs.setdefault("response", {204: None})
        return self.api_operation(["DELETE"], path, **kwargs)

