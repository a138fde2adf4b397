"""The implementation plan as a spreadsheet: one row per step, phase by phase."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from aims.core.tables import FORMATS, Column, render
from aims.orgs.context import Ctx
from aims.readiness.models import Plan
from aims.readiness.rules.base import PHASE_TITLES, Phase

COLUMNS = [
    Column("Phase", 22), Column("Task", 10), Column("Step", 60, wrap=True), Column("Rule", 24),
    Column("Owner (e-mail)", 28), Column("Due", 12), Column("Status", 14),
    Column("Resolved", 18), Column("Link", 50),
]
PHASE_ORDER = {p.value: i for i, p in enumerate(Phase)}


def plan_rows(*, ctx: Ctx, plan: Plan) -> list[list]:
    """The plan's steps in COLUMNS order, by phase and then by due date."""
    steps = sorted(plan.steps.all(), key=lambda s: (
        PHASE_ORDER.get(s.phase, len(PHASE_ORDER)),
        (s.task.due_date.isoformat() if s.task and s.task.due_date else "9999"),
        s.task.number if s.task else 0))
    rows = []
    for s in steps:
        t = s.task
        rows.append([
            PHASE_TITLES.get(s.phase, s.phase), t.ref if t else "",
            t.title if t else "(task deleted)", s.rule,
            t.owner.email if t and t.owner is not None else "",
            t.due_date.isoformat() if t and t.due_date else "",
            t.get_status_display() if t else "",
            timezone.localtime(s.resolved_at).strftime("%Y-%m-%d %H:%M") if s.resolved_at
            else "",
            reverse("tasks:detail", args=[ctx.org.slug, t.pk]) if t else "",
        ])
    return rows


def plan_export(*, ctx: Ctx, plan: Plan | None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the plan as XLSX (the column titles alone
    before the plan is first generated)."""
    to = f" to {plan.target_date:%Y-%m-%d}" if plan else " (not generated yet)"
    content = render("xlsx", COLUMNS, plan_rows(ctx=ctx, plan=plan) if plan else [],
                     sheet="Implementation plan",
                     title=f"{ctx.org.name} — ISO/IEC 42001 implementation plan{to}")
    name = f"{ctx.org.slug}-implementation-plan-{timezone.localdate():%Y%m%d}.xlsx"
    return content, FORMATS["xlsx"], name
