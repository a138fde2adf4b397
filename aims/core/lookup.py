"""Fetching one row from an already scoped queryset without leaking why it is absent."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def get_scoped(qs: QuerySet[M], pk: uuid.UUID | str | None) -> M | None:
    """The row with `pk` in `qs`, or None for a missing, malformed or foreign id alike."""
    try:
        return qs.filter(pk=pk).first()
    except (DjangoValidationError, ValueError, TypeError):
        return None
