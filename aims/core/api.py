"""The shapes every API operation shares: its error answers, strict input, derived PATCH bodies.

Declared here once, not per route: every operation documents the errors it can answer with
(`ErrorOut`), every request body refuses fields it does not know (422), and a PATCH body is
its create body with every field optional plus the `version` the caller read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError
from ninja.operation import Operation
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.throttling import SimpleRateThrottle
from pydantic import ConfigDict, Field, create_model, field_validator
from pydantic.fields import FieldInfo

# The longest text a field without a bound of its own takes: far beyond any real description
# or policy, far below what would let one request fill the database.
MAX_TEXT = 100_000

# The errors an operation can answer with. A read: malformed input (400), no credentials
# (401), a role that may not (403), an unknown or foreign organisation or record (404), a
# query that breaks its rule (422), too many requests (429, with Retry-After). A write adds a
# stale version (409) and a body too large (413). A request line longer than the HTTP server
# reads (gunicorn: 4,094 bytes) is refused by the server itself, before aims sees it: 414 with
# the server's own short page, not an ErrorOut.
READ_ERRORS = (400, 401, 403, 404, 414, 422, 429)
WRITE_ERRORS = (*READ_ERRORS, 409, 413)
SERVER_REFUSALS = (414,)


class SessionAuth(NinjaSessionAuth):
    """A signed-in browser session, with the CSRF token on writes: the last door an operation
    tries. A request that carries an `Authorization` header is judged by that credential alone,
    so one the doors before did not accept (unknown, revoked, expired, another scheme, or a
    token on a session-only operation) is answered 401, not with a CSRF refusal. Without a
    signed-in session there is nothing a forged request could ride on: 401 as well."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            raise AuthenticationError(message="The credential in the Authorization header is "
                                              "unknown, revoked or expired, or this operation "
                                              "does not take it.")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


class ErrorOut(Schema):
    """What every refusal answers: a sentence for people; for bad input the failing rule per
    field (`errors`, or pydantic's `detail` list naming each field's location); for a stale
    version the record as it is now (`current`)."""

    detail: str | list[dict[str, Any]]
    errors: dict[str, list[str]] | None = None
    current: dict[str, Any] | None = None


def with_errors(response: Any, methods: list[str]) -> dict[int, Any]:
    """`response` (a schema, or {status: schema}) with the error answers the operation can
    give, each documented with ErrorOut unless the operation says otherwise."""
    if response is NOT_SET:
        raise TypeError("declare the response of every operation")
    declared = response if isinstance(response, dict) else {200: response}
    codes = WRITE_ERRORS if set(methods) - {"GET"} else READ_ERRORS
    bodies = {code: None if code in SERVER_REFUSALS else ErrorOut for code in codes}
    return {**bodies, **declared}


# django-ninja wraps the schema of every status an operation declares in a model of its own
# (`Operation._create_response_model`), built anew per status and per operation: with the
# error answers above that is about 2,600 pydantic models, most of the time it takes to import
# the API, which every process pays when it starts (app servers, workers, each `aims` command
# that runs Django's checks). The wrapper depends only on the schema it wraps, so one per
# schema serves every operation; a schema that cannot be a dictionary key gets its own, as before.
_ninja_response_model = Operation._create_response_model
_response_models: dict[Any, Any] = {}


def _shared_response_model(self: Operation, response_param: Any) -> Any:
    try:
        return _response_models[response_param]
    except KeyError:
        model = _response_models[response_param] = _ninja_response_model(self, response_param)
        return model
    except TypeError:  # unhashable
        return _ninja_response_model(self, response_param)


Operation._create_response_model = _shared_response_model  # type: ignore[method-assign]


class AimsRouter(Router):
    """A router whose every operation declares its error answers (see `with_errors`)."""

    def api_operation(self, methods: list[str], path: str, *, response: Any = NOT_SET,
                      **kwargs: Any) -> Any:
        return super().api_operation(methods, path, response=with_errors(response, methods),
                                     **kwargs)


class InSchema(Schema):
    """A request body: unknown fields are refused, not silently dropped, and text without a
    bound of its own is bounded by MAX_TEXT."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _bounded_text(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise ValueError(f"At most {MAX_TEXT} characters.")
        return value


VERSION_FIELD = Field(description="The version you read; a stale one gets 409 with the "
                                  "current values.")


class VersionIn(InSchema):
    """The body of an action on a record as it was read (submit, accept, hold…)."""

    version: int = VERSION_FIELD


class PatchSchema(InSchema):
    """A PATCH body: the fields to change, and the version they were read at."""

    version: int = VERSION_FIELD
    # Fields a PATCH sends to the service as flags beside the changes (not record fields).
    options: ClassVar[tuple[str, ...]] = ()

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments: `data` (the fields sent) and `version`."""
        data = self.dict(exclude_unset=True)
        version = data.pop("version")
        return {"data": data, "version": version}


def patch_of(schema: type[Schema], *, exclude: tuple[str, ...] = ()
             ) -> Callable[[type[PatchSchema]], type[PatchSchema]]:
    """Declare the PATCH body of `schema` as a class decorated with this: the `version` the
    caller read, each field of `schema` (bar `exclude`) optional with the same rules, and the
    fields the class declares itself (flags the service takes beside the changes).

    The decorated class only declares: its name and own fields go into the model built here,
    which takes its place. It is a class statement so that type checkers know the name as a
    type, which a model made by a function call is not."""

    def build(declared: type[PatchSchema]) -> type[PatchSchema]:
        fields: dict[str, Any] = {}
        for field_name, info in schema.model_fields.items():
            if field_name in exclude:
                continue
            optional = FieldInfo.merge_field_infos(info, default=None)
            optional.default_factory = None
            annotation: Any = info.annotation  # never None on a model's field
            fields[field_name] = (annotation | None, optional)
        fields.update({field_name: (info.annotation, info)
                       for field_name, info in declared.model_fields.items()
                       if field_name not in PatchSchema.model_fields})
        name = declared.__name__
        return create_model(name, __base__=PatchSchema, __module__=declared.__module__,
                            __doc__=f"Changes to {name.removesuffix('Patch')}: the fields to "
                                    f"change and the version you read.", **fields)

    return build


class ApiRateThrottle(SimpleRateThrottle):
    """The API's rate limit (AIMS_API_RATE, e.g. "600/m"; unset or empty: none): counted per
    API token for bearer calls, per client address for session and anonymous calls, in the
    default cache (shared by every app server only when the cache is: see AIMS_CACHE_*)."""

    scope = "api"

    def __init__(self) -> None:  # the rate is read per request, so a setting change applies
        self.rate, self.num_requests, self.duration = None, None, None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "AIMS_API_RATE", None) or None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credential.strip():
            # The token itself, hashed: each token has its own allowance.
            ident = "token-" + hashlib.sha256(credential.strip().encode()).hexdigest()
        else:
            ident = "address-" + str(self.get_ident(request))
        return self.cache_format % {"scope": self.scope, "ident": ident}
