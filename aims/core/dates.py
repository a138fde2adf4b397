"""Calendar arithmetic the record's date rules share."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int, anchor_day: int | None = None) -> datetime.date:
    """`day` moved by whole months (back for a negative number), on `anchor_day` (default:
    the same day of the month), clamped to the month's end: 31 Jan + 1 month = 28/29 Feb; with
    anchor 31, 29 Feb + 1 month = 31 Mar, so a month-end series does not drift to the 28th."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month,
                         min(anchor_day or day.day, calendar.monthrange(year, month)[1]))
