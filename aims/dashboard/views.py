"""The dashboard: where the AIMS stands and what to do next, read from every domain's
selectors (a fixed number of queries, whatever the size of the record)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from aims.activity.kept import kept_read
from aims.activity.selectors import event_list
from aims.aiact.selectors import class_overview, obligation_overview
from aims.compliance.selectors import soa_summary
from aims.context.selectors import scope_current
from aims.core.wording import plural_of
from aims.dashboard.tiles import CALM, TODO, URGENT, Tile, by_urgency, tile
from aims.documents.selectors import DocumentFilters, document_list
from aims.evidence.selectors import evidence_stale_counts
from aims.impact.models import Status
from aims.impact.selectors import AssessmentFilters, assessment_list, systems_without_assessment
from aims.improvement.selectors import nonconformity_summary
from aims.inventory.selectors import AISystemFilters, ai_system_list, ai_system_stats
from aims.objectives.models import ObjectiveStatus, TrackStatus
from aims.objectives.selectors import ObjectiveFilters, objective_list
from aims.orgs.decorators import org_view
from aims.readiness import report
from aims.readiness.selectors import readiness_evaluate
from aims.reviews.selectors import latest_held
from aims.risks.selectors import risk_alerts
from aims.tasks.selectors import task_summary


@org_view
def dashboard(request):
    """Worked out again only once the record has changed, or the day (aims.activity.kept);
    what each member sees depends on their role and their own tasks."""
    ctx = request.ctx
    context = kept_read(ctx=ctx, key=("dashboard", ctx.user.pk, ctx.role, timezone.localdate()),
                        read=lambda: _context(ctx))
    return render(request, "dashboard/dashboard.html", context)


def _context(ctx) -> dict:
    unassessed = ai_system_list(ctx=ctx, filters=AISystemFilters(status="active",
                                                                 eu_risk_class="unassessed"))
    context = {
        "soa": soa_summary(ctx=ctx),
        "stats": ai_system_stats(ctx=ctx),
        "unassessed": list(unassessed[:10]),
        "scope": scope_current(ctx=ctx),
        "planning": _planning(ctx),
        "operation": _operation(ctx),
        "recent": list(event_list(ctx=ctx)[:8]),
        "readiness": _readiness(ctx),
        "aiact": {**class_overview(ctx=ctx),
                  **obligation_overview(ctx=ctx, today=timezone.localdate())},
    }
    context["tiles"] = _tiles(ctx, context)
    return context


def _readiness(ctx) -> dict:
    """The verdict, the score and the gravest findings, judged as of the next external audit
    when one is planned (today otherwise): one evaluation of the record."""
    day = report.judgement_day(ctx=ctx)
    evaluation = readiness_evaluate(ctx=ctx, as_of=day.as_of)
    return {"day": day, "evaluation": evaluation, "counts": report.counts(evaluation),
            "missing": report.missing_documented(evaluation),
            "top": report.shown(ctx=ctx, findings=report.top(evaluation))}


def _planning(ctx) -> dict:
    """Clause 6 at a glance: one count query each, whatever the size of the record."""
    risks = risk_alerts(ctx=ctx)
    return {
        "high_risks": risks.high,
        "reviews_overdue": risks.reviews_overdue,
        "without_assessment": systems_without_assessment(ctx=ctx).count(),
        "reassess": assessment_list(ctx=ctx, filters=AssessmentFilters(
            status=Status.NEEDS_REASSESSMENT)).count(),
        # Achieved or abandoned objectives are no longer pursued: not "off track".
        "off_track": objective_list(ctx=ctx, recent=False, filters=ObjectiveFilters(
            status=ObjectiveStatus.ACTIVE, track=TrackStatus.OFF_TRACK)).count(),
    }


def _operation(ctx) -> dict:
    """Clauses 7–10 at a glance: a fixed number of count queries, whatever the record's size."""
    ncs = nonconformity_summary(ctx=ctx)
    review = latest_held(ctx=ctx)
    return {
        "tasks": task_summary(ctx=ctx),
        "evidence": evidence_stale_counts(ctx=ctx),
        "documents_overdue": document_list(
            ctx=ctx, filters=DocumentFilters(review="overdue")).count(),
        "nc_open": sum(v for k, v in ncs.items()
                       if k not in ("closed", "with_overdue_actions", "major_open")),
        "nc_overdue": ncs["with_overdue_actions"],
        "nc_major": ncs["major_open"],
        "last_review": review,
        "review_overdue": review is None or (timezone.localdate() - review.meeting_date).days > 365,
    }


