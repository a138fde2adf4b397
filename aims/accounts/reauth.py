"""Asking for the password again before a sensitive action (allauth's re-authentication)."""

from __future__ import annotations

from allauth.account.internal.flows.reauthentication import (
    is_reauthentication_required,
    raise_if_reauthentication_required,
)
from django.http import HttpRequest
from django.urls import reverse

from aims.core.errors import PermissionDenied


def require_recent_authentication(request: HttpRequest) -> None:
    """Unless the person confirmed their password (or a code) in the last few minutes, send them
    to do so; allauth keeps the submitted form and completes it once they have."""
    raise_if_reauthentication_required(request, app="")


def require_recent_authentication_api(request: HttpRequest) -> None:
    """The same check for the API called with the browser's session: it cannot show the page,
    so it refuses (403) and names the page where the password is confirmed."""
    if is_reauthentication_required(request, app=""):
        raise PermissionDenied(
            "Confirm your password first: open "
            f"{request.build_absolute_uri(reverse('account_reauthenticate'))} in this browser, "
            "then send the request again within five minutes.")
