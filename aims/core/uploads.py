"""How large a request may be, by route, decided from its Content-Length before it is read.

Only the routes marked with `accepts_upload` take files; every other request is bounded by
Django's DATA_UPLOAD_MAX_MEMORY_SIZE (form fields and JSON bodies). A request announcing more
is answered 413 by `RequestSizeLimitMiddleware` before a byte of its body is read, so a few
huge requests cannot hold every worker. The body Django reads is never longer than the
Content-Length (a request without one is read as empty), so the announced size is a bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

MB = 1024 * 1024
# Room for multipart boundaries and part headers beside the file and the fields.
ENVELOPE = 64 * 1024

V = TypeVar("V", bound=Callable[..., Any])


def accepts_upload(view: V) -> V:
    """Mark a web view or an API operation as taking a file: its requests may be as large as
    the largest upload (AIMS_EVIDENCE_MAX_MB) plus its form fields."""
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view


def _operations(view: Callable[..., Any]) -> list[Any]:
    # A django-ninja URL resolves to one view per path that dispatches to the path's
    # operations (GET and POST of the same path share it); that view closes over them.
    for cell in getattr(view, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if isinstance(operations, list):
            return operations
    return []


def _accepts_upload(view: Callable[..., Any]) -> bool:
    return getattr(view, "accepts_upload", False) or any(
        getattr(op.view_func, "accepts_upload", False) for op in _operations(view))


def fields_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


def upload_request_limit() -> int:
    """The largest request that may carry an acceptable file plus its form fields."""
    return settings.AIMS_EVIDENCE_MAX_MB * MB + fields_limit() + ENVELOPE


def request_limit_for(match: Any) -> int:
    """The largest body the resolved route (a ResolverMatch, or None) takes."""
    if match is not None and _accepts_upload(match.func):
        return upload_request_limit()
    return fields_limit() + ENVELOPE


def too_large_message(length: int, limit: int) -> str:
    def mb(n: int) -> str:
        return f"{n / MB:.1f} MB"

    return (f"The request is {mb(length)}; this address takes at most {mb(limit)} "
            f"(files up to {settings.AIMS_EVIDENCE_MAX_MB} MB, the AIMS_EVIDENCE_MAX_MB "
            f"setting). Nothing was read or saved.")
