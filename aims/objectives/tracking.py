"""How far an objective has come: the arithmetic behind progress and the next due date.

Whether an objective is on track, and whether a measurement is overdue, are decided in the
database (aims.objectives.selectors) so lists can be filtered and paged by them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from aims.objectives.models import Direction, allowed_gap


def progress(*, baseline: Decimal | None, target: Decimal, direction: str,
             latest: Decimal | None) -> int | None:
    """Percent of the way from the baseline to the target (0–100), or None when it cannot be
    told: no baseline, no measurement, or a baseline that already met the target."""
    if baseline is None or latest is None:
        return None
    gap = target - baseline
    if direction == Direction.LOWER:
        gap = -gap
    if gap <= 0:
        return None
    moved = latest - baseline
    if direction == Direction.LOWER:
        moved = -moved
    share = moved / gap * 100
    return int(max(Decimal(0), min(Decimal(100), share)))


def next_due(*, frequency: str, latest_on: datetime.date | None) -> datetime.date | None:
    """The last day the next measurement may be recorded without being overdue."""
    if latest_on is None:
        return None
    return latest_on + allowed_gap(frequency)


def overdue_cutoff(*, frequency: str, today: datetime.date) -> datetime.date:
    """A latest measurement dated before this day is overdue (the same sum as next_due)."""
    return today - allowed_gap(frequency)
