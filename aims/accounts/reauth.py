"""Asking for the password again before a sensitive action (allauth's re-authentication)."""

from __future__ import annotations

from allauth.account.internal.flows.reauthentication import (
    raise_if_reauthentication_required,
)
from django.http import HttpRequest


def require_recent_authentication(request: HttpRequest) -> None:
    """Unless the person confirmed their password (or a code) in the last few minutes, send them
    to do so; allauth keeps the submitted form and completes it once they have."""
    raise_if_reauthentication_required(request, app="")
