"""Records made once for many tests: a transaction held open across them and rolled back after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def held_transaction(blocker: Any) -> Iterator[None]:
    """A transaction opened now and rolled back when the block ends (or fails), whatever ran
    in it. Tests that run inside the block with pytest-django's `db` each get a savepoint within
    it, rolled back after them, so each starts from what the block made. `blocker`: pytest's
    django_db_blocker (the database is opened only to begin and to roll back; making the
    records needs `blocker.unblock()` of its own)."""
    with blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
