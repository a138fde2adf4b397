from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aims.activity.selectors import record_history
from aims.core.errors import NotFound
from aims.core.paging import paginate
from aims.core.views import DeletePage, list_filters, submit
from aims.inventory.selectors import ai_system_choices
from aims.objectives import selectors, services
from aims.objectives.forms import (
    MeasurementForm,
    MonitorFilterForm,
    MonitorForm,
    MonitorResultForm,
    ObjectiveFilterForm,
    ObjectiveForm,
)
from aims.objectives.models import with_unit
from aims.objectives.tracking import next_due, progress
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices

HISTORY_ROWS = 20


def _system_choices(ctx) -> list[tuple[str, str]]:
    return ai_system_choices(ctx=ctx, mark_retired=True)


@org_view
def objective_list(request):
    ctx = request.ctx
    owners = member_choices(ctx=ctx)
    form = ObjectiveFilterForm(request.GET or None, owner_choices=owners)
    filters, filtered = list_filters(form, selectors.ObjectiveFilters)
    qs = selectors.objective_list(ctx=ctx, filters=filters)
    return render(request, "objectives/list.html",
                  {"filter_form": form, "filtered": filtered, **paginate(request, qs)})


def _detail(request, objective, *, form=None, status=200):
    ctx = request.ctx
    measurements = list(selectors.measurement_list(ctx=ctx, objective=objective))
    for m in measurements:
        m.meets = objective.meets_target(m.value)
    if form is None and ctx.can("objectives.change"):
        form = MeasurementForm()
    return render(request, "objectives/detail.html", {
        "objective": objective,
        "measurements": measurements[::-1],  # newest first in the table
        "chart_measurements": measurements,
        "latest_text": with_unit(objective.latest_value, objective.unit),
        "progress": progress(baseline=objective.baseline, target=objective.target,
                            direction=objective.direction, latest=objective.latest_value),
        "next_due": next_due(frequency=objective.frequency, latest_on=objective.latest_on),
        "measurement_form": form,
        "history": record_history(
            ctx=ctx, record=objective, limit=HISTORY_ROWS,
            events=selectors.objective_history(ctx=ctx, objective=objective)),
    }, status=status)


@org_view
def objective_detail(request, objective_id):
    objective = selectors.objective_get(ctx=request.ctx, objective_id=objective_id)
    return _detail(request, objective)


@org_view
def objective_create(request):
    ctx = request.ctx
    ctx.require("objectives.change")
    form = ObjectiveForm(request.POST or None, owner_choices=member_choices(ctx=ctx),
                         system_choices=_system_choices(ctx),
                         initial={"status": "active", "frequency": "quarterly",
                                  "direction": "higher"})
    done = submit(request, form,
                  lambda: services.objective_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Set the objective “{done.result.title}”. Record its first "
                                  "measurement below.")
        return redirect("objectives:detail", ctx.org.slug, done.result.pk)
    return render(request, "objectives/form.html", {"form": form, "objective": None},
                  status=done.status)


