"""Incidents, the nonconformity register and improvement opportunities: the web pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.activity.selectors import record_history
from aims.catalog.models import Requirement
from aims.catalog.selectors import ISO42001, framework_get, requirement_list
from aims.core.errors import ValidationError
from aims.core.forms import VersionedForm
from aims.core.paging import paginate
from aims.core.responses import file_response
from aims.core.tabs import Tab, current_tab, render_tabbed
from aims.core.views import DeletePage, submit
from aims.improvement import origins, selectors, services
from aims.improvement.exports import nonconformity_export
from aims.improvement.forms import (
    ActionForm,
    CompleteForm,
    ImprovementFilterForm,
    ImprovementForm,
    IncidentFilterForm,
    IncidentForm,
    NcFilterForm,
    NonconformityForm,
    VerifyForm,
)
from aims.improvement.models import Effectiveness
from aims.improvement.reports import serious_report_pdf
from aims.inventory.selectors import ai_system_list
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.records.kinds import kind_of, linked, options, resolve


def _systems(ctx) -> list[tuple[str, str]]:
    return [(str(s.pk), s.name) for s in ai_system_list(ctx=ctx)]


def _requirements() -> list[tuple[str, str]]:
    reqs = requirement_list(framework=framework_get(code=ISO42001))
    return [(r.ref, f"{r.ref} {r.title}") for r in reqs
            if r.kind != Requirement.Kind.OBJECTIVE]


def _origin(request):
    """The record named by ?origin_kind=&origin_id= (or the posted hidden fields), if any."""
    source = request.POST if request.method == "POST" else request.GET
    kind, pk = source.get("origin_kind", ""), source.get("origin_id", "")
    if not kind and not pk:
        return None
    return services.origin_get(ctx=request.ctx, kind=kind, pk=pk)


def _form_value(value):
    if isinstance(value, Requirement):
        return value.ref
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


def _prefill(defaults: dict, origin) -> dict:
    initial = {k: _form_value(v) for k, v in defaults.items()}
    if origin is not None:
        initial["origin_kind"], initial["origin_id"] = kind_of(origin).key, str(origin.pk)
    return initial


def _origin_item(ctx, obj):
    """What a page shows for the record `obj` was raised from (None when there is none)."""
    if not obj.subject_ref:
        return None
    return resolve(ctx=ctx, refs=[obj.subject_ref]).get(obj.subject_ref)


# ---------------------------------------------------------------------------- incidents


@org_view
def incident_list(request):
    ctx = request.ctx
    form = IncidentFilterForm(request.GET or None, owner_choices=member_choices(ctx=ctx),
                              system_choices=_systems(ctx))
    filters = selectors.IncidentFilters(**form.cleaned_data) if form.is_valid() \
        else selectors.IncidentFilters()
    qs = selectors.incident_list(ctx=ctx, filters=filters)
    return render(request, "improvement/incident_list.html", {
        "filter_form": form, "filtered": filters.active, **paginate(request, qs)})


def _incident_form_page(request, incident):
    ctx = request.ctx
    ctx.require("improvement.change" if incident else "improvement.raise")
    origin = None if incident else _origin(request)
    if incident:
        initial = IncidentForm.initial_for(incident)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"occurred_at": now, "detected_at": now, "status": "open",
                   **_prefill(origins.incident_defaults(origin) if origin else {}, origin)}
    form = IncidentForm(request.POST or None, initial=initial,
                        owner_choices=member_choices(ctx=ctx), system_choices=_systems(ctx))
    if incident is None:
        done = submit(request, form, lambda: services.incident_create(
            ctx=ctx, data=form.service_data(), origin=origin))
    else:
        done = submit(request, form, lambda: services.incident_update(
            ctx=ctx, incident_id=incident.pk, data=form.service_data(),
            version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the incident {done.result.ref}.")
        return redirect("improvement:incident_detail", ctx.org.slug, done.result.pk)
    return render(request, "improvement/incident_form.html", {
        "form": form, "incident": incident,
        "origin": linked(origin, ctx.org.slug) if origin else None}, status=done.status)


@org_view
def incident_create(request):
    return _incident_form_page(request, None)


@org_view
def incident_edit(request, incident_id):
    return _incident_form_page(request, selectors.incident_get(ctx=request.ctx,
                                                               incident_id=incident_id))


@org_view
def incident_detail(request, incident_id):
    ctx = request.ctx
    incident = selectors.incident_get(ctx=ctx, incident_id=incident_id)
    return render(request, "improvement/incident_detail.html", {
        "incident": incident, "origin": _origin_item(ctx, incident),
        "now": timezone.now()})


@org_view
def incident_serious_report(request, incident_id):
    """The draft of the serious-incident report (Art. 73) as a PDF."""
    ctx = request.ctx
    try:
        return file_response(*serious_report_pdf(ctx=ctx, incident_id=incident_id))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("improvement:incident_detail", ctx.org.slug, incident_id)


incident_delete = org_view(DeletePage(
    perm="improvement.change", get=selectors.incident_get, delete=services.incident_delete,
    kind="incident", back="improvement:incidents", back_label="Incidents",
    done="Deleted the incident {obj.ref}. Its last values are kept in the activity log.",
    hint="Delete only an incident recorded by mistake; a real incident, however small, is "
         "closed instead and stays on record.").view)


@require_POST
@org_view
def incident_raise_nc(request, incident_id):
    """Raise a nonconformity from the incident in one step, then refine it on its page."""
    ctx = request.ctx
    ctx.require("improvement.raise")
    incident = selectors.incident_get(ctx=ctx, incident_id=incident_id)
    try:
        nc = services.incident_raise_nonconformity(ctx=ctx, incident_id=incident.pk)
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("improvement:incident_detail", ctx.org.slug, incident.pk)
    messages.success(request, f"Raised {nc.ref} from {incident.ref}. Record the root cause "
                              "and plan corrective actions.")
    return redirect("improvement:nc_detail", ctx.org.slug, nc.pk)


# ---------------------------------------------------------------------------- nonconformities


def _nc_filters(request) -> tuple[NcFilterForm, selectors.NcFilters]:
    form = NcFilterForm(request.GET or None, owner_choices=member_choices(ctx=request.ctx))
    filters = selectors.NcFilters(**form.cleaned_data) if form.is_valid() \
        else selectors.NcFilters()
    return form, filters


@org_view
def nc_list(request):
    """The nonconformity register, with its ageing summary."""
    ctx = request.ctx
    form, filters = _nc_filters(request)
    qs = selectors.nonconformity_list(ctx=ctx, filters=filters)
    today = timezone.localdate()
    context = paginate(request, qs)
    for nc in context["page"].object_list:
        nc.age_days = nc.days_open(today)
    return render(request, "improvement/nc_list.html", {
        "filter_form": form, "filtered": filters.active, "ageing": selectors.ageing(ctx=ctx),
        "export_query": request.GET.urlencode(), **context})


@org_view
def nc_overdue(request):
    """Corrective actions past their due date, with the nonconformity each belongs to."""
    ctx = request.ctx
    today = timezone.localdate()
    rows = [{"task": t, "nc": nc, "days": (today - t.due_date).days}
            for t, nc in selectors.overdue_actions(ctx=ctx, today=today)]
    return render(request, "improvement/nc_overdue.html", {
        "rows": rows, "ageing": selectors.ageing(ctx=ctx)})


@org_view
def nc_export(request, fmt):
    ctx = request.ctx
    _, filters = _nc_filters(request)
    try:
        return file_response(*nonconformity_export(ctx=ctx, fmt=fmt, filters=filters))
    except ValidationError:
        messages.error(request, "Export as csv or xlsx.")
        return redirect("improvement:nc_list", ctx.org.slug)


def _nc_form(request, nc, *, origin=None):
    ctx = request.ctx
    if nc is not None:
        initial = NonconformityForm.initial_for(nc)
    else:
        initial = {"raised_on": timezone.localdate(), "severity": "minor",
                   **_prefill(origins.nonconformity_defaults(origin) if origin else {}, origin)}
    return NonconformityForm(request.POST or None, initial=initial,
                             owner_choices=member_choices(ctx=ctx),
                             requirement_choices=_requirements(), analysis=nc is not None)


@org_view
def nc_create(request):
    ctx = request.ctx
    ctx.require("improvement.raise")
    origin = _origin(request)
    form = _nc_form(request, None, origin=origin)
    done = submit(request, form, lambda: services.nonconformity_create(
        ctx=ctx, data=form.service_data(), origin=origin))
    if done.ok:
        messages.success(request, f"Raised {done.result.ref}. Next: record the root cause and "
                                  "plan corrective actions.")
        return redirect("improvement:nc_detail", ctx.org.slug, done.result.pk)
    return render(request, "improvement/nc_form.html", {
        "form": form, "nc": None, "origin": linked(origin, ctx.org.slug) if origin else None},
        status=done.status)


@org_view
def nc_edit(request, nc_id):
    ctx = request.ctx
    ctx.require("improvement.change")
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    form = _nc_form(request, nc)
    done = submit(request, form, lambda: services.nonconformity_update(
        ctx=ctx, nc_id=nc.pk, data=form.service_data(), version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.ref}.")
        return redirect("improvement:nc_detail", ctx.org.slug, nc.pk)
    return render(request, "improvement/nc_form.html", {"form": form, "nc": nc}, status=done.status)


NC_TABS = [Tab("overview", "Overview"), Tab("actions", "Corrective actions"),
           Tab("evidence", "Evidence"), Tab("history", "History")]
HISTORY_SHOWN = 30


def _nc_tab_context(ctx, nc, tab, action_form):
    """What the open tab of a nonconformity's page needs (the other panels cost nothing)."""
    if tab == "overview":
        return {"origin": _origin_item(ctx, nc), "age_days": nc.days_open(),
                "close_problems": [] if nc.is_closed else services.close_problems(ctx, nc),
                "incidents": list(nc.incidents.all().order_by("number")),
                "close_form": VersionedForm(initial={"version": nc.version})}
    if tab == "actions":
        actions = selectors.action_list(ctx=ctx, nc=nc)
        may_change = ctx.can("improvement.change")
        if action_form is None and may_change and not nc.is_closed:
            action_form = ActionForm(owner_choices=member_choices(ctx=ctx))
        user_id = getattr(ctx.user, "pk", None)
        for a in actions:
            a.may_complete = not a.is_closed and (may_change or a.owner_id == user_id)
        return {"actions": actions, "action_form": action_form}
    if tab == "history":
        # The nonconformity's history tells its corrective actions' story too.
        action_ids = [a.pk for a in selectors.action_list(ctx=ctx, nc=nc)]
        return {"history": record_history(ctx=ctx, record=nc, also=action_ids,
                                          limit=HISTORY_SHOWN)}
    return {}


