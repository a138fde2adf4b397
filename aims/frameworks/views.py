"""Frameworks in the web UI: the organisation's choice and the coverage of each."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from aims.catalog.selectors import reportable_frameworks
from aims.core.responses import file_response
from aims.core.views import submit
from aims.frameworks import selectors, services
from aims.frameworks.coverage import MET, UNDERWAY, VERDICT_LABELS
from aims.frameworks.exports import coverage_export
from aims.frameworks.forms import CoverageFilterForm, ReportingForm
from aims.orgs.decorators import org_view


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
