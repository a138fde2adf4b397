"""The coverage verdict: how far the ISO/IEC 42001 record evidences one requirement of another
framework, through the crosswalk rows that map to it.

The rules, in order (each is tested in tests/test_coverage.py):

1. An ISO/IEC 42001 item is *met* when it is not excluded, its status is "implemented" and at
   least one piece of evidence is linked to it. It is *underway* when it is not excluded and
   either has some status beyond "not started" or has evidence. Otherwise (excluded, or not
   started without evidence) it counts for nothing.
2. A crosswalk row whose coverage is "none" (the crosswalk says there is no counterpart)
   counts for nothing.
3. A row is *strong* when its coverage is "equivalent" or "substantial"; "partial",
   "related" and "weak" rows are not.
4. **covered**: the requirement has at least one strong row, and the item of every strong row
   is met. Weak, related or partial rows never make a requirement covered, however many there
   are and however well their items are met.
5. **partial**: not covered, but at least one counting row's item is met or underway.
6. **gap**: everything else — no crosswalk row, only "none" rows, or no mapped item started.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

COVERED, PARTIAL, GAP = "covered", "partial", "gap"
VERDICTS = (COVERED, PARTIAL, GAP)
VERDICT_LABELS = {COVERED: "Covered", PARTIAL: "Partial", GAP: "Gap"}
STRONG = frozenset({"equivalent", "substantial"})
NOTHING = "none"

MET, UNDERWAY, NOT_STARTED = "met", "underway", "not_started"


class Item(Protocol):
    @property
    def applicable(self) -> bool | None: ...
    @property
    def status(self) -> str: ...
    @property
    def evidence_count(self) -> int: ...


def item_standing(item: Item | None) -> str:
    """Rule 1: met, underway or not_started (an item missing from the record is not started)."""
    if item is None or item.applicable is False:
        return NOT_STARTED
    if item.status == "implemented" and item.evidence_count > 0:
        return MET
    if item.status != "not_started" or item.evidence_count > 0:
        return UNDERWAY
    return NOT_STARTED


@dataclass(frozen=True)
class Link:
    """One crosswalk row as the verdict reads it: its coverage and its item's standing."""

    coverage: str
    standing: str


def verdict(links: Iterable[Link]) -> tuple[str, str]:
    """(verdict, the reason in a sentence) for one target requirement (rules 2–6)."""
    counting = [k for k in links if k.coverage != NOTHING]
    if not counting:
        return GAP, "No ISO/IEC 42001 item maps to it."
    strong = [k for k in counting if k.coverage in STRONG]
    if strong and all(k.standing == MET for k in strong):
        return COVERED, "Every strongly mapped item is implemented with evidence."
    if any(k.standing in (MET, UNDERWAY) for k in counting):
        if not strong:
            return PARTIAL, ("Only partial, related or weak mappings: they never cover it on "
                             "their own.")
        return PARTIAL, "A strongly mapped item is not yet implemented with evidence."
    return GAP, "No mapped item is started."
