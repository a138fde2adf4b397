from __future__ import annotations

from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aims.activity.selectors import record_history
from aims.core.errors import ValidationError
from aims.core.paging import paginate
from aims.core.responses import file_response
from aims.core.tabs import Tab, current_tab, render_tabbed
from aims.core.uploads import accepts_upload
from aims.core.views import DeletePage, posted_version, submit
from aims.inventory.selectors import ai_system_choices
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.risks import heatmap, selectors, services
from aims.risks.exports import risk_export
from aims.risks.forms import (
    ActionForm,
    ImportForm,
    MethodologyForm,
    RiskFilterForm,
    RiskForm,
)
from aims.risks.heatmap import register_query
from aims.risks.imports import FIELDS as IMPORT_COLUMNS
from aims.risks.imports import ImportRejected, risk_import
from aims.risks.models import ActionStatus

HISTORY_SHOWN = 30
SORTABLE = {"ref": "ref", "inherent": "-inherent", "residual": "-residual", "review": "review"}


def _systems(ctx) -> list[tuple[str, str]]:
    return ai_system_choices(ctx=ctx)


def _filter_form(request, ctx) -> RiskFilterForm:
    return RiskFilterForm(request.GET or None, owner_choices=member_choices(ctx=ctx),
                          system_choices=_systems(ctx))


# ---------------------------------------------------------------------------- register


@org_view
def risk_list(request):
    ctx = request.ctx
    form = _filter_form(request, ctx)
    filters = form.filters()
    qs = selectors.risk_list(ctx=ctx, filters=filters, tags=False)
    sorts = {}
    for column, first in SORTABLE.items():
        asc, desc = column, f"-{column}"
        current = filters.sort if filters.sort in (asc, desc) else None
        target = first if current is None else (desc if current == asc else asc)
        sorts[column] = {"url": "?" + register_query(filters, sort=target),
                         "aria": {asc: "ascending", desc: "descending"}.get(current, "")}
    cell = None
    if filters.basis and filters.likelihood and filters.impact:
        cell = {"basis": filters.basis, "likelihood": filters.likelihood,
                "impact": filters.impact, "clear": "?" + register_query(filters.without_cell())}
    heat = heatmap.heat_context(ctx, filters, id_prefix="register")
    return render(request, "risks/list.html", {
        "filter_form": form, "filters": filters, "filtered": filters.active, "cell": cell,
        "sorts": sorts, "export_query": register_query(filters),
        # A register larger than this is exported by a job (Prepare XLSX), with its progress.
        "export_params": parse_qsl(register_query(filters)),
        "export_inline_rows": settings.AIMS_EXPORT_INLINE_ROWS,
        # The heat maps already read the current methodology (none yet: no heat maps).
        "methodology": heat.get("heat_methodology"),
        **heat, **paginate(request, qs),
    })


@org_view
def risk_heatmap(request):
    ctx = request.ctx
    form = _filter_form(request, ctx)
    filters = form.filters()
    return render(request, "risks/heatmap.html", {
        "filter_form": form, "filtered": filters.without_cell().active,
        **heatmap.heat_context(ctx, filters, id_prefix="page"),
    })


@org_view
def risk_export_view(request, fmt):
    ctx = request.ctx
    filters = _filter_form(request, ctx).filters()
    try:
        return file_response(*risk_export(ctx=ctx, fmt=fmt, filters=filters))
    except ValidationError:
        messages.error(request, "Export as csv or xlsx.")
        return redirect("risks:list", ctx.org.slug)


@accepts_upload
@org_view
def risk_import_view(request):
    ctx = request.ctx
    ctx.require("risks.change")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                result = risk_import(ctx=ctx, text=form.cleaned_data["csv"])
            except ImportRejected as exc:
                # The whole file was rolled back; the report says which rows to correct.
                form.add_error(None, exc.message)
                problems = exc.problems
            else:
                refs = [r.ref for r in result.created]
                messages.success(request, f"Imported {len(refs)} risk{'s' if len(refs) != 1 else ''}"
                                          f": {', '.join(refs)}.")
                return redirect("risks:list", ctx.org.slug)
    return render(request, "risks/import.html", {
        "form": form, "problems": problems, "columns": list(IMPORT_COLUMNS)}, status=status)


# ---------------------------------------------------------------------------- one risk


