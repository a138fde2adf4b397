"""Serious incidents under the EU AI Act (Art. 73): which kinds there are and how many days
the organisation has to report one, counted from the moment it became aware of it.

The periods are the Regulation's outer limits; it asks for a report at once when the link
between the system and the incident is established, so the deadline is the latest date, not
a target."""

from __future__ import annotations

import datetime
import math

from django.db import models
from django.utils import timezone


class SeriousKind(models.TextChoices):
    WIDESPREAD = ("widespread", "Widespread infringement or serious, irreversible disruption "
                                "of critical infrastructure")
    DEATH = "death", "Death of a person"
    OTHER = ("other", "Other serious incident (serious harm to health, to property or the "
                      "environment, or a breach of fundamental rights obligations)")


# Days from awareness to the latest report, per kind (Art. 73(2)–(4)).
REPORT_DAYS: dict[str, int] = {
    SeriousKind.WIDESPREAD: 2,
    SeriousKind.DEATH: 10,
    SeriousKind.OTHER: 15,
}

DEFAULT_AUTHORITY = "Market surveillance authority of the Member State where it occurred"


def report_deadline(kind: str, aware_at: datetime.datetime) -> datetime.datetime:
    """The latest moment the report may reach the authority."""
    return aware_at + datetime.timedelta(days=REPORT_DAYS[kind])


def days_left(deadline: datetime.datetime, now: datetime.datetime | None = None) -> int:
    """Whole days left until `deadline`, part of a day counting as a day; once it has passed,
    minus the whole days overdue (at least one)."""
    seconds = (deadline - (now or timezone.now())).total_seconds()
    return math.ceil(seconds / 86400) if seconds >= 0 else -max(1, math.floor(-seconds / 86400))