def _nc_detail(request, nc, *, action_form=None, status=200, tab: str | None = None):
    """A nonconformity's page: its summary, then one tab at a time (`?tab=`); a form re-shown
    with its errors opens the tab it lives in."""
    ctx = request.ctx
    chosen = next((t for t in NC_TABS if t.key == tab), None) or current_tab(request, NC_TABS)
    return render_tabbed(request, "improvement/nc_detail.html",
                         {"nc": nc, **_nc_tab_context(ctx, nc, chosen.key, action_form)},
                         tabs=NC_TABS, panels="improvement/nc_tabs/%s.html", tab=chosen,
                         status=status, label=f"About {nc.ref}")


@org_view
def nc_detail(request, nc_id):
    return _nc_detail(request, selectors.nonconformity_get(ctx=request.ctx, nc_id=nc_id))


nc_delete = org_view(DeletePage(
    perm="improvement.change", get=selectors.nonconformity_get,
    delete=services.nonconformity_delete, kind="nonconformity", back="improvement:nc_list",
    back_label="Nonconformities",
    done="Deleted {obj.ref}. Its last values are kept in the activity log.",
    hint="Only a nonconformity raised by mistake, without corrective actions or linked "
         "incidents, can be deleted. A real one is closed once its actions have proved "
         "effective.").view)