def _form_choices(ctx) -> dict:
    return {"owner_choices": selectors.risk_owner_choices(ctx=ctx),
            "system_choices": _systems(ctx),
            "control_choices": selectors.control_choices(ctx=ctx)}


RISK_TABS = [Tab("overview", "Overview"), Tab("actions", "Treatment actions"),
             Tab("evidence", "Evidence"), Tab("history", "History")]


def _risk_tab_context(ctx, risk, tab: str) -> dict:
    """What the open tab of a risk's page needs (the other panels cost nothing)."""
    if tab == "overview":
        return {"methodology": selectors.methodology_current(ctx=ctx),
                "is_owner": ctx.user is not None and ctx.user.pk == risk.owner_id}
    if tab == "actions":
        return {"actions": list(selectors.action_list(ctx=ctx, risk_id=risk.pk)),
                "action_form": ActionForm(owner_choices=member_choices(ctx=ctx),
                                          initial={"owner": str(risk.owner_id or ""),
                                                   "status": ActionStatus.OPEN})}
    if tab == "history":
        # The risk's history tells its treatment actions' story too.
        actions = selectors.action_list(ctx=ctx, risk_id=risk.pk).values_list("pk", flat=True)
        return {"history": record_history(ctx=ctx, record=risk, also=list(actions),
                                          limit=HISTORY_SHOWN)}
    return {}


@org_view
def risk_detail(request, risk_id):
    """A risk's page: its summary, then one tab at a time (`?tab=`), loaded on demand."""
    ctx = request.ctx
    risk = selectors.risk_get(ctx=ctx, risk_id=risk_id)
    tab = current_tab(request, RISK_TABS)
    return render_tabbed(request, "risks/detail.html",
                         {"risk": risk, **_risk_tab_context(ctx, risk, tab.key)},
                         tabs=RISK_TABS, panels="risks/tabs/%s.html", label=f"About {risk.ref}")


