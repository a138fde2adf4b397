"""A request id on every request and every log line written while answering it.

A caller (or the reverse proxy) may send `X-Request-ID`; a sane one is kept, anything else is
replaced by a fresh id. The response carries it back, and `RequestIdFilter` puts it on every
log record, so one id finds a request's lines across proxy, app server and log store.
"""

from __future__ import annotations

import contextvars
import re
import uuid

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("aims_request_id", default="")
HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from(value: str | None) -> str:
    """The caller's id when it is short and plain, else a new one."""
    if value and _SANE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Reads X-Request-ID (or makes one) and sends it back on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_from(request.headers.get(HEADER))
        request.request_id = rid
        token = REQUEST_ID.set(rid)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response[HEADER] = rid
        return response
