"""Frameworks in the web UI: the organisation's choice and the coverage of each, and the
frameworks of its own brought in from OSCAL catalogs, with their decisions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from aims.catalog.selectors import reportable_frameworks
from aims.compliance.forms import SoaItemForm
from aims.compliance.services import compliance_item_update
from aims.core.responses import file_response
from aims.core.views import submit
from aims.frameworks import selectors, services
from aims.frameworks.coverage import MET, UNDERWAY, VERDICT_LABELS
from aims.frameworks.exports import coverage_export
from aims.frameworks.forms import CoverageFilterForm, OwnFilterForm, ReportingForm
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices


@org_view
def index(request):
    ctx = request.ctx
    choice = selectors.reporting_get(ctx=ctx)
    options = list(reportable_frameworks())
    form = ReportingForm(request.POST or None, choices=[(f.code, f.name) for f in options],
                         initial={"frameworks": choice.frameworks, "version": choice.version})
    if request.method == "POST":
        done = submit(request, form, lambda: services.reporting_frameworks_set(
            ctx=ctx, frameworks=form.cleaned_data["frameworks"],
            version=form.cleaned_data["version"]))
        if done.ok:
            messages.success(request, "Saved the frameworks you report against.")
            return redirect("frameworks:index", slug=ctx.org.slug)
        status = done.status
    else:
        status = 200
    chosen = [f for f in options if f.code in choice.frameworks]
    summaries = [(f, selectors.coverage_report(ctx=ctx, code=f.code)) for f in chosen]
    return render(request, "frameworks/index.html", {
        "form": form, "summaries": summaries, "others": [f for f in options if f not in chosen],
        "own": selectors.own_framework_list(ctx=ctx),
    }, status=status)


@org_view
def coverage(request, framework):
    ctx = request.ctx
    form = CoverageFilterForm(request.GET or None)
    filters = (selectors.CoverageFilters(**form.cleaned_data) if form.is_valid()
               else selectors.CoverageFilters())
    report = selectors.coverage_report(ctx=ctx, code=framework, filters=filters)
    chosen = report.framework.code in selectors.reporting_get(ctx=ctx).frameworks
    return render(request, "frameworks/coverage.html", {
        "report": report, "form": form, "filtered": bool(filters.q or filters.verdict),
        "chosen": chosen, "verdicts": VERDICT_LABELS, "MET": MET, "UNDERWAY": UNDERWAY,
        "query": request.GET.urlencode(),
    })


@org_view
def coverage_export_view(request, framework, fmt):
    form = CoverageFilterForm(request.GET or None)
    filters = (selectors.CoverageFilters(**form.cleaned_data) if form.is_valid()
               else selectors.CoverageFilters())
    return file_response(*coverage_export(ctx=request.ctx, code=framework, fmt=fmt,
                                          filters=filters))


@org_view
def own(request, catalog):
    """One framework of the organisation's own: its controls with their decisions."""
    ctx = request.ctx
    form = OwnFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.OwnFilters(q=data.get("q", ""), applicable=data.get("applicable", ""),
                                   status=data.get("status", ""),
                                   retired=request.GET.get("retired") == "1")
    report = selectors.own_framework_report(ctx=ctx, code=catalog, filters=filters)
    return render(request, "frameworks/own.html", {
        "report": report, "s": report.summary, "fw": report.summary.framework, "form": form,
        "retired": filters.retired})


@org_view
def own_item(request, catalog, control):
    """One control of an own framework: its text, the decision, its evidence and tasks."""
    item = selectors.own_item_get(ctx=request.ctx, code=catalog, ref=control)
    return render(request, "frameworks/own_item.html", {
        "item": item, "fw": item.requirement.framework, "req": item.requirement})


@org_view
def own_item_edit(request, catalog, control):
    """The decision on one control of an own framework, as the SoA's form takes it."""
    ctx = request.ctx
    ctx.require("compliance.change")
    item = selectors.own_item_get(ctx=ctx, code=catalog, ref=control)
    form = SoaItemForm(request.POST or None, initial=SoaItemForm.initial_for(item),
                       owner_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: compliance_item_update(
        ctx=ctx, ref=control, framework=catalog, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the decision for {control}.")
        return redirect(reverse("frameworks:own_item", args=[ctx.org.slug, catalog, control]))
    return render(request, "frameworks/own_item_edit.html", {
        "item": item, "fw": item.requirement.framework, "req": item.requirement, "form": form,
    }, status=done.status)
