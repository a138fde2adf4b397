from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.audits import selectors, services
from aims.audits.forms import (
    AuditFilterForm,
    AuditForm,
    FindingFilterForm,
    LineForm,
    ProgrammeForm,
    ReportForm,
)
from aims.audits.models import FINDINGS, AuditStatus, LineResult
from aims.audits.pdf import audit_report_pdf, report_context
from aims.core.paging import paginate
from aims.core.responses import file_response
from aims.core.views import DeletePage, list_filters, posted_version, submit
from aims.core.wording import counted
from aims.evidence.selectors import evidence_choices
from aims.inventory.selectors import ai_system_list
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices

PERM = "audits.change"


# ---------------------------------------------------------------------------- programmes


@org_view
def programme_list(request):
    ctx = request.ctx
    programmes = list(selectors.programme_list(ctx=ctx)[:100])
    today = timezone.localdate()
    return render(request, "audits/programmes.html",
                  {"programmes": programmes, "today": today})


@org_view
def programme_detail(request, programme_id):
    ctx = request.ctx
    programme = selectors.programme_get(ctx=ctx, programme_id=programme_id)
    audits = list(selectors.audit_list(ctx=ctx, filters=selectors.AuditFilters(
        programme=str(programme.pk))))
    coverage = selectors.programme_coverage(ctx=ctx, programme=programme)
    state = request.GET.get("state", "")
    if state in ("covered", "planned", "missing"):
        for g in coverage.groups:
            g.rows = [r for r in g.rows if r.state == state]
        coverage.groups = [g for g in coverage.groups if g.rows]
    return render(request, "audits/programme.html", {
        "programme": programme, "audits": audits, "coverage": coverage, "state": state})


