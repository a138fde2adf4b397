from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.activity.selectors import record_history
from aims.core.paging import paginate
from aims.core.tabs import Tab, current_tab, render_tabbed
from aims.core.views import DeletePage, list_filters, posted_version, submit
from aims.inventory import gates, selectors, services
from aims.inventory.forms import (
    AISystemFilterForm,
    AISystemForm,
    DeploymentApprovalForm,
    ResourceFilterForm,
    ResourceForm,
    StageChangeForm,
    SystemChangeForm,
)
from aims.inventory.models import LifecycleStage
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices


@org_view
def system_list(request):
    ctx = request.ctx
    form = AISystemFilterForm(request.GET or None)
    filters = selectors.AISystemFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.AISystemFilters(
            q=d["q"], lifecycle_stage=d["lifecycle_stage"], eu_risk_class=d["eu_risk_class"],
            role=d["role"], status=d["status"],
            in_scope={"yes": True, "no": False}.get(d["in_scope"]))
    qs = selectors.ai_system_list(ctx=ctx, filters=filters)
    filtered = any(v not in ("", None) for v in filters.__dict__.values())
    return render(request, "inventory/list.html",
                  {"filter_form": form, "filtered": filtered, **paginate(request, qs)})


CHANGES_SHOWN = 20
HISTORY_SHOWN = 20
MOVES_SHOWN = 10


def _lifecycle_context(ctx, system) -> dict:
    """The lifecycle section: the deployment checklist, the latest moves and the forms."""
    retired = system.lifecycle_stage == LifecycleStage.RETIRED
    gate = None if retired else gates.deployment_checks(ctx=ctx, system=system)
    moves = list(selectors.lifecycle_record_list(ctx=ctx, system=system)[:MOVES_SHOWN + 1])
    return {
        "gate": gate, "approval": gate.approval if gate else None,
        "moves": moves[:MOVES_SHOWN], "more_moves": len(moves) > MOVES_SHOWN,
        # Where the system started, once the whole history is on the page.
        "entered_stage": None if len(moves) > MOVES_SHOWN else _entered_stage(system, moves),
        "stages": [(v, label, v == system.lifecycle_stage) for v, label in LifecycleStage.choices],
        "stage_form": StageChangeForm(
            system=system, initial={"version": system.version,
                                    "lifecycle_stage": _next_stage(system.lifecycle_stage)}),
        "approval_form": DeploymentApprovalForm(initial={"version": system.version}),
    }


def _entered_stage(system, moves) -> str | None:
    """The stage the system was entered in the inventory at (None when the history starts
    with its first stage rather than a move)."""
    if not moves:
        return system.get_lifecycle_stage_display()
    first = moves[-1].from_stage
    return LifecycleStage(first).label if first else None


def _next_stage(stage: str) -> str:
    order = LifecycleStage.values
    at = order.index(stage) if stage in order else 0
    return order[min(at + 1, len(order) - 1)] if stage != LifecycleStage.RETIRED else order[0]


SYSTEM_TABS = [
    Tab("overview", "Overview"), Tab("aiact", "EU AI Act"), Tab("risks", "Risks"),
    Tab("assessments", "Assessments"),
    Tab("objectives", "Objectives"), Tab("incidents", "Incidents"), Tab("audits", "Audits"),
    Tab("findings", "Security findings"), Tab("people", "People & suppliers"),
    Tab("evidence", "Evidence"),
    Tab("tasks", "Tasks"), Tab("changes", "Change log"), Tab("history", "History"),
]


def _tab_context(ctx, system, tab: str) -> dict:
    """What the open tab of a system's page needs (the other panels cost nothing)."""
    if tab == "overview":
        return _lifecycle_context(ctx, system)
    if tab == "changes":
        # One row more than shown says whether older changes exist, without counting them.
        changes = list(selectors.system_change_list(ctx=ctx, system=system)[:CHANGES_SHOWN + 1])
        return {"changes": changes[:CHANGES_SHOWN], "more_changes": len(changes) > CHANGES_SHOWN,
                "change_form": SystemChangeForm(initial={"changed_on": timezone.localdate()})}
    if tab == "history":
        return {"history": record_history(ctx=ctx, record=system, limit=HISTORY_SHOWN)}
    if tab == "people":
        return {"resources": selectors.resources_for_system(ctx=ctx, system=system)}
    return {}


