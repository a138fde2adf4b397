"""Users and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aims.accounts.models import ApiToken, User
from aims.core.errors import NotFound, ValidationError

TOKEN_PREFIX = "aims_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_create(*, email: str, password: str | None, full_name: str = "",
                check_password: bool = True) -> User:
    """Create a user; the e-mail must be valid and unused, the password acceptable."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ValidationError({"email": ["Enter a valid e-mail address."]}) from exc
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": [f"A user with e-mail {email} already exists."]})
    if password and check_password:
        try:
            validate_password(password)
        except DjangoValidationError as exc:
            raise ValidationError({"password": list(exc.messages)}) from exc
    return User.objects.create_user(email=email, password=password or None, full_name=full_name)


def user_get_by_email(*, email: str) -> User:
    """The user with this e-mail, or NotFound."""
    user = User.objects.filter(email=(email or "").strip().lower()).first()
    if user is None:
        raise NotFound(f"No user with e-mail {email}.")
    return user


@transaction.atomic
def token_create(*, user: User, name: str = "",
                 expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns the row and the secret, which is never stored."""
    name = (name or "").strip() or f"Token {timezone.now():%Y-%m-%d %H:%M}"
    if len(name) > 100:
        raise ValidationError({"name": ["Use at most 100 characters."]})
    if expires_in_days is not None and not 1 <= expires_in_days <= 3660:
        raise ValidationError({"expires_in_days": ["Choose between 1 and 3660 days."]})
    expires_at = (timezone.now() + timedelta(days=expires_in_days)) if expires_in_days else None
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], token_hash=_hash(raw),
                                    expires_at=expires_at)
    return token, raw


def token_list(*, user: User):
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def token_revoke(*, user: User, token_id: uuid.UUID | str) -> ApiToken:
    """Revoke one of the user's own tokens (NotFound for anybody else's). The command line
    passes the id as typed."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("Token not found.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str) -> User | None:
    """The active user owning this live token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now),
                token_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Write last-use at most once a minute, not on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