@org_view
def programme_create(request):
    ctx = request.ctx
    ctx.require(PERM)
    today = timezone.localdate()
    form = ProgrammeForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                         initial={"start_date": today.replace(day=1), "months": 12,
                                  "name": f"Internal audit programme {today.year}",
                                  "owner": str(ctx.user.pk) if ctx.user else ""})
    done = submit(request, form, lambda: services.programme_create(
        ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Created {done.result.name}. Plan its audits next.")
        return redirect("audits:programme", ctx.org.slug, done.result.pk)
    return render(request, "audits/programme_form.html", {"form": form, "programme": None},
                  status=done.status)


@org_view
def programme_edit(request, programme_id):
    ctx = request.ctx
    ctx.require(PERM)
    programme = selectors.programme_get(ctx=ctx, programme_id=programme_id)
    initial = {k: getattr(programme, k) for k in ("name", "start_date", "months",
                                                 "objectives", "version")}
    initial["owner"] = str(programme.owner_id or "")
    form = ProgrammeForm(request.POST or None, initial=initial,
                         owner_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.programme_update(
        ctx=ctx, programme_id=programme.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.name}.")
        return redirect("audits:programme", ctx.org.slug, programme.pk)
    return render(request, "audits/programme_form.html",
                  {"form": form, "programme": programme}, status=done.status)


programme_delete = org_view(DeletePage(
    perm=PERM, get=selectors.programme_get, delete=services.programme_delete,
    kind="audit programme", name="{obj.name}",
    back=lambda ctx, programme: reverse("audits:programme", args=[ctx.org.slug, programme.pk]),
    back_label="{obj.name}", after="audits:programmes",
    done="The programme was deleted; its last values are in the activity log.",
    hint="A programme that holds audits cannot be deleted.").view)


# ---------------------------------------------------------------------------- audits


@org_view
def audit_list(request):
    ctx = request.ctx
    form = AuditFilterForm(request.GET or None,
                           programme_choices=selectors.programme_choices(ctx=ctx))
    filters, filtered = list_filters(form, selectors.AuditFilters)
    qs = selectors.audit_list(ctx=ctx, filters=filters)
    return render(request, "audits/list.html", {
        "filter_form": form, "filtered": filtered, **paginate(request, qs)})


def _audit_form(ctx, data=None, *, initial=None, with_actuals=False):
    systems = [(str(s.pk), s.name) for s in ai_system_list(ctx=ctx)
               if s.status != "retired" or str(s.pk) in (initial or {}).get("ai_systems", [])]
    return AuditForm(data, initial=initial,
                     programme_choices=selectors.programme_choices(ctx=ctx),
                     member_choices=member_choices(ctx=ctx), system_choices=systems,
                     scope_choices=selectors.scope_choices(), with_actuals=with_actuals)


@org_view
def audit_create(request):
    ctx = request.ctx
    ctx.require(PERM)
    programmes = selectors.programme_choices(ctx=ctx)
    if not programmes:
        messages.info(request, "Create the audit programme of the cycle first; audits are "
                               "planned inside it.")
        return redirect("audits:programme_create", ctx.org.slug)
    initial = {"programme": request.GET.get("programme") or programmes[0][0],
               "lead_auditor": str(ctx.user.pk) if ctx.user else ""}
    form = _audit_form(ctx, request.POST or None, initial=initial)
    done = submit(request, form, lambda: services.audit_create(ctx=ctx,
                                                               data=form.service_data()))
    if done.ok:
        messages.success(request, f"Planned {done.result.ref} with a checklist generated "
                                  "from its scope.")
        return redirect("audits:detail", ctx.org.slug, done.result.pk)
    return render(request, "audits/form.html", {"form": form, "audit": None}, status=done.status)


@org_view
def audit_edit(request, audit_id):
    ctx = request.ctx
    ctx.require(PERM)
    audit = selectors.audit_get(ctx=ctx, audit_id=audit_id)
    with_actuals = audit.status != AuditStatus.PLANNED
    form = _audit_form(ctx, request.POST or None, with_actuals=with_actuals,
                       initial=AuditForm.initial_for(audit, with_actuals=with_actuals))
    done = submit(request, form, lambda: services.audit_update(
        ctx=ctx, audit_id=audit.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {audit.ref}.")
        return redirect("audits:detail", ctx.org.slug, audit.pk)
    return render(request, "audits/form.html", {"form": form, "audit": audit}, status=done.status)


audit_delete = org_view(DeletePage(
    perm=PERM, get=selectors.audit_get, delete=services.audit_delete, kind="audit",
    back=lambda ctx, audit: reverse("audits:detail", args=[ctx.org.slug, audit.pk]),
    back_label="{obj.ref}",
    after=lambda ctx, audit: reverse("audits:programme", args=[ctx.org.slug, audit.programme_id]),
    done="{obj.ref} was deleted; its last values are in the activity log.",
    hint="Only an audit without results or notes can be deleted; cancel one that was "
         "started.").view)


def _detail_context(ctx, audit) -> dict:
    lines = list(selectors.line_list(ctx=ctx, audit_id=audit.pk))
    counts = selectors.result_counts(ctx=ctx, audit=audit)
    return {
        "audit": audit, "lines": lines,
        "findings": [ln for ln in lines if ln.result in FINDINGS],
        "counts": [(LineResult(k), v) for k, v in counts.items()],
        "not_assessed": counts[LineResult.NOT_ASSESSED],
        "warnings": selectors.audit_independence(ctx=ctx, audit=audit),
        "editable": ctx.can(PERM) and not audit.is_frozen,
    }


@org_view
def audit_detail(request, audit_id):
    ctx = request.ctx
    audit = selectors.audit_get(ctx=ctx, audit_id=audit_id)
    return render(request, "audits/detail.html", _detail_context(ctx, audit))


TRANSITION_DONE = {
    AuditStatus.IN_PROGRESS: "{ref} is in progress.",
    AuditStatus.CLOSED: "{ref} is closed.",
    AuditStatus.CANCELLED: "{ref} is cancelled; it stays in the record.",
}


@require_POST
@org_view
def audit_transition(request, audit_id, to):
    ctx = request.ctx
    audit = services.audit_transition(ctx=ctx, audit_id=audit_id, to=to,
                                      version=posted_version(request))
    messages.success(request, TRANSITION_DONE.get(to, "{ref} saved.").format(ref=audit.ref))
    return redirect("audits:detail", ctx.org.slug, audit_id)


@require_POST
@org_view
def checklist_regenerate(request, audit_id):
    ctx = request.ctx
    counts = services.checklist_regenerate(ctx=ctx, audit_id=audit_id,
                                           version=posted_version(request))
    messages.success(request, f"Checklist regenerated: {counted(counts['added'], 'line')} added, "
                              f"{counted(counts['removed'], 'unused line')} removed; answered lines "
                              "are kept.")
    return redirect("audits:detail", ctx.org.slug, audit_id)


# ---------------------------------------------------------------------------- lines


@org_view
def line_row(request, audit_id, line_id):
    ctx = request.ctx
    line = selectors.line_get(ctx=ctx, line_id=line_id, audit_id=audit_id)
    return render(request, "audits/_line.html", {
        "line": line, "audit": line.audit,
        "editable": ctx.can(PERM) and not line.audit.is_frozen})


@org_view
def line_edit(request, audit_id, line_id):
    ctx = request.ctx
    ctx.require(PERM)
    line = selectors.line_get(ctx=ctx, line_id=line_id, audit_id=audit_id)
    form = LineForm(request.POST or None, initial=LineForm.initial_for(line),
                    evidence_choices=evidence_choices(ctx=ctx), prefix=f"l{line.pk.hex[:8]}")
    done = submit(request, form, lambda: services.line_update(
        ctx=ctx, line_id=line.pk, audit_id=audit_id, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok and request.htmx:
        line = selectors.line_get(ctx=ctx, line_id=line.pk)
        return render(request, "audits/_line.html",
                      {"line": line, "audit": line.audit, "editable": True, "saved": True})
    if done.ok:
        messages.success(request, f"Saved {line.requirement.ref}.")
        return redirect(reverse("audits:detail", args=[ctx.org.slug, audit_id])
                        + f"#line-{line.pk}")
    template = "audits/_line_form.html" if request.htmx else "audits/line_edit.html"
    return render(request, template, {"line": line, "audit": line.audit, "form": form},
                  status=done.status)


# ---------------------------------------------------------------------------- findings


@org_view
def finding_list(request):
    ctx = request.ctx
    audits = selectors.audit_choices(ctx=ctx)
    form = FindingFilterForm(request.GET or None,
                             programme_choices=selectors.programme_choices(ctx=ctx),
                             audit_choices=audits)
    filters, filtered = list_filters(form, selectors.FindingFilters)
    qs = selectors.finding_list(ctx=ctx, filters=filters)
    return render(request, "audits/findings.html", {
        "filter_form": form, "filtered": filtered, **paginate(request, qs)})


# ---------------------------------------------------------------------------- the report


@org_view
def report_issue(request, audit_id):
    ctx = request.ctx
    ctx.require(PERM)
    audit = selectors.audit_get(ctx=ctx, audit_id=audit_id)
    form = ReportForm(request.POST or None, initial={
        "summary": audit.summary, "conclusion": audit.conclusion, "version": audit.version})
    done = submit(request, form, lambda: services.report_issue(
        ctx=ctx, audit_id=audit.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Issued the report of {audit.ref}; its checklist is now "
                                  "frozen.")
        return redirect("audits:detail", ctx.org.slug, audit.pk)
    # audit_get already counted the open lines and findings.
    return render(request, "audits/report_form.html", {
        "form": form, "audit": audit, "not_assessed": audit.open_count,
        "findings": audit.finding_count}, status=done.status)


@org_view
def report_print(request, audit_id):
    return render(request, "audits/report_print.html",
                  report_context(ctx=request.ctx, audit_id=audit_id))


@org_view
def report_pdf(request, audit_id):
    return file_response(*audit_report_pdf(ctx=request.ctx, audit_id=audit_id))
