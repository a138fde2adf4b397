from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from aims.activity.selectors import record_history
from aims.core.paging import paginate
from aims.core.tabs import Tab, current_tab, render_tabbed
from aims.core.views import DeletePage, list_filters, submit
from aims.inventory.selectors import ai_system_choices
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.suppliers import selectors, services
from aims.suppliers.forms import (
    ChecklistForm,
    ResponsibilityForm,
    ReviewForm,
    SupplierFilterForm,
    SupplierForm,
)

HISTORY_ROWS = 20
REVIEWS_SHOWN = 10
PERM = "suppliers.change"


def _detail_url(ctx, supplier_id, section: str = "") -> str:
    return reverse("suppliers:detail", args=[ctx.org.slug, supplier_id]) + section


@org_view
def supplier_list(request):
    ctx = request.ctx
    form = SupplierFilterForm(request.GET or None,
                              system_choices=ai_system_choices(ctx=ctx, mark_retired=True))
    filters, filtered = list_filters(form, selectors.SupplierFilters)
    qs = selectors.supplier_list(ctx=ctx, filters=filters)
    return render(request, "suppliers/list.html",
                  {"filter_form": form, "filtered": filtered, **paginate(request, qs)})


SUPPLIER_TABS = [Tab("overview", "Due diligence"), Tab("reviews", "Reviews"),
                 Tab("responsibilities", "Responsibilities"), Tab("evidence", "Evidence"),
                 Tab("tasks", "Tasks"), Tab("history", "History")]


def _tab_context(ctx, supplier, tab: str) -> dict:
    """What the open tab of a supplier's page needs (the other panels cost nothing)."""
    if tab == "overview":
        rows = selectors.checklist_for(ctx=ctx, supplier=supplier)
        return {"rows": rows, "summary": selectors.checklist_summary(rows)}
    if tab == "reviews":
        reviews = list(selectors.supplier_review_list(ctx=ctx, supplier=supplier)
                       [:REVIEWS_SHOWN + 1])
        return {"reviews": reviews[:REVIEWS_SHOWN], "more_reviews": len(reviews) > REVIEWS_SHOWN}
    if tab == "responsibilities":
        return {"responsibilities": list(selectors.responsibility_list(ctx=ctx,
                                                                        supplier=supplier)),
                "responsibility_form": ResponsibilityForm(kind=supplier.kind)
                if ctx.can(PERM) else None}
    if tab == "history":
        return {"history": record_history(
            ctx=ctx, record=supplier, limit=HISTORY_ROWS,
            events=selectors.supplier_history(ctx=ctx, supplier=supplier))}
    return {}


@org_view
def supplier_detail(request, supplier_id):
    """A supplier's page: its summary, then one tab at a time (`?tab=`), loaded on demand."""
    ctx = request.ctx
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    tab = current_tab(request, SUPPLIER_TABS)
    return render_tabbed(request, "suppliers/detail.html",
                         {"supplier": supplier, **_tab_context(ctx, supplier, tab.key)},
                         tabs=SUPPLIER_TABS, panels="suppliers/tabs/%s.html",
                         label=f"About {supplier.name}")


@org_view
def supplier_create(request):
    ctx = request.ctx
    ctx.require(PERM)
    form = SupplierForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                        system_choices=ai_system_choices(ctx=ctx, mark_retired=True),
                        initial={"kind": "supplier", "criticality": "medium", "status": "active",
                                 "review_interval_months": 12})
    done = submit(request, form,
                  lambda: services.supplier_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added {done.result.name} to the register. Work through "
                                  "its due-diligence checklist next.")
        return redirect("suppliers:detail", ctx.org.slug, done.result.pk)
    return render(request, "suppliers/form.html", {"form": form, "supplier": None},
                  status=done.status)