@org_view
def risk_create(request):
    ctx = request.ctx
    ctx.require("risks.change")
    # Reading only: with no methodology yet the form offers the default scales, and the
    # service creates version 1 when the first risk is saved.
    methodology = selectors.methodology_for_form(ctx=ctx)
    initial = {"status": "identified"}
    if system := request.GET.get("system"):
        initial["ai_systems"] = [system]
    form = RiskForm(request.POST or None, methodology=methodology, initial=initial,
                    **_form_choices(ctx))
    done = submit(request, form, lambda: services.risk_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added {done.result.ref} to the risk register.")
        return redirect("risks:detail", ctx.org.slug, done.result.pk)
    return render(request, "risks/form.html", {
        "form": form, "risk": None, "methodology": methodology, "scales": methodology,
    }, status=done.status)


@org_view
def risk_edit(request, risk_id):
    ctx = request.ctx
    ctx.require("risks.change")
    risk = selectors.risk_get(ctx=ctx, risk_id=risk_id)
    methodology = selectors.methodology_for_form(ctx=ctx)
    outdated = risk.methodology_id != methodology.pk
    # Until someone ticks "rate again", an older risk is shown and saved on its own version's
    # scales: its scores may not exist on the current ones.
    rescoring = outdated and request.method == "POST" and bool(request.POST.get("rescore"))
    scales = risk.methodology if outdated and not rescoring else methodology
    form = RiskForm(request.POST or None, methodology=methodology,
                    rated_under=scales if scales is not methodology else None,
                    initial=RiskForm.initial_for(risk), offer_rescore=outdated,
                    **_form_choices(ctx))
    done = submit(request, form, lambda: services.risk_update(
        ctx=ctx, risk_id=risk.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.ref}.")
        return redirect("risks:detail", ctx.org.slug, risk.pk)
    return render(request, "risks/form.html", {
        "form": form, "risk": risk, "methodology": methodology, "outdated": outdated,
        "scales": scales,
    }, status=done.status)


risk_delete = org_view(DeletePage(
    perm="risks.change", get=selectors.risk_get, delete=services.risk_delete,
    kind="risk", back="risks:list", back_label="AI risk register",
    done="Deleted {obj.ref}. Its last values, links and treatment actions are kept in the "
         "activity log.",
    hint="If the risk no longer applies, set its status to closed instead: it then stays in "
         "the record. Linked controls stay applicable in the SoA.").view)


@require_POST
@org_view
def risk_accept(request, risk_id):
    ctx = request.ctx
    risk = services.risk_accept(ctx=ctx, risk_id=risk_id, version=posted_version(request))
    messages.success(request, f"You signed off the residual risk of {risk.ref}.")
    return redirect("risks:detail", ctx.org.slug, risk_id)


# ---------------------------------------------------------------------------- actions


def _actions_url(ctx, risk_id) -> str:
    return reverse("risks:detail", args=[ctx.org.slug, risk_id]) + "?tab=actions"


@org_view
def action_create(request, risk_id):
    ctx = request.ctx
    ctx.require("risks.change")
    risk = selectors.risk_get(ctx=ctx, risk_id=risk_id)
    form = ActionForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                      initial={"owner": str(risk.owner_id or ""), "status": ActionStatus.OPEN})
    done = submit(request, form, lambda: services.action_create(
        ctx=ctx, risk_id=risk.pk, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added the treatment action “{done.result.title}”.")
        return redirect(_actions_url(ctx, risk.pk))
    return render(request, "risks/action_form.html", {"form": form, "risk": risk,
                                                      "action": None}, status=done.status)


@org_view
def action_edit(request, risk_id, action_id):
    ctx = request.ctx
    ctx.require("risks.change")
    action = selectors.action_get(ctx=ctx, risk_id=risk_id, action_id=action_id)
    form = ActionForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                      initial=ActionForm.initial_for(action))
    done = submit(request, form, lambda: services.action_update(
        ctx=ctx, risk_id=risk_id, action_id=action.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the treatment action “{done.result.title}”.")
        return redirect(_actions_url(ctx, risk_id))
    return render(request, "risks/action_form.html",
                  {"form": form, "risk": action.risk, "action": action}, status=done.status)


@require_POST
@org_view
def action_complete(request, risk_id, action_id):
    ctx = request.ctx
    action = services.action_update(ctx=ctx, risk_id=risk_id, action_id=action_id,
                                    data={"status": ActionStatus.DONE}, version=posted_version(request))
    messages.success(request, f"Marked “{action.title}” done.")
    return redirect(_actions_url(ctx, risk_id))


action_delete = org_view(DeletePage(
    perm="risks.change", get=selectors.action_get, delete=services.action_delete,
    kind="treatment action", name="{obj.title}",
    back=lambda ctx, action: _actions_url(ctx, action.risk_id),
    back_label="{obj.risk.ref} {obj.risk.title}",
    done="Deleted the treatment action “{name}”. Its last values are kept in the activity log.",
    hint="If it was done, mark it done instead: it then stays in the record.").view)


# ---------------------------------------------------------------------------- methodology


@org_view
def methodology(request):
    ctx = request.ctx
    current = selectors.methodology_current(ctx=ctx)
    return render(request, "risks/methodology.html", {
        "current": current, "shown": current,
        "matrix": heatmap.matrix(current) if current else [],
        "versions": list(selectors.methodology_list(ctx=ctx)),
    })


@org_view
def methodology_version(request, number):
    ctx = request.ctx
    shown = selectors.methodology_get(ctx=ctx, number=number)
    current = selectors.methodology_current(ctx=ctx)
    return render(request, "risks/methodology_version.html", {
        "current": current, "shown": shown, "matrix": heatmap.matrix(shown),
    })


@org_view
def methodology_edit(request):
    ctx = request.ctx
    ctx.require("risks.change")
    current = selectors.methodology_current(ctx=ctx)
    form = MethodologyForm(request.POST or None, initial=MethodologyForm.initial_for(current))
    done = submit(request, form, lambda: services.methodology_version_create(
        ctx=ctx, data=form.service_data(), based_on=form.cleaned_data["based_on"]))
    if done.ok:
        messages.success(request, f"Saved version {done.result.number} of the risk methodology. "
                                  "Risks rated earlier keep their levels until re-scored.")
        return redirect("risks:methodology", ctx.org.slug)
    if getattr(form, "conflict", None):
        current = selectors.methodology_current(ctx=ctx)
    return render(request, "risks/methodology_form.html", {
        "form": form, "current": current,
        "next_number": (current.number if current else 0) + 1,
    }, status=done.status)
