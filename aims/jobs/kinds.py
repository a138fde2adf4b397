"""The kinds of background job, declared by the apps that do the work.

An app lists its kinds in its `records.py` as `JOBS = [JobKind(...)]`; a kind's `run` gets a
`JobRun`: the context of whoever started it (permissions are checked again when it runs), the
cleaned parameters, a `progress()` to report how far it is, and `out`, a temporary file to
write the result into. Only when `run` returns is the file stored and the job marked done, so
a job that fails or whose worker dies leaves no result behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Any

from aims.core.errors import ValidationError
from aims.orgs.context import Ctx
from aims.records.declarations import declarations


@dataclass
class JobRun:
    ctx: Ctx
    params: dict[str, Any]
    out: IO[bytes]
    report: Callable[[int, int | None, str], None]
    result_name: str = ""
    result_type: str = ""

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """How far the work is (`done` of `total` units) and what it is doing, in words."""
        self.report(done, total, message)

    def result(self, name: str, content_type: str) -> None:
        """Name the file written to `out`; a job that never calls this has no file."""
        self.result_name, self.result_type = name, content_type


@dataclass(frozen=True)
class JobKind:
    key: str  # "activity.csv"
    label: str  # "Activity log (CSV)"
    perm: str  # the permission needed to start it and to see it
    run: Callable[[JobRun], None]
    clean: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda p: {})
    every: str = ""  # "day": started by the workers once a day for every organisation
    max_attempts: int = 2


@cache
def kinds() -> dict[str, JobKind]:
    """Every declared kind by key, in INSTALLED_APPS order."""
    found: dict[str, JobKind] = {}
    for module in declarations():
        for kind in getattr(module, "JOBS", ()):
            found[kind.key] = kind
    return found


def kind_get(key: str) -> JobKind:
    try:
        return kinds()[key]
    except KeyError:
        raise ValidationError(f"Unknown job kind {key!r}; one of: {', '.join(sorted(kinds()))}.",
                              field="kind") from None
