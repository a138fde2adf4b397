"""Sign-in throttling (django-axes): which account an attempt was for, and lifting a lock."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest


def attempted_email(request: HttpRequest | None, credentials: dict | None) -> str:
    """The account a sign-in attempt names, lower-cased, whichever form sent it.

    allauth passes `email`, the admin site and ModelBackend `username`; without credentials
    (the lockout check before the view runs) the posted form is read."""
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in ("email", "username", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return ""


def lock_reset(*, email: str | None = None, ip_address: str | None = None) -> int:
    """Clear the failures recorded for an account and/or an address; returns how many."""
    if not email and not ip_address:
        return AxesProxyHandler.reset_attempts()
    count = 0
    if email:
        count += AxesProxyHandler.reset_attempts(username=email.strip().lower())
    if ip_address:
        count += AxesProxyHandler.reset_attempts(ip_address=ip_address)
    return count
