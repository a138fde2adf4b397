"""Reads about the signed-in person: what their profile page shows."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Q
from django.utils import timezone

from aims.accounts.models import ApiToken, User


@dataclass(frozen=True)
class Profile:
    user: User
    mfa_types: tuple[str, ...]  # "totp", "recovery_codes", …
    sessions: int
    active_tokens: int

    @property
    def mfa_enabled(self) -> bool:
        return any(t in self.mfa_types for t in MFA_METHODS)


MFA_METHODS = ("totp", "webauthn")


def user_has_mfa(*, user: User) -> bool:
    """Whether the user signs in with a second factor (an authenticator app or a passkey)."""
    return Authenticator.objects.filter(user=user, type__in=MFA_METHODS).exists()


def profile_get(*, user: User) -> Profile:
    """The user's sign-in methods, open sessions and live tokens, in three queries."""
    now = timezone.now()
    return Profile(
        user=user,
        mfa_types=tuple(sorted(Authenticator.objects.filter(user=user)
                               .values_list("type", flat=True))),
        sessions=UserSession.objects.filter(user=user).count(),
        active_tokens=ApiToken.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now), user=user,
            revoked_at__isnull=True).count(),
    )
