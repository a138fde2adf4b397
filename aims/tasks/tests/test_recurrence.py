"""When the next occurrence falls due: month ends, leap years, days and weeks."""

from __future__ import annotations

import datetime

import pytest

from aims.core.dates import add_months
from aims.tasks.recurrence import next_due

D = datetime.date


@pytest.mark.parametrize("day,months,anchor,expected", [
    (D(2025, 1, 31), 1, None, D(2025, 2, 28)),
    (D(2024, 1, 31), 1, None, D(2024, 2, 29)),  # leap year
    (D(2024, 2, 29), 12, None, D(2025, 2, 28)),
    (D(2025, 2, 28), 12, 29, D(2026, 2, 28)),
    (D(2027, 2, 28), 12, 29, D(2028, 2, 29)),  # back to the 29th in the next leap year
    (D(2025, 2, 28), 1, 31, D(2025, 3, 31)),  # a month-end series stays at the month end
    (D(2025, 3, 31), 1, 31, D(2025, 4, 30)),
    (D(2025, 11, 30), 3, 30, D(2026, 2, 28)),  # across the year end
    (D(2025, 10, 15), 3, None, D(2026, 1, 15)),
    (D(2025, 1, 15), 24, None, D(2027, 1, 15)),
])
def test_add_months(day, months, anchor, expected):
    assert add_months(day, months, anchor) == expected


def test_days_and_weeks():
    assert next_due(D(2024, 2, 28), 1, "days") == D(2024, 2, 29)
    assert next_due(D(2025, 12, 29), 1, "weeks") == D(2026, 1, 5)
    assert next_due(D(2025, 1, 1), 365, "days") == D(2026, 1, 1)


def test_monthly_series_does_not_drift():
    due, seen = D(2024, 1, 31), []
    for _ in range(4):
        due = next_due(due, 1, "months", anchor_day=31)
        seen.append(due)
    assert seen == [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]


def test_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError):
        next_due(D(2025, 1, 1), 1, "fortnights")