@org_view
def objective_edit(request, objective_id):
    ctx = request.ctx
    ctx.require("objectives.change")
    objective = selectors.objective_get(ctx=ctx, objective_id=objective_id)
    form = ObjectiveForm(request.POST or None, initial=ObjectiveForm.initial_for(objective),
                         owner_choices=member_choices(ctx=ctx),
                         system_choices=_system_choices(ctx))
    done = submit(request, form, lambda: services.objective_update(
        ctx=ctx, objective_id=objective.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the objective “{done.result.title}”.")
        return redirect("objectives:detail", ctx.org.slug, objective.pk)
    return render(request, "objectives/form.html", {"form": form, "objective": objective},
                  status=done.status)


objective_delete = org_view(DeletePage(
    perm="objectives.change", get=selectors.objective_get, delete=services.objective_delete,
    kind="objective", name="{obj.title}", back="objectives:list", back_label="AI objectives",
    done="Deleted the objective “{name}” and its measurements. Their last values are kept in "
         "the activity log.",
    hint="Its measurements are deleted with it. If the objective was real but is no longer "
         "pursued, edit it and set its status to Abandoned instead: it then stays in the "
         "record.").view)


@require_POST
@org_view
def measurement_add(request, objective_id):
    ctx = request.ctx
    ctx.require("objectives.change")
    objective = selectors.objective_get(ctx=ctx, objective_id=objective_id)
    form = MeasurementForm(request.POST)
    done = submit(request, form, lambda: services.measurement_create(
        ctx=ctx, objective_id=objective.pk, data=form.cleaned_data))
    if done.ok:
        value = with_unit(done.result.value, objective.unit)
        messages.success(request, f"Recorded {value} for {done.result.measured_on.isoformat()}.")
        return redirect("objectives:detail", ctx.org.slug, objective.pk)
    return _detail(request, objective, form=form, status=done.status)


def _measurement_get(*, ctx, objective_id, measurement_id):
    objective = selectors.objective_get(ctx=ctx, objective_id=objective_id)
    return selectors.measurement_get(ctx=ctx, objective=objective, measurement_id=measurement_id)


def _dated(value, unit, day) -> str:
    """A measurement or a result as its delete page names it: "42 % on 2025-03-31"."""
    return f"{with_unit(value, unit)} on {day.isoformat()}"


measurement_delete = org_view(DeletePage(
    perm="objectives.change", get=_measurement_get, delete=services.measurement_delete,
    kind="measurement", name=lambda _, m: _dated(m.value, m.objective.unit, m.measured_on),
    back=lambda ctx, m: reverse("objectives:detail", args=[ctx.org.slug, m.objective_id]),
    back_label="{obj.objective.title}",
    done="Deleted the measurement {name}. Its values are kept in the activity log.",
    hint="To correct a value, delete it here and record the right one on the objective's "
         "page; both steps are logged.").view)


# ------------------------------------------------------------------ monitoring (9.1)


@org_view
def monitor_list(request):
    """The monitoring plan: what is watched and how, with the objectives beside it."""
    ctx = request.ctx
    systems = _system_choices(ctx)
    form = MonitorFilterForm(request.GET or None, system_choices=systems)
    filters, filtered = list_filters(form, selectors.MonitorFilters)
    qs = selectors.monitor_list(ctx=ctx, filters=filters)
    objectives = selectors.objective_list(
        ctx=ctx, filters=selectors.ObjectiveFilters(status="active"), recent=False)
    return render(request, "objectives/monitor_list.html", {
        "filter_form": form, "filtered": filtered, "objectives": objectives,
        **paginate(request, qs)})


def _monitor_detail(request, monitor, *, form=None, status=200):
    ctx = request.ctx
    if form is None and ctx.can("monitoring.change") and monitor.active:
        form = MonitorResultForm()
    return render(request, "objectives/monitor_detail.html", {
        "monitor": monitor, "result_form": form,
        **paginate(request, selectors.monitor_result_list(ctx=ctx, monitor=monitor)),
    }, status=status)


@org_view
def monitor_detail(request, monitor_id):
    return _monitor_detail(request, selectors.monitor_get(ctx=request.ctx, monitor_id=monitor_id))


def _monitor_form_page(request, monitor):
    ctx = request.ctx
    ctx.require("monitoring.change")
    initial = (MonitorForm.initial_for(monitor) if monitor else
               {"frequency": "monthly", "active": True,
                "ai_system": request.GET.get("ai_system", "")})
    form = MonitorForm(request.POST or None, initial=initial,
                       owner_choices=member_choices(ctx=ctx), system_choices=_system_choices(ctx))
    if monitor is None:
        done = submit(request, form, lambda: services.monitor_create(
            ctx=ctx, data=form.service_data()))
    else:
        done = submit(request, form, lambda: services.monitor_update(
            ctx=ctx, monitor_id=monitor.pk, data=form.service_data(),
            version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the monitor {done.result.ref} “{done.result.name}”.")
        return redirect("objectives:monitor_detail", ctx.org.slug, done.result.pk)
    return render(request, "objectives/monitor_form.html", {"form": form, "monitor": monitor},
                  status=done.status)


@org_view
def monitor_create(request):
    return _monitor_form_page(request, None)


@org_view
def monitor_edit(request, monitor_id):
    return _monitor_form_page(request, selectors.monitor_get(ctx=request.ctx,
                                                             monitor_id=monitor_id))


monitor_delete = org_view(DeletePage(
    perm="monitoring.change", get=selectors.monitor_get, delete=services.monitor_delete,
    kind="monitor", back="objectives:monitors", back_label="Monitoring and measurement",
    done="Deleted the monitor {obj.ref}.",
    hint="Only a monitor without results can be deleted; one with results is made inactive "
         "instead, so its results stay on record.").view)


@require_POST
@org_view
def result_add(request, monitor_id):
    ctx = request.ctx
    ctx.require("monitoring.change")
    monitor = selectors.monitor_get(ctx=ctx, monitor_id=monitor_id)
    form = MonitorResultForm(request.POST)
    done = submit(request, form, lambda: services.monitor_result_record(
        ctx=ctx, monitor_id=monitor.pk, data=form.cleaned_data))
    if done.ok:
        r = done.result
        text = f"Recorded {with_unit(r.value, monitor.unit)} for {r.measured_on.isoformat()}."
        if r.breached:
            messages.warning(request, f"{text} It is outside the thresholds "
                                      f"({r.thresholds}): decide below whether it calls for an "
                                      "incident or a nonconformity.")
        else:
            messages.success(request, text)
        return redirect("objectives:monitor_detail", ctx.org.slug, monitor.pk)
    return _monitor_detail(request, monitor, form=form, status=done.status)


def _result_get(*, ctx, monitor_id, result_id):
    monitor = selectors.monitor_get(ctx=ctx, monitor_id=monitor_id)
    result = selectors.monitor_result_get(ctx=ctx, result_id=result_id)
    if result.monitor_id != monitor.pk:
        raise NotFound("Result not found.")
    return result


result_delete = org_view(DeletePage(
    perm="monitoring.change", get=_result_get, delete=services.monitor_result_delete,
    kind="result", name=lambda _, r: _dated(r.value, r.monitor.unit, r.measured_on),
    back=lambda ctx, r: reverse("objectives:monitor_detail", args=[ctx.org.slug, r.monitor_id]),
    back_label="{obj.monitor}",
    done="Deleted the result {name}. Its values are kept in the activity log.",
    hint="To correct a value, delete it here and record the right one.").view)
