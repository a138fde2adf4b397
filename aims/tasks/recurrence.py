"""When the next occurrence of a recurring task falls due."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int, anchor_day: int | None = None) -> datetime.date:
    """`day` moved by whole months, on `anchor_day` (default: the same day of the month),
    clamped to the month's end: 31 Jan + 1 month = 28/29 Feb; with anchor 31, 29 Feb + 1
    month = 31 Mar, so a month-end series does not drift to the 28th."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month,
                         min(anchor_day or day.day, calendar.monthrange(year, month)[1]))


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
