"""The idle limit of a signed-in session (AIMS_SESSION_IDLE_MINUTES), renewed by use.

Each request pushes the end of its session back, but the session is written at most once per
AIMS_SESSION_RENEW_SECONDS: a page or API call that finds it renewed less than that long ago
writes nothing (on SQLite a write takes the database's write lock, which every signed-in read
would otherwise queue for). So a session ends between the limit and the limit plus that
interval after the last request (59–60 minutes of idleness with the defaults).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Where in the session the time of its last renewal is kept (seconds since the epoch).
RENEWED_KEY = "aims_renewed_at"


def session_renew_if_due(session) -> bool:
    """Mark a session that exists for saving (which renews its expiry) when its last renewal
    is AIMS_SESSION_RENEW_SECONDS old or more; returns whether it was."""
    renewed = session.get(RENEWED_KEY, 0)  # reads the session (once per request at most)
    if session.session_key is None:  # none, or its cookie names one that has ended
        return False
    now = time.time()
    if now - renewed < settings.AIMS_SESSION_RENEW_SECONDS:
        return False
    session[RENEWED_KEY] = int(now)
    return True


class SessionRenewalMiddleware:
    """After SessionMiddleware: renews the request's session when due (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None:
            session_renew_if_due(session)
        return response
