"""A member's due dates as an iCalendar feed: their open tasks and risk treatment actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from aims.orgs.context import Ctx
from aims.risks.selectors import actions_for_user
from aims.tasks.selectors import feed_tasks

# iCalendar priorities run 1 (highest) to 9 (lowest).
PRIORITY = {"urgent": 1, "high": 3, "normal": 5, "low": 9}
DAY = datetime.timedelta(days=1)


def _event(*, uid: str, summary: str, due: datetime.date, url: str, description: str,
           stamp: datetime.datetime, priority: int | None = None) -> Event:
    """An all-day event on the due date: calendar apps show events from a subscribed feed
    far more reliably than to-dos."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due)
    event.add("dtend", due + DAY)
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", f"{description}\n{url}".strip())
    event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    if priority is not None:
        event.add("priority", priority)
    return event


def feed_ics(*, ctx: Ctx, absolute: Callable[[str], str]) -> bytes:
    """The iCalendar text of the member's dated open work in ctx.org. `absolute` turns a
    path into a full URL. UIDs are stable, so calendar apps update entries in place."""
    slug = ctx.org.slug
    cal = Calendar()
    cal.add("prodid", "-//aims//AI management system tasks//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{ctx.org.name}: my AIMS tasks")
    cal.add("x-published-ttl", "PT1H")
    now = timezone.now()
    for task in feed_tasks(ctx=ctx):
        if task.due_date is None:  # feed_tasks has only dated ones
            continue
        url = absolute(reverse("tasks:detail", kwargs={"slug": slug, "task_id": task.pk}))
        cal.add_component(_event(
            uid=f"task-{task.pk}@aims", summary=f"{task.ref} {task.title}", due=task.due_date,
            url=url, stamp=task.updated_at or now, priority=PRIORITY.get(task.priority),
            description=f"{task.get_kind_display()} · {task.get_status_display()}"))
    for action in actions_for_user(ctx=ctx, user=ctx.user).filter(due_date__isnull=False):
        if action.due_date is None:
            continue
        url = absolute(reverse("risks:detail", kwargs={"slug": slug, "risk_id": action.risk_id})
                       + "?tab=actions")
        cal.add_component(_event(
            uid=f"risk-action-{action.pk}@aims", summary=f"{action.risk.ref} {action.title}",
            due=action.due_date, url=url, stamp=action.updated_at or now,
            description=f"Treatment action for {action.risk.ref} {action.risk.title} · "
                        f"{action.get_status_display()}"))
    return cal.to_ical()
