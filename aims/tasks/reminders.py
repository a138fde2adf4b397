"""The reminder digest: each member, once a day per organisation, is told by e-mail what of
theirs is overdue or falls due soon (tasks and risk treatment actions)."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aims.accounts.models import User
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.orgs.selectors import member_list
from aims.risks.selectors import actions_due
from aims.tasks.models import OPEN_STATUSES, ReminderLog, Task

log = logging.getLogger(__name__)


@dataclass
class Line:
    """One item of a digest."""

    ref: str
    title: str
    due: datetime.date
    url: str
    what: str  # "Task · Evidence request", "Treatment action of R-004 …"
    overdue: bool


@dataclass
class Digest:
    """What one member is reminded of in one organisation."""

    user: User
    overdue: list[Line] = field(default_factory=list)
    soon: list[Line] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.soon)


@dataclass
class Run:
    """What a reminder run did for one organisation."""

    org: Organization
    sent: list[Digest] = field(default_factory=list)
    already: list[Digest] = field(default_factory=list)  # reminded earlier today
    failed: list[tuple[Digest, str]] = field(default_factory=list)


def reminder_orgs(*, slug: str | None = None) -> list[Organization]:
    """The organisations a run covers: one by slug, or all of them."""
    qs = Organization.objects.order_by("slug")
    return list(qs.filter(slug=slug) if slug else qs)


def digests(*, ctx: Ctx, today: datetime.date, days: int, base_url: str) -> list[Digest]:
    """Per current member, their open tasks and unfinished treatment actions overdue or due
    within `days` of `today`; members with nothing due are left out. Three queries."""
    until = today + datetime.timedelta(days=days)
    slug, base = ctx.org.slug, base_url.rstrip("/")
    members = {m.user_id: m.user for m in member_list(ctx=ctx) if m.user.is_active}
    lines: dict[object, list[Line]] = defaultdict(list)
    tasks = (Task.objects.for_org(ctx.org)
             .filter(owner__isnull=False, status__in=OPEN_STATUSES, due_date__lte=until)
             .order_by("due_date", "number"))
    for t in tasks:
        if t.due_date is None:  # excluded by due_date__lte; tells the type checker
            continue
        lines[t.owner_id].append(Line(
            ref=t.ref, title=t.title, due=t.due_date, overdue=t.due_date < today,
            what=t.get_kind_display(),
            url=base + reverse("tasks:detail", kwargs={"slug": slug, "task_id": t.pk})))
    for a in actions_due(ctx=ctx, until=until):
        if a.due_date is None:  # excluded by due_date__lte
            continue
        lines[a.owner_id].append(Line(
            ref=a.risk.ref, title=a.title, due=a.due_date, overdue=a.due_date < today,
            what=f"Treatment action for {a.risk.ref} {a.risk.title}",
            url=base + reverse("risks:detail", kwargs={"slug": slug, "risk_id": a.risk_id})
            + "?tab=actions"))
    out = []
    for user_id, user in members.items():
        mine = sorted(lines.get(user_id, []), key=lambda x: (x.due, x.ref))
        if mine:
            out.append(Digest(user=user, overdue=[x for x in mine if x.overdue],
                              soon=[x for x in mine if not x.overdue]))
    return out


def _message(ctx: Ctx, digest: Digest, *, base_url: str, days: int, connection):
    context = {"org": ctx.org, "digest": digest, "days": days, "user": digest.user,
               "mine_url": base_url.rstrip("/") + reverse("tasks:mine",
                                                          kwargs={"slug": ctx.org.slug})}
    parts = []
    if digest.overdue:
        parts.append(f"{len(digest.overdue)} overdue")
    if digest.soon:
        parts.append(f"{len(digest.soon)} due within {days} days")
    message = EmailMultiAlternatives(
        subject=f"[{ctx.org.name}] Your AIMS work: {', '.join(parts)}",
        body=render_to_string("tasks/email/digest.txt", context),
        to=[digest.user.email], connection=connection)
    message.attach_alternative(render_to_string("tasks/email/digest.html", context), "text/html")
    return message


def reminders_send(*, ctx: Ctx, days: int = 7, base_url: str, dry_run: bool = False,
                   today: datetime.date | None = None) -> Run:
    """Send each member of ctx.org their digest, at most once a day (a ReminderLog row per
    member and day); `dry_run` only says who would get what. A failed delivery is reported
    and not logged, so the next run tries again."""
    ctx.require("org.manage")
    if not 0 <= days <= 365:
        raise ValueError("days must be between 0 and 365")
    today = today or timezone.localdate()
    run = Run(org=ctx.org)
    found = digests(ctx=ctx, today=today, days=days, base_url=base_url)
    done = set(ReminderLog.objects.for_org(ctx.org).filter(sent_on=today)
               .values_list("user_id", flat=True))
    connection = None if dry_run else get_connection()
    for digest in found:
        if digest.user.pk in done:
            run.already.append(digest)
            continue
        if dry_run:
            run.sent.append(digest)
            continue
        try:  # claim the day first, so two runs at once cannot both send
            with transaction.atomic():
                entry = ReminderLog.all_orgs.create(org=ctx.org, user=digest.user,
                                                    sent_on=today, items=digest.count)
        except IntegrityError:
            run.already.append(digest)
            continue
        try:
            _message(ctx, digest, base_url=base_url, days=days, connection=connection).send()
        except OSError as exc:  # smtplib errors are OSErrors
            log.warning("reminder to %s failed: %s", digest.user.email, exc)
            entry.delete()
            run.failed.append((digest, str(exc)))
            continue
        run.sent.append(digest)
    return run