@org_view
def system_detail(request, system_id):
    """A system's page: its summary, then one tab at a time (`?tab=`), loaded on demand."""
    ctx = request.ctx
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    tab = current_tab(request, SYSTEM_TABS)
    return render_tabbed(request, "inventory/detail.html",
                         {"system": system, **_tab_context(ctx, system, tab.key)},
                         tabs=SYSTEM_TABS, panels="inventory/tabs/%s.html",
                         label=f"About {system.name}")


@org_view
def change_create(request, system_id):
    ctx = request.ctx
    ctx.require("inventory.change")
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    form = SystemChangeForm(request.POST or None, initial={"changed_on": timezone.localdate()})
    done = submit(request, form, lambda: services.system_change_record(
        ctx=ctx, system_id=system.pk, data=form.service_data()))
    if done.ok:
        note = (" As it is significant, the system's current impact assessment, if it has one, "
                "now needs re-assessment." if done.result.significant else "")
        messages.success(request, f"Recorded the change to {system.name}.{note}")
        return redirect(reverse("inventory:detail", args=[ctx.org.slug, system.pk])
                        + "?tab=changes")
    return render(request, "inventory/change_form.html",
                  {"system": system, "form": form}, status=done.status)


@org_view
def system_create(request):
    ctx = request.ctx
    ctx.require("inventory.change")
    form = AISystemForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                        initial={"roles": ["deployer"]})
    done = submit(request, form,
                  lambda: services.ai_system_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added {done.result.name} to the inventory.")
        return redirect("inventory:detail", ctx.org.slug, done.result.pk)
    return render(request, "inventory/form.html", {"form": form, "system": None},
                  status=done.status)


@org_view
def system_edit(request, system_id):
    ctx = request.ctx
    ctx.require("inventory.change")
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    initial = {name: getattr(system, name) for name in (
        "name", "intended_purpose", "description", "business_unit", "lifecycle_stage", "roles",
        "in_scope", "scope_justification", "deployment_context", "affected_parties",
        "data_categories", "processes_personal_data", "human_oversight",
        "third_party_components", "eu_risk_class", "eu_class_override_reason", "status",
        "version")}
    initial["owner"] = str(system.owner_id or "")
    form = AISystemForm(request.POST or None, initial=initial,
                        owner_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.ai_system_update(
        ctx=ctx, system_id=system.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.name}.")
        return redirect("inventory:detail", ctx.org.slug, system.pk)
    return render(request, "inventory/form.html", {"form": form, "system": system},
                  status=done.status)


@require_POST
@org_view
def system_retire(request, system_id):
    ctx = request.ctx
    system = services.ai_system_retire(ctx=ctx, system_id=system_id, version=posted_version(request))
    messages.success(request, f"{system.name} is retired. It stays in the record.")
    return redirect("inventory:detail", ctx.org.slug, system_id)


@require_POST
@org_view
def system_delete(request, system_id):
    ctx = request.ctx
    services.ai_system_delete(ctx=ctx, system_id=system_id, version=posted_version(request))
    messages.success(request, "The AI system was deleted; its last values are in the activity log.")
    return redirect("inventory:list", ctx.org.slug)


# ---------------------------------------------------------------------------- lifecycle


@org_view
def stage_change(request, system_id):
    """Move a system to another stage; a refused move to deployed lists what is missing."""
    ctx = request.ctx
    ctx.require("inventory.change")
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    form = StageChangeForm(request.POST or None, system=system, initial={
        "version": system.version, "lifecycle_stage": request.GET.get("to")
        or _next_stage(system.lifecycle_stage)})
    done = submit(request, form, lambda: services.ai_system_stage_change(
        ctx=ctx, system_id=system.pk, to_stage=form.cleaned_data["lifecycle_stage"],
        version=form.cleaned_data["version"], note=form.cleaned_data["note"]))
    if done.ok:
        messages.success(request, f"{system.name} moved to "
                                  f"{done.result.get_lifecycle_stage_display()}. The move is in "
                                  "its lifecycle history.")
        return redirect(reverse("inventory:detail", args=[ctx.org.slug, system.pk])
                        + "#lifecycle")
    if getattr(form, "conflict", None):
        system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    to_stage = (form.data.get("lifecycle_stage") if form.is_bound
                else form.initial.get("lifecycle_stage"))
    gate = gates.stage_gate(ctx=ctx, system=system,
                            to_stage=to_stage if to_stage in LifecycleStage.values
                            else LifecycleStage.DEPLOYED)
    return render(request, "inventory/stage_form.html",
                  {"system": system, "form": form, "gate": gate}, status=done.status)


@org_view
def approve(request, system_id):
    """An owner or admin approves a system's deployment, seeing the other checks first."""
    ctx = request.ctx
    ctx.require("lifecycle.approve")
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    form = DeploymentApprovalForm(request.POST or None, initial={"version": system.version})
    done = submit(request, form, lambda: services.deployment_approval_create(
        ctx=ctx, system_id=system.pk, version=form.cleaned_data["version"],
        note=form.cleaned_data["note"]))
    if done.ok:
        messages.success(request, f"Recorded your approval to deploy {system.name}. It stands "
                                  "until a significant change or a move out of deployed.")
        return redirect(reverse("inventory:detail", args=[ctx.org.slug, system.pk])
                        + "#lifecycle")
    if getattr(form, "conflict", None):
        system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    return render(request, "inventory/approve_form.html", {
        "system": system, "form": form,
        "gate": gates.deployment_checks(ctx=ctx, system=system)}, status=done.status)


@org_view
def lifecycle(request, system_id):
    """A system's whole lifecycle history and every deployment approval, paged."""
    ctx = request.ctx
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    approvals = list(selectors.deployment_approval_list(ctx=ctx, system=system)[:51])
    return render(request, "inventory/lifecycle.html", {
        "system": system, "approvals": approvals[:50], "more_approvals": len(approvals) > 50,
        **paginate(request, selectors.lifecycle_record_list(ctx=ctx, system=system))})


# ---------------------------------------------------------------------------- resources


@org_view
def resource_list(request):
    ctx = request.ctx
    form = ResourceFilterForm(request.GET or None,
                              system_choices=selectors.ai_system_choices(ctx=ctx))
    filters, filtered = list_filters(form, selectors.ResourceFilters)
    return render(request, "inventory/resource_list.html", {
        "filter_form": form, "filtered": filtered,
        **paginate(request, selectors.resource_list(ctx=ctx, filters=filters))})


@org_view
def resource_detail(request, resource_id):
    ctx = request.ctx
    resource = selectors.resource_get(ctx=ctx, resource_id=resource_id)
    return render(request, "inventory/resource_detail.html", {"resource": resource})


@org_view
def resource_create(request):
    ctx = request.ctx
    ctx.require("inventory.change")
    initial = {"kind": request.GET.get("kind") or "data"}
    if system := request.GET.get("system"):
        initial["ai_systems"] = [system]
    form = ResourceForm(request.POST or None, initial=initial,
                        owner_choices=member_choices(ctx=ctx),
                        system_choices=selectors.ai_system_choices(ctx=ctx))
    done = submit(request, form,
                  lambda: services.resource_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added the resource “{done.result.name}”.")
        return redirect("inventory:resource_detail", ctx.org.slug, done.result.pk)
    return render(request, "inventory/resource_form.html",
                  {"form": form, "resource": None}, status=done.status)


@org_view
def resource_edit(request, resource_id):
    ctx = request.ctx
    ctx.require("inventory.change")
    resource = selectors.resource_get(ctx=ctx, resource_id=resource_id)
    form = ResourceForm(request.POST or None, initial=ResourceForm.initial_for(resource),
                        owner_choices=member_choices(ctx=ctx),
                        system_choices=selectors.ai_system_choices(ctx=ctx))
    done = submit(request, form, lambda: services.resource_update(
        ctx=ctx, resource_id=resource.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the resource “{done.result.name}”.")
        return redirect("inventory:resource_detail", ctx.org.slug, resource.pk)
    return render(request, "inventory/resource_form.html",
                  {"form": form, "resource": resource}, status=done.status)


resource_delete = org_view(DeletePage(
    perm="inventory.change", get=selectors.resource_get, delete=services.resource_delete,
    kind="resource", name="{obj.name}", back="inventory:resources", back_label="Resources",
    done="Deleted the resource “{name}”. Its last values are kept in the activity log.").view)