@org_view
def supplier_edit(request, supplier_id):
    ctx = request.ctx
    ctx.require(PERM)
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    form = SupplierForm(request.POST or None, initial=SupplierForm.initial_for(supplier),
                        owner_choices=member_choices(ctx=ctx),
                        system_choices=ai_system_choices(ctx=ctx, mark_retired=True))
    done = submit(request, form, lambda: services.supplier_update(
        ctx=ctx, supplier_id=supplier.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.name}.")
        return redirect("suppliers:detail", ctx.org.slug, supplier.pk)
    return render(request, "suppliers/form.html", {"form": form, "supplier": supplier},
                  status=done.status)


supplier_delete = org_view(DeletePage(
    perm=PERM, get=selectors.supplier_get, delete=services.supplier_delete,
    kind=lambda _, supplier: supplier.get_kind_display().lower(), name="{obj.name}",
    back="suppliers:list", back_label="Suppliers and customers",
    done="Deleted {name} with its due diligence, reviews and responsibilities. Their last "
         "values are kept in the activity log.",
    hint="Its checklist answers, reviews and responsibilities go with it. If the relationship "
         "was real and has ended, edit it and set its status to Exited instead: it then stays "
         "in the record.").view)


@org_view
def diligence_edit(request, supplier_id):
    """Answer the checklist without completing a review (work in progress)."""
    ctx = request.ctx
    ctx.require(PERM)
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    rows = selectors.checklist_for(ctx=ctx, supplier=supplier)
    form = ChecklistForm(request.POST or None, rows=rows)
    done = submit(request, form, lambda: services.due_diligence_update(
        ctx=ctx, supplier_id=supplier.pk, answers=form.answers()))
    if done.ok:
        n = done.result
        messages.success(request, f"Saved {n} answer{'s' if n != 1 else ''} for {supplier.name}."
                         if n else "Nothing had changed.")
        return redirect(_detail_url(ctx, supplier.pk, "?tab=overview#due-diligence"))
    return render(request, "suppliers/diligence_form.html",
                  {"form": form, "supplier": supplier, "review": False}, status=done.status)


@org_view
def review_create(request, supplier_id):
    """Complete a review: the checklist, then the rating, date and summary."""
    ctx = request.ctx
    ctx.require(PERM)
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    rows = selectors.checklist_for(ctx=ctx, supplier=supplier)
    form = ReviewForm(request.POST or None, rows=rows,
                      initial={"version": supplier.version, "rating": supplier.rating})
    done = submit(request, form, lambda: services.supplier_review_create(
        ctx=ctx, supplier_id=supplier.pk, data=form.review_data(),
        version=form.cleaned_data["version"], answers=form.answers()))
    if done.ok:
        supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier.pk)
        due = supplier.next_review_date
        messages.success(request, f"Review of {supplier.name} recorded: "
                                  f"{done.result.get_rating_display().lower()}. "
                                  + (f"Next review due {due.isoformat()}." if due else ""))
        return redirect(_detail_url(ctx, supplier.pk, "?tab=reviews"))
    if done.status != 200:
        # Answers saved before a refusal were rolled back: show the checklist as stored.
        rows = selectors.checklist_for(ctx=ctx, supplier=supplier)
        form.rows = rows
    return render(request, "suppliers/diligence_form.html",
                  {"form": form, "supplier": supplier, "review": True}, status=done.status)


@org_view
def responsibility_add(request, supplier_id):
    ctx = request.ctx
    ctx.require(PERM)
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    form = ResponsibilityForm(request.POST or None, kind=supplier.kind)
    done = submit(request, form, lambda: services.responsibility_create(
        ctx=ctx, supplier_id=supplier.pk, data=form.service_data()))
    if done.ok:
        messages.success(request, "Recorded who is responsible.")
        return redirect(_detail_url(ctx, supplier.pk, "?tab=responsibilities"))
    return render(request, "suppliers/responsibility_form.html",
                  {"form": form, "supplier": supplier, "row": None}, status=done.status)


@org_view
def responsibility_edit(request, supplier_id, allocation_id):
    ctx = request.ctx
    ctx.require(PERM)
    supplier = selectors.supplier_get(ctx=ctx, supplier_id=supplier_id)
    row = selectors.responsibility_get(ctx=ctx, supplier=supplier,
                                       allocation_id=allocation_id)
    form = ResponsibilityForm(request.POST or None, kind=supplier.kind,
                              initial=ResponsibilityForm.initial_for(row))
    done = submit(request, form, lambda: services.responsibility_update(
        ctx=ctx, supplier_id=supplier.pk, allocation_id=row.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, "Saved the responsibility.")
        return redirect(_detail_url(ctx, supplier.pk, "?tab=responsibilities"))
    return render(request, "suppliers/responsibility_form.html",
                  {"form": form, "supplier": supplier, "row": row}, status=done.status)


responsibility_delete = org_view(DeletePage(
    perm=PERM, get=selectors.responsibility_get, delete=services.responsibility_delete,
    kind="responsibility", name=lambda _, row: row.activity or row.get_topic_display(),
    back=lambda ctx, row: _detail_url(ctx, row.supplier_id, "?tab=responsibilities"),
    back_label="{obj.supplier.name}",
    done="Removed the responsibility “{name}”. Its values are kept in the activity log.").view)