@require_POST
@org_view
def nc_action_add(request, nc_id):
    ctx = request.ctx
    ctx.require("improvement.change")
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    form = ActionForm(request.POST, owner_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.nonconformity_action_create(
        ctx=ctx, nc_id=nc.pk, data=form.cleaned_data))
    if done.ok:
        messages.success(request, f"Planned the corrective action {done.result.ref}.")
        return redirect(reverse("improvement:nc_detail", args=[ctx.org.slug, nc.pk])
                        + "?tab=actions")
    return _nc_detail(request, nc, action_form=form, status=done.status, tab="actions")


@require_POST
@org_view
def nc_action_complete(request, nc_id, corrective_action_id):
    ctx = request.ctx
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    action = selectors.action_get(ctx=ctx, nc=nc, action_id=corrective_action_id)
    form = CompleteForm(request.POST)
    done = submit(request, form, lambda: services.nonconformity_action_complete(
        ctx=ctx, nc_id=nc.pk, action_id=action.pk, version=form.cleaned_data["version"],
        note=form.cleaned_data["note"]))
    if done.ok:
        messages.success(request, f"Completed {action.ref}.")
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors())
                       or f"{action.ref} could not be completed: reload the page and try again.")
    return redirect(reverse("improvement:nc_detail", args=[ctx.org.slug, nc.pk]) + "?tab=actions")


