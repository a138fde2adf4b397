"""When the next occurrence of a recurring task falls due."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def next_due(due: datetime.date, every: int, unit: str) -> datetime.date:
    if unit == "days":
        return due + datetime.timedelta(days=every)
    if unit == "weeks":
        return due + datetime.timedelta(weeks=every)
    if unit == "months":
        return add_months(due, every)
    raise ValueError(f"unknown recurrence unit {unit!r}")
