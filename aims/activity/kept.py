"""Reads worked out from an organisation's whole record, kept for reuse until the record
changes.

Every write to an organisation's record is logged in the write's own transaction, so the
head of its activity log (sequence number and seal) names the state of the record. A read
kept under that head, the organisation and the caller's key (which names the day, and the
member where the read depends on who asks) is given again for as long as nothing is
written: one query, for the head, instead of the read's. A process keeps at most
AIMS_KEPT_READS of them, the least recently used going first; 0 keeps none (the test
settings, whose fixtures write records without logging them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

from aims.activity.selectors import log_head
from aims.orgs.context import Ctx

T = TypeVar("T")


class Kept:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reads: OrderedDict[tuple, Any] = OrderedDict()

    def get(self, key: tuple) -> Any:
        with self.lock:
            found = self.reads.get(key)
            if found is not None:
                self.reads.move_to_end(key)
            return found

    def put(self, key: tuple, value: Any, size: int) -> None:
        with self.lock:
            self.reads[key] = value
            while len(self.reads) > size:
                self.reads.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.reads.clear()


KEPT = Kept()


def kept_read(*, ctx: Ctx, key: tuple[Hashable, ...], read: Callable[[], T]) -> T:
    """read(), or what it gave before for `key` in ctx.org while its record was the same.
    The caller checks access first: what is kept is given to whoever asks with the key."""
    size = settings.AIMS_KEPT_READS
    if not size:
        return read()
    full = (ctx.org.pk, log_head(ctx=ctx), *key)
    value = KEPT.get(full)
    if value is None:
        value = read()
        KEPT.put(full, value, size)
    return value
