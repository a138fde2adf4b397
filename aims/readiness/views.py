"""Readiness in the web UI: the judgement, the mandatory documented information, the
implementation plan, the certification cycle and the executive brief."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aims.core.responses import file_response
from aims.core.views import submit
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.readiness import charts, report, selectors, services
from aims.readiness.brief import brief_context, brief_pdf
from aims.readiness.documented import STATE_LABELS
from aims.readiness.exports import plan_export
from aims.readiness.forms import (
    CertificationForm,
    ExternalAuditForm,
    ExternalFindingForm,
    FindingFilterForm,
    PlanForm,
)
from aims.readiness.rules.base import PHASE_TITLES, Phase
from aims.records.kinds import resolve

PERM = services.PERM
DOC_BADGES = {"missing": "bad", "draft": "warn", "past_review": "warn", "on_record": "ok"}


def _requested_day(request):
    """The day asked for in the address, or None (none, or not a date: the form says so)."""
    try:
        return forms.DateField(required=False).clean(request.GET.get("as_of", ""))
    except forms.ValidationError:
        return None


# ---------------------------------------------------------------------------- the judgement


def _with_day(request, day):
    """The query with the day judged filled in, so the date picker shows it."""
    data = request.GET.copy()
    data.setdefault("as_of", day.as_of.isoformat())
    return data


@org_view
def readiness(request):
    ctx = request.ctx
    day = report.judgement_day(ctx=ctx, requested=_requested_day(request))
    evaluation = selectors.readiness_evaluate(ctx=ctx, as_of=day.as_of)
    form = FindingFilterForm(_with_day(request, day), areas=report.area_choices(evaluation))
    severity, area = form.value("severity"), form.value("area")
    listed = report.narrowed(evaluation.findings, severity=severity, ref=area)
    missing = report.missing_documented(evaluation)
    return render(request, "readiness/index.html", {
        "day": day, "evaluation": evaluation, "counts": report.counts(evaluation),
        "form": form, "filtered": bool(severity or area),
        "groups": report.grouped(report.shown(ctx=ctx, findings=listed)), "listed": listed,
        "changes": selectors.changes_since_last(ctx=ctx, evaluation=evaluation),
        "trend": charts.trend(selectors.trend(ctx=ctx)),
        "missing": missing, "documented_total": len(evaluation.documented),
        "today_query": f"?as_of={day.today.isoformat()}",
        "day_query": f"as_of={day.as_of.isoformat()}&" if day.chosen else "",
    })


@require_POST
@org_view
def snapshot_save(request):
    ctx = request.ctx
    snapshot = services.snapshot_save(ctx=ctx)
    messages.success(request, f"Saved today's evaluation ({snapshot.score}/100, "
                              f"{'ready' if snapshot.verdict == 'ready' else 'not ready'}) "
                              "for the trend.")
    return redirect("readiness:index", ctx.org.slug)


@org_view
def documented(request):
    ctx = request.ctx
    day = report.judgement_day(ctx=ctx, requested=_requested_day(request))
    form = FindingFilterForm(_with_day(request, day), areas=[])
    items = selectors.documented_checklist(ctx=ctx, as_of=day.as_of)
    return render(request, "readiness/documented.html", {
        "day": day, "form": form, "items": items,
        "rows": [(i, DOC_BADGES[i.state]) for i in items],
        "on_record": sum(i.exists for i in items),
        "by_state": [(label, DOC_BADGES[state], sum(i.state == state for i in items))
                     for state, label in STATE_LABELS.items()],
    })


# ---------------------------------------------------------------------------- the plan


def _phases(plan) -> list[dict]:
    steps = list(plan.steps.all()) if plan else []
    out = []
    for phase in Phase:
        mine = sorted((s for s in steps if s.phase == phase),
                      key=lambda s: (s.task.due_date.isoformat() if s.task and s.task.due_date
                                     else "9999", s.task.number if s.task else 0))
        if mine:
            out.append({"phase": phase.value, "title": PHASE_TITLES[phase], "steps": mine,
                        "open": sum(1 for s in mine if s.task and not s.task.is_closed)})
    return out


@org_view
def plan(request):
    ctx = request.ctx
    if request.method == "POST":
        ctx.require(PERM)
    current = selectors.plan_get(ctx=ctx)
    form = PlanForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                    initial={"target_date": current.target_date if current else None})
    done = submit(request, form, lambda: services.plan_generate(
        ctx=ctx, target_date=form.cleaned_data["target_date"],
        owner=form.cleaned_data["owner"] or None))
    if done.ok:
        n = len(done.result)
        messages.success(request, f"Generated the plan: {n} new task{'s' if n != 1 else ''}"
                                  f"{'' if n else ' (every open finding already had one)'}."
                                  " Steps whose finding is gone were marked done.")
        return redirect("readiness:plan", ctx.org.slug)
    today = report.judgement_day(ctx=ctx).today
    timeline = None
    if current is not None:
        start = min(current.created_at.date(), today)
        timeline = charts.timeline(start=start, target=current.target_date,
                                   steps=list(current.steps.all()), today=today)
    return render(request, "readiness/plan.html", {
        "plan": current, "form": form, "phases": _phases(current), "timeline": timeline,
        "today": today,
    }, status=done.status)


@org_view
def plan_xlsx(request):
    ctx = request.ctx
    return file_response(*plan_export(ctx=ctx, plan=selectors.plan_get(ctx=ctx)))


# ---------------------------------------------------------------------------- certification


def _cert_url(ctx, anchor: str = "") -> str:
    return reverse("readiness:certification", args=[ctx.org.slug]) + anchor


@org_view
def certification(request):
    ctx = request.ctx
    certs = selectors.certification_list(ctx=ctx)
    today = report.judgement_day(ctx=ctx).today
    raised = resolve(ctx=ctx, refs=[f.subject_ref for c in certs for a in c.audits.all()
                                    for f in a.findings.all() if f.subject_ref])
    # One form of each kind per record on the page, each with ids of its own.
    return render(request, "readiness/certification.html", {
        "certs": [{"cert": c, "cycle": report.cycle(c, today),
                   "audit_form": ExternalAuditForm(auto_id=f"a{c.pk.hex[:8]}-%s"),
                   "audits": [{"audit": a, "findings": [
                       {"finding": f, "raised": raised.get(f.subject_ref)}
                       for f in a.findings.all()],
                       "form": ExternalFindingForm(auto_id=f"f{a.pk.hex[:8]}-%s")}
                       for a in c.audits.all()]}
                  for c in certs],
        "today": today,
    })


def _form_page(request, *, form, title: str, lede: str, button: str, status: int,
               cancel: str):
    return render(request, "readiness/form.html", {
        "form": form, "title": title, "lede": lede, "button": button, "cancel": cancel,
    }, status=status)


@org_view
def certification_create(request):
    ctx = request.ctx
    ctx.require(PERM)
    form = CertificationForm(request.POST or None)
    done = submit(request, form, lambda: services.certification_create(
        ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Recorded the certification with {done.result.body}.")
        return redirect(_cert_url(ctx))
    return _form_page(request, form=form, title="Record a certification",
                      lede="The certification body you work with and, once issued, the "
                           "certificate. Audits and their findings are added to it next.",
                      button="Record certification", status=done.status, cancel=_cert_url(ctx))


@org_view
def certification_edit(request, certification_id):
    ctx = request.ctx
    ctx.require(PERM)
    cert = selectors.certification_get(ctx=ctx, certification_id=certification_id)
    form = CertificationForm(request.POST or None, initial=CertificationForm.initial_for(cert))
    done = submit(request, form, lambda: services.certification_update(
        ctx=ctx, certification_id=cert.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the certification with {done.result.body}.")
        return redirect(_cert_url(ctx))
    return _form_page(request, form=form, title=f"Certification with {cert.body}",
                      lede="Record the certificate once issued, or a change the body decides.",
                      button="Save certification", status=done.status, cancel=_cert_url(ctx))


@org_view
def audit_create(request, certification_id):
    ctx = request.ctx
    ctx.require(PERM)
    cert = selectors.certification_get(ctx=ctx, certification_id=certification_id)
    form = ExternalAuditForm(request.POST or None)
    done = submit(request, form, lambda: services.external_audit_create(
        ctx=ctx, certification_id=cert.pk, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Recorded the {done.result}.")
        return redirect(_cert_url(ctx, f"#audit-{done.result.pk}"))
    return _form_page(request, form=form, title=f"Record an audit by {cert.body}",
                      lede="A planned audit counts too: readiness is judged as of the next "
                           "one, and the dashboard counts down to it.",
                      button="Record audit", status=done.status, cancel=_cert_url(ctx))


@org_view
def audit_edit(request, external_audit_id):
    ctx = request.ctx
    ctx.require(PERM)
    audit = selectors.external_audit_get(ctx=ctx, audit_id=external_audit_id)
    form = ExternalAuditForm(request.POST or None, initial=ExternalAuditForm.initial_for(audit))
    done = submit(request, form, lambda: services.external_audit_update(
        ctx=ctx, audit_id=audit.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    anchor = f"#audit-{audit.pk}"
    if done.ok:
        messages.success(request, f"Saved the {done.result}.")
        return redirect(_cert_url(ctx, anchor))
    return _form_page(request, form=form, title=f"{audit}",
                      lede="Change the dates, the lead auditor or record the outcome.",
                      button="Save audit", status=done.status, cancel=_cert_url(ctx, anchor))


@org_view
def finding_create(request, external_audit_id):
    ctx = request.ctx
    ctx.require(PERM)
    audit = selectors.external_audit_get(ctx=ctx, audit_id=external_audit_id)
    form = ExternalFindingForm(request.POST or None)
    done = submit(request, form, lambda: services.external_finding_record(
        ctx=ctx, audit_id=audit.pk, data=form.service_data()))
    anchor = f"#audit-{audit.pk}"
    if done.ok:
        what = "an improvement" if done.result.grade == "ofi" else "a nonconformity"
        messages.success(request, f"Recorded the finding; it raised {what} to act on.")
        return redirect(_cert_url(ctx, anchor))
    return _form_page(request, form=form, title=f"Record a finding of the {audit}",
                      lede="Write the finding as the certification body stated it. Each one "
                           "raises a record in the improvement register, linked back here.",
                      button="Record finding", status=done.status,
                      cancel=_cert_url(ctx, anchor))


# ---------------------------------------------------------------------------- the brief


@org_view
def brief(request):
    return render(request, "readiness/brief.html", brief_context(ctx=request.ctx))


@org_view
def brief_pdf_file(request):
    return file_response(*brief_pdf(ctx=request.ctx))

