"""When the next occurrence of a recurring task falls due."""

from __future__ import annotations

import datetime

from aims.core.dates import add_months


def next_due(due: datetime.date, every: int, unit: str,
             anchor_day: int | None = None) -> datetime.date:
    """The due date one interval after `due` (the schedule runs from due dates, not from when
    the work was actually done)."""
    if unit == "days":
        return due + datetime.timedelta(days=every)
    if unit == "weeks":
        return due + datetime.timedelta(weeks=every)
    if unit == "months":
        return add_months(due, every, anchor_day)
    raise ValueError(f"unknown recurrence unit {unit!r}")
