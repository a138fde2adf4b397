from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.activity.selectors import event_list
from aims.compliance.selectors import soa_summary
from aims.context.selectors import scope_current
from aims.core.views import submit
from aims.inventory.selectors import AISystemFilters, ai_system_list, ai_system_stats
from aims.orgs import selectors, services
from aims.orgs.decorators import org_view
from aims.orgs.forms import MemberAddForm, MemberRoleForm, OrgCreateForm


@login_required
def home(request):
    """Straight into the only organisation, or a chooser when there are several."""
    memberships = list(selectors.membership_list_for_user(user=request.user))
    if len(memberships) == 1:
        return redirect("orgs:dashboard", memberships[0].org.slug)
    return render(request, "orgs/home.html", {"memberships": memberships})


@login_required
def org_new(request):
    """Anyone signed in may start an organisation (consultants add one per client) unless the
    operator limits it to staff with AIMS_ORG_CREATION=staff."""
    if not services.org_creation_allowed(user=request.user):
        raise PermissionDenied("Only operators can create organisations on this instance.")
    form = OrgCreateForm(request.POST or None)
    done = submit(request, form, lambda: services.org_start(
        user=request.user, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"]))
    if done.ok:
        messages.success(request, f"Created {done.result.name}. You are its owner.")
        return redirect("orgs:dashboard", done.result.slug)
    return render(request, "orgs/new.html", {"form": form}, status=done.status)


@org_view
def dashboard(request):
    ctx = request.ctx
    unassessed = ai_system_list(ctx=ctx, filters=AISystemFilters(status="active",
                                                                 eu_risk_class="unassessed"))
    context = {
        "active_area": "dashboard",
        "soa": soa_summary(ctx=ctx),
        "stats": ai_system_stats(ctx=ctx),
        "unassessed": list(unassessed[:10]),
        "scope": scope_current(ctx=ctx),
        "planning": _planning(ctx),
        "operation": _operation(ctx),
        "recent": list(event_list(ctx=ctx)[:8]),
    }
    return render(request, "orgs/dashboard.html", context)


def _planning(ctx) -> dict:
    """Clause 6 at a glance: one count query each, whatever the size of the record."""
    from aims.impact.models import Status
    from aims.impact.selectors import (
        AssessmentFilters,
        assessment_list,
        systems_without_assessment,
    )
    from aims.objectives.models import ObjectiveStatus, TrackStatus
    from aims.objectives.selectors import ObjectiveFilters, objective_list
    from aims.risks.selectors import RiskFilters, risk_list

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


@org_view
def members(request):
    ctx = request.ctx
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        ctx.require("members.manage")
    done = submit(request, form, lambda: services.member_add_by_email(
        ctx=ctx, email=form.cleaned_data["email"], role=form.cleaned_data["role"]))
    if done.ok:
        messages.success(request, f"Added {done.result.user.email} as {done.result.role}.")
        return redirect("orgs:members", ctx.org.slug)
    rows = [(m, MemberRoleForm(initial={"role": m.role, "version": m.version},
                               prefix=str(m.pk)))
            for m in selectors.member_list(ctx=ctx)]
    return render(request, "orgs/members.html",
                  {"active_area": "members", "form": form, "rows": rows}, status=done.status)


@require_POST
@org_view
def member_role(request, member_id):
    ctx = request.ctx
    # Refuse and 404 before reading the form, so the answer never depends on what was posted.
    ctx.require("members.manage")
    selectors.member_get(ctx=ctx, membership_id=member_id)
    form = MemberRoleForm(request.POST, prefix=str(member_id))
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect("orgs:members", ctx.org.slug)
    m = services.member_set_role(ctx=ctx, membership_id=member_id,
                                 role=form.cleaned_data["role"],
                                 version=form.cleaned_data["version"])
    messages.success(request, f"{m.user.email} is now {m.role}.")
    return redirect("orgs:members", ctx.org.slug)


@require_POST
@org_view
def member_remove(request, member_id):
    ctx = request.ctx
    services.member_remove(ctx=ctx, membership_id=member_id)
    messages.success(request, "Member removed.")
    return redirect("orgs:members", ctx.org.slug)


def _operation(ctx) -> dict:
    """Clauses 7–10 at a glance: a fixed number of count queries, whatever the record's size."""
    from aims.documents.selectors import DocumentFilters, document_list
    from aims.evidence.selectors import evidence_stale_counts
    from aims.improvement.selectors import nonconformity_summary
    from aims.reviews.selectors import latest_held
    from aims.tasks.selectors import task_summary

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
