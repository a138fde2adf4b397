from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from aims.catalog.selectors import framework_get
from aims.compliance import selectors, services
from aims.compliance.exports import soa_export
from aims.compliance.forms import ClauseForm, SoaFilterForm, SoaItemForm
from aims.core.errors import ValidationError
from aims.core.responses import file_response
from aims.core.views import list_filters, submit
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices


def _gap(ctx, ref: str) -> selectors.Gap:
    """How one requirement stands by what the record shows (see selectors.requirement_gaps)."""
    return selectors.requirement_gaps(ctx=ctx, refs=[ref])[ref]


@org_view
def soa(request):
    ctx = request.ctx
    fw = framework_get(code=selectors.FRAMEWORK)
    form = SoaFilterForm(request.GET or None, domains=fw.domains)
    filters, filtered = list_filters(form, selectors.SoaFilters)
    items = selectors.soa_rows(ctx=ctx, filters=filters)
    gaps = selectors.requirement_gaps(ctx=ctx, refs=[i.requirement.ref for i in items])
    return render(request, "compliance/soa.html", {
        "filter_form": form, "filtered": filtered,
        "domains": selectors.soa_grouped(items), "summary": selectors.soa_summary(ctx=ctx),
        "gaps": gaps,
    })


@org_view
def soa_row(request, ref):
    item = selectors.soa_item_get(ctx=request.ctx, ref=ref)
    return render(request, "compliance/_row.html", {"item": item, "gap": _gap(request.ctx, ref)})


@org_view
def soa_stats(request):
    return render(request, "compliance/_stats.html",
                  {"summary": selectors.soa_summary(ctx=request.ctx)})


@org_view
def soa_edit(request, ref):
    ctx = request.ctx
    ctx.require("compliance.change")
    item = selectors.soa_item_get(ctx=ctx, ref=ref)
    # A control's decision is set by hand; a clause's standing follows from the record, so
    # its form holds the owner and notes only.
    form_class = SoaItemForm if item.requirement.is_control else ClauseForm
    form = form_class(request.POST or None, initial=form_class.initial_for(item),
                      owner_choices=member_choices(ctx=ctx), prefix=f"i{item.pk.hex[:8]}")
    done = submit(request, form, lambda: services.compliance_item_update(
        ctx=ctx, ref=ref, data=form.service_data(), version=form.cleaned_data["version"]))
    if done.ok and request.htmx:
        item = selectors.soa_item_get(ctx=ctx, ref=ref)
        response = render(request, "compliance/_row.html", {"item": item, "saved": True,
                                                            "gap": _gap(ctx, ref)})
        response["HX-Trigger"] = "soa-changed"  # the counters refresh themselves
        return response
    # Opened from the requirement's page (and for clauses, which have no SoA row), saving
    # returns there; otherwise to the row of the SoA.
    back_to_item = request.GET.get("from") == "item" or not item.requirement.is_control
    if done.ok:
        messages.success(request, f"Saved the decision for {ref}.")
        if back_to_item:
            return redirect("compliance:item", ctx.org.slug, ref)
        return redirect(reverse("compliance:soa", args=[ctx.org.slug]) + f"#ctl-{ref}")
    template = "compliance/_row_form.html" if request.htmx else "compliance/edit.html"
    return render(request, template, {"item": item, "form": form, "back_to_item": back_to_item},
                  status=done.status)


@org_view
def item(request, ref):
    """One requirement (an Annex A control or a clause) as it stands in the organisation:
    what it asks, our decision, the risks it treats, its evidence and the work on it."""
    item = selectors.soa_item_get(ctx=request.ctx, ref=ref)
    r = item.requirement
    return render(request, "compliance/item.html", {
        "gap": _gap(request.ctx, ref), "item": item, "risks": item.risks_shown,
        "domain_title": r.framework.domain_title(r.domain) if r.domain else ""})


@org_view
def soa_export_view(request, fmt):
    try:
        return file_response(*soa_export(ctx=request.ctx, fmt=fmt))
    except ValidationError:
        messages.error(request, "Export as csv or xlsx.")
        return redirect("compliance:soa", request.ctx.org.slug)


@org_view
def clauses(request):
    items = list(selectors.clause_list(ctx=request.ctx))
    gaps = selectors.requirement_gaps(ctx=request.ctx, refs=[i.requirement.ref for i in items])
    return render(request, "compliance/clauses.html",
                  {"rows": [(i, gaps[i.requirement.ref]) for i in items]})
