"""The dashboard's tiles, ordered by urgency.

The rule: a tile is *urgent* when something is already late or grave (overdue tasks, reviews,
documents or corrective actions; expired evidence; open major nonconformities; high or critical
risks; a prohibited AI practice; no management review in twelve months), *to do* when there is
work that is not yet late (evidence expiring soon, open SoA decisions, systems without an impact
assessment, objectives off track, open nonconformities), and *calm* when it only reports where
things stand (counts of systems, applicable controls, the last review) or its count is zero.
Urgent tiles come first, then the to-do tiles, then the calm ones; within a group the tiles keep
the order they are declared in, which puts the graver and more specific ones first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

URGENT = "urgent"
TODO = "todo"
CALM = "calm"
RANK = {URGENT: 0, TODO: 1, CALM: 2}
STATE_LABEL = {URGENT: "Act now", TODO: "To do", CALM: ""}


@dataclass(frozen=True)
class Tile:
    value: str
    label: str
    url: str
    state: str = CALM
    note: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABEL[self.state]


def tile(value: int, label: str, url: str, *, when_any: str, note: str = "") -> Tile:
    """A count tile that is `when_any` (URGENT or TODO) when the count is above zero, calm at
    zero: nothing to act on."""
    return Tile(str(value), label, url, when_any if value else CALM, note)


def by_urgency(tiles: Iterable[Tile]) -> list[Tile]:
    """The tiles, urgent first, then to do, then calm; a stable sort keeps the declared order
    within each group."""
    return sorted(tiles, key=lambda t: RANK[t.state])
