"""The dashboard: where the AIMS stands and what to do next, read from every domain's
selectors (a fixed number of queries, whatever the size of the record)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from aims.activity.selectors import event_list
from aims.aiact.selectors import class_overview
from aims.compliance.selectors import soa_summary
from aims.context.selectors import scope_current
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
from aims.risks.selectors import RiskFilters, risk_list
from aims.tasks.selectors import task_summary


@org_view
def dashboard(request):
    ctx = request.ctx
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
        "aiact": class_overview(ctx=ctx),
    }
    return render(request, "dashboard/dashboard.html", context)


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
    return {
        "high_risks": sum(risk_list(ctx=ctx, filters=RiskFilters(status="open", level=level))
                          .count() for level in ("high", "critical")),
        "reviews_overdue": risk_list(ctx=ctx, filters=RiskFilters(
            status="open", overdue_review=True)).count(),
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
        "nc_open": sum(v for k, v in ncs.items() if k not in ("closed", "with_overdue_actions")),
        "nc_overdue": ncs["with_overdue_actions"],
        "last_review": review,
        "review_overdue": review is None or (timezone.localdate() - review.meeting_date).days > 365,
    }
