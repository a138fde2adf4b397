"""Domain errors raised by services; the API and the views map each to one response."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Bad input: 422 with a message per field naming the rule that failed."""

    status = 422

    def __init__(self, errors: dict[str, list[str]] | str, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "__all__": [errors]}
        self.errors = errors
        super().__init__(
            "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                      for k, v in errors.items())
        )

    @classmethod
    def from_django(cls, exc: Any) -> ValidationError:
        if hasattr(exc, "error_dict"):
            return cls({k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()})
        return cls({"__all__": [str(m) for m in exc.messages]})


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The write was based on a stale version; carries the record as it is now."""

    status = 409

    def __init__(self, message: str, current: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.current = current or {}
