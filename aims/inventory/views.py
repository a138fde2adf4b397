from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.activity.selectors import EventFilters, event_change_lines, event_list
from aims.core.paging import paginate
from aims.core.views import posted_version, submit
from aims.inventory import selectors, services
from aims.inventory.forms import AISystemFilterForm, AISystemForm, SystemChangeForm
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices


def _render(request, template, context, status=200):
    return render(request, template, {"active_area": "inventory", **context}, status=status)


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
    return _render(request, "inventory/list.html",
                   {"filter_form": form, "filtered": filtered, **paginate(request, qs)})


CHANGES_SHOWN = 20


def _detail_context(ctx, system, change_form=None) -> dict:
    events = list(event_list(ctx=ctx, filters=EventFilters(object_id=str(system.pk)))[:20])
    lines = event_change_lines(events)
    # One row more than shown says whether older changes exist, without counting them.
    changes = list(selectors.system_change_list(ctx=ctx, system_id=system.pk)[:CHANGES_SHOWN + 1])
    return {"system": system, "events": [(e, lines[e.pk]) for e in events],
            "changes": changes[:CHANGES_SHOWN], "more_changes": len(changes) > CHANGES_SHOWN,
            "change_form": change_form or SystemChangeForm(
                initial={"changed_on": timezone.localdate()})}


@org_view
def system_detail(request, system_id):
    ctx = request.ctx
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    return _render(request, "inventory/detail.html", _detail_context(ctx, system))


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
        return redirect("inventory:detail", ctx.org.slug, system.pk)
    return _render(request, "inventory/change_form.html",
                   {"system": system, "form": form}, done.status)


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
    return _render(request, "inventory/form.html", {"form": form, "system": None}, done.status)


@org_view
def system_edit(request, system_id):
    ctx = request.ctx
    ctx.require("inventory.change")
    system = selectors.ai_system_get(ctx=ctx, system_id=system_id)
    initial = {name: getattr(system, name) for name in (
        "name", "intended_purpose", "description", "business_unit", "lifecycle_stage", "roles",
        "in_scope", "scope_justification", "deployment_context", "affected_parties",
        "data_categories", "processes_personal_data", "human_oversight",
        "third_party_components", "eu_risk_class", "status", "version")}
    initial["owner"] = str(system.owner_id or "")
    form = AISystemForm(request.POST or None, initial=initial,
                        owner_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.ai_system_update(
        ctx=ctx, system_id=system.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.name}.")
        return redirect("inventory:detail", ctx.org.slug, system.pk)
    return _render(request, "inventory/form.html", {"form": form, "system": system}, done.status)


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