def _tiles(ctx, c: dict) -> list[Tile]:
    """The tiles of the dashboard, urgent ones first (the rule is in aims/dashboard/tiles.py)."""
    def url(name: str, query: str = "") -> str:
        return reverse(name, args=[ctx.org.slug]) + (f"?{query}" if query else "")

    def nc_noun(n: int) -> str:
        return plural_of(n, "nonconformity", "nonconformities")

    stats, soa, plan, op = c["stats"], c["soa"], c["planning"], c["operation"]
    tasks, evidence = op["tasks"], op["evidence"]
    review = op["last_review"]
    tiles = [
        tile(stats.prohibited, f"active AI {plural_of(stats.prohibited, 'system')} classed as a "
             "prohibited practice", url("inventory:list", "eu_risk_class=prohibited"),
             when_any=URGENT) if stats.prohibited else None,
        tile(op["nc_major"], f"open major {nc_noun(op['nc_major'])}",
             url("improvement:nc_list", "severity=major"), when_any=URGENT),
        tile(op["nc_overdue"], f"{nc_noun(op['nc_overdue'])} with overdue actions",
             url("improvement:nc_overdue"), when_any=URGENT),
        tile(tasks.overdue, f"{plural_of(tasks.overdue, 'task')} overdue",
             url("tasks:board", "overdue=on"), when_any=URGENT),
        tile(evidence.expired, "evidence expired", url("evidence:list", "freshness=expired"),
             when_any=URGENT),
        tile(plan["high_risks"], f"open {plural_of(plan['high_risks'], 'risk')} rated high or "
             "critical", url("risks:heatmap"), when_any=URGENT),
        tile(plan["reviews_overdue"], f"risk {plural_of(plan['reviews_overdue'], 'review')} "
             "overdue", url("risks:list", "status=open&overdue_review=on"), when_any=URGENT),
        tile(plan["reassess"], f"{plural_of(plan['reassess'], 'assessment')} to redo",
             url("impact:list", "status=needs_reassessment"), when_any=URGENT),
        tile(op["documents_overdue"], f"{plural_of(op['documents_overdue'], 'document')} "
             "overdue for review", url("documents:list", "review=overdue"), when_any=URGENT),
        Tile(review.meeting_date.strftime("%Y-%m-%d") if review else "None",
             "last management review" if review else "management review held",
             url("reviews:list"), URGENT if op["review_overdue"] else CALM,
             "more than twelve months ago" if review and op["review_overdue"] else ""),
        tile(evidence.expiring, "evidence expiring soon", url("evidence:list",
                                                               "freshness=expiring"),
             when_any=TODO),
        tile(plan["without_assessment"], f"in-scope {plural_of(plan['without_assessment'], 'system')} "
             "without an impact assessment", url("impact:list"), when_any=TODO),
        tile(soa.undecided, f"SoA {plural_of(soa.undecided, 'decision')} open",
             url("compliance:soa", "applicable=undecided"), when_any=TODO),
        tile(plan["off_track"], f"{plural_of(plan['off_track'], 'objective')} off track",
             url("objectives:list", "status=active&track=off_track"), when_any=TODO),
        tile(op["nc_open"], f"open {nc_noun(op['nc_open'])}",
             url("improvement:nc_list"), when_any=TODO),
        tile(tasks.mine_open, f"open {plural_of(tasks.mine_open, 'task')} of yours",
             url("tasks:mine"), when_any=TODO,
             note=f"{tasks.mine_overdue} overdue" if tasks.mine_overdue else ""),
        Tile(str(stats.active), f"active AI {plural_of(stats.active, 'system')}",
             url("inventory:list")),
        Tile(str(stats.in_scope), "in AIMS scope", url("inventory:list", "in_scope=yes")),
        Tile(str(stats.high_risk), "high-risk (EU AI Act)",
             url("inventory:list", "eu_risk_class=high")),
        Tile(f"{soa.applicable}/{soa.total}", "controls applicable", url("compliance:soa")),
    ]
    return by_urgency(t for t in tiles if t is not None)