@org_view
def nc_verify(request, nc_id):
    ctx = request.ctx
    ctx.require("improvement.verify")
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    evidence = options(ctx=ctx, kind="evidence", limit=200)
    form = VerifyForm(request.POST or None, initial={"version": nc.version},
                      evidence_choices=evidence)
    done = submit(request, form, lambda: services.nonconformity_verify(
        ctx=ctx, nc_id=nc.pk, version=form.cleaned_data["version"], data={
            "result": form.cleaned_data["result"],
            "verified_on": form.cleaned_data["verified_on"],
            "notes": form.cleaned_data["notes"],
            "evidence": form.cleaned_data.get("evidence") or []}))
    if done.ok:
        if done.result.verification_result == Effectiveness.EFFECTIVE:
            messages.success(request, f"Recorded that the actions on {nc.ref} were effective. "
                                      "It can now be closed.")
        else:
            messages.warning(request, f"Recorded that the actions on {nc.ref} were not "
                                      "effective: plan further corrective actions.")
        return redirect("improvement:nc_detail", ctx.org.slug, nc.pk)
    return render(request, "improvement/nc_verify.html", {
        "nc": nc, "form": form, "actions": selectors.action_list(ctx=ctx, nc=nc)},
        status=done.status)


@require_POST
@org_view
def nc_close(request, nc_id):
    ctx = request.ctx
    ctx.require("improvement.verify")
    nc = selectors.nonconformity_get(ctx=ctx, nc_id=nc_id)
    form = VersionedForm(request.POST)
    done = submit(request, form, lambda: services.nonconformity_close(
        ctx=ctx, nc_id=nc.pk, version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Closed {nc.ref}.")
        return redirect("improvement:nc_detail", ctx.org.slug, nc.pk)
    for error in form.non_field_errors():
        messages.error(request, error)
    return _nc_detail(request, selectors.nonconformity_get(ctx=ctx, nc_id=nc_id),
                      status=done.status, tab="overview")


# ---------------------------------------------------------------------------- improvement


@org_view
def improvement_list(request):
    ctx = request.ctx
    form = ImprovementFilterForm(request.GET or None, owner_choices=member_choices(ctx=ctx))
    filters = selectors.ImprovementFilters(**form.cleaned_data) if form.is_valid() \
        else selectors.ImprovementFilters()
    qs = selectors.improvement_list(ctx=ctx, filters=filters)
    context = paginate(request, qs)
    items = list(context["page"].object_list)
    found = resolve(ctx=ctx, refs=[i.subject_ref for i in items if i.subject_ref])
    for i in items:
        i.origin = found.get(i.subject_ref) if i.subject_ref else None
    return render(request, "improvement/improvement_list.html", {
        "filter_form": form, "filtered": filters.active, "items": items,
        "today": timezone.localdate(), **context})


def _improvement_form_page(request, item):
    ctx = request.ctx
    ctx.require("improvement.change" if item else "improvement.raise")
    origin = None if item else _origin(request)
    initial = ImprovementForm.initial_for(item) if item else {
        "status": "proposed", "source": "suggestion",
        **_prefill(origins.improvement_defaults(origin) if origin else {}, origin)}
    form = ImprovementForm(request.POST or None, initial=initial,
                           owner_choices=member_choices(ctx=ctx))
    if item is None:
        done = submit(request, form, lambda: services.improvement_create(
            ctx=ctx, data=form.service_data(), origin=origin))
    else:
        done = submit(request, form, lambda: services.improvement_update(
            ctx=ctx, improvement_id=item.pk, data=form.service_data(),
            version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the improvement opportunity {done.result.ref}.")
        return redirect("improvement:improvement_detail", ctx.org.slug, done.result.pk)
    return render(request, "improvement/improvement_form.html", {
        "form": form, "item": item, "origin": linked(origin, ctx.org.slug) if origin else None},
        status=done.status)


@org_view
def improvement_create(request):
    return _improvement_form_page(request, None)


@org_view
def improvement_edit(request, improvement_id):
    return _improvement_form_page(request, selectors.improvement_get(
        ctx=request.ctx, improvement_id=improvement_id))


@org_view
def improvement_detail(request, improvement_id):
    ctx = request.ctx
    item = selectors.improvement_get(ctx=ctx, improvement_id=improvement_id)
    return render(request, "improvement/improvement_detail.html", {
        "item": item, "origin": _origin_item(ctx, item)})


improvement_delete = org_view(DeletePage(
    perm="improvement.change", get=selectors.improvement_get,
    delete=services.improvement_delete, kind="improvement opportunity",
    back="improvement:improvements", back_label="Improvement opportunities",
    done="Deleted {obj.ref}. Its last values are kept in the activity log.",
    hint="An idea that will not be taken up is better marked Rejected: it then stays on "
         "record with the reason.").view)
