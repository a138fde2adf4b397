from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.activity.selectors import record_history
from aims.catalog.selectors import iso_requirement_choices
from aims.core.paging import paginate
from aims.core.uploads import accepts_upload
from aims.core.views import DeletePage, posted_version, submit
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.people import selectors, services
from aims.people.forms import (
    AimsRoleForm,
    AssignmentForm,
    CompetenceForm,
    ConcernChannelForm,
    PeopleFilterForm,
    RoleFilterForm,
    TrainingFilterForm,
    TrainingForm,
)
from aims.people.standard_roles import STANDARD_ROLES

HISTORY_SHOWN = 10
# The URL's names for the records of this app, and the names its selectors and services use.
NAMES = {"aims_role_id": "role_id", "role_assignment_id": "assignment_id",
         "competence_requirement_id": "requirement_id", "training_record_id": "record_id"}


def _role_url(ctx, row) -> str:
    """The page of the role a row (an assignment, a competence requirement) belongs to."""
    return reverse("people:roles_detail", args=[ctx.org.slug, row.role_id])


# ---------------------------------------------------------------------------- roles


@org_view
def roles(request):
    ctx = request.ctx
    form = RoleFilterForm(request.GET or None, member_choices=member_choices(ctx=ctx),
                          system_choices=selectors.system_choices(ctx=ctx))
    d = form.cleaned_data if form.is_valid() else {"q": "", "member": "", "ai_system": ""}
    qs = selectors.aims_role_list(ctx=ctx, q=d["q"], member=d["member"],
                                  ai_system=d["ai_system"])
    channel = selectors.concern_channel_get(ctx=ctx)
    codes = selectors.aims_role_codes(ctx=ctx)
    missing_standard = [name for code, (name, *_) in STANDARD_ROLES.items() if code not in codes]
    paged = paginate(request, qs)
    today = timezone.localdate()
    for role in paged["page"].object_list:
        role.holders_now = [a for a in role.assignments.all() if a.is_current_on(today)]
    return render(request, "people/roles.html", {
        "filter_form": form, "filtered": any(d.values()), "channel": channel,
        "missing_standard": missing_standard, **paged})


@require_POST
@org_view
def roles_add_standard(request):
    ctx = request.ctx
    added = services.aims_roles_add_standard(ctx=ctx)
    if added:
        messages.success(request, f"Added {len(added)} standard roles: "
                                  f"{', '.join(r.name for r in added)}. Assign a holder to each.")
    else:
        messages.info(request, "Every standard role is already there.")
    return redirect("people:roles", ctx.org.slug)


def _role_form(request, ctx, role=None):
    return AimsRoleForm(request.POST or None, initial=AimsRoleForm.initial_for(role),
                        requirement_choices=iso_requirement_choices(),
                        system_choices=selectors.system_choices(ctx=ctx))


@org_view
def roles_create(request):
    ctx = request.ctx
    ctx.require("people.change")
    form = _role_form(request, ctx)
    done = submit(request, form,
                  lambda: services.aims_role_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added the role {done.result.name}. Now assign its holders "
                                  "and say what competence it needs.")
        return redirect("people:roles_detail", ctx.org.slug, done.result.pk)
    return render(request, "people/role_form.html", {"form": form, "role": None},
                  status=done.status)


def _role_detail_context(ctx, role, *, assign_form=None, competence_form=None) -> dict:
    today = timezone.localdate()
    assignments = list(role.assignments.all())
    return {
        "role": role, "today": today,
        "current": [a for a in assignments if a.is_current_on(today)],
        "past": [a for a in assignments if not a.is_current_on(today)],
        "assign_form": assign_form or AssignmentForm(
            member_choices=member_choices(ctx=ctx), initial={"since": today}),
        "competence_form": competence_form or CompetenceForm(initial={"ai_specific": True}),
        "history": record_history(ctx=ctx, record=role, limit=HISTORY_SHOWN),
    }


@org_view
def roles_detail(request, aims_role_id):
    ctx = request.ctx
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    return render(request, "people/role_detail.html", _role_detail_context(ctx, role))


@org_view
def roles_edit(request, aims_role_id):
    ctx = request.ctx
    ctx.require("people.change")
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    form = _role_form(request, ctx, role)
    done = submit(request, form, lambda: services.aims_role_update(
        ctx=ctx, role_id=role.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the role {done.result.name}.")
        return redirect("people:roles_detail", ctx.org.slug, role.pk)
    return render(request, "people/role_form.html", {"form": form, "role": role},
                  status=done.status)


roles_delete = org_view(DeletePage(
    perm="people.change", get=selectors.aims_role_get, delete=services.aims_role_delete,
    names=NAMES, kind="AIMS role", name="{obj.name}", back="people:roles",
    back_label="AIMS roles",
    done="Deleted the role {name}. Its last values are kept in the activity log.",
    hint="A role somebody holds now cannot be deleted: end their assignments first. Past "
         "assignments and competence requirements go with it.").view)


# ---------------------------------------------------------------------------- assignments


@org_view
def assignment_add(request, aims_role_id):
    ctx = request.ctx
    ctx.require("people.change")
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    form = AssignmentForm(request.POST or None, member_choices=member_choices(ctx=ctx),
                          initial={"since": timezone.localdate()})
    done = submit(request, form, lambda: services.role_assignment_create(
        ctx=ctx, role_id=role.pk, data=form.service_data()))
    if done.ok:
        messages.success(request, f"{done.result.member.display_name} now holds {role.name}.")
        return redirect("people:roles_detail", ctx.org.slug, role.pk)
    return render(request, "people/role_detail.html",
                  _role_detail_context(ctx, role, assign_form=form), status=done.status)


@org_view
def assignment_edit(request, aims_role_id, role_assignment_id):
    ctx = request.ctx
    ctx.require("people.change")
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    a = selectors.role_assignment_get(ctx=ctx, assignment_id=role_assignment_id, role_id=role.pk)
    form = AssignmentForm(request.POST or None, member_choices=member_choices(ctx=ctx), initial={
        "member": str(a.member_id or ""), "since": a.since, "until": a.until, "note": a.note,
        "version": a.version})
    done = submit(request, form, lambda: services.role_assignment_update(
        ctx=ctx, assignment_id=a.pk, role_id=role.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result}.")
        return redirect("people:roles_detail", ctx.org.slug, role.pk)
    return render(request, "people/assignment_form.html",
                  {"form": form, "role": role, "assignment": a}, status=done.status)


@require_POST
@org_view
def assignment_end(request, aims_role_id, role_assignment_id):
    ctx = request.ctx
    a = services.role_assignment_end(ctx=ctx, assignment_id=role_assignment_id,
                                     role_id=aims_role_id, version=posted_version(request))
    messages.success(request, f"Ended {a} on {a.until:%Y-%m-%d}. It stays in the record.")
    return redirect("people:roles_detail", ctx.org.slug, aims_role_id)


assignment_delete = org_view(DeletePage(
    perm="people.change", get=selectors.role_assignment_get,
    delete=services.role_assignment_delete, names=NAMES, kind="role assignment",
    back=_role_url, back_label="{obj.role.name}", done="Deleted the assignment {name}.",
    hint="If the member really held the role, end the assignment instead: it then stays in "
         "the record.").view)


# ---------------------------------------------------------------------------- competence


@org_view
def competence_add(request, aims_role_id):
    ctx = request.ctx
    ctx.require("people.change")
    role = selectors.aims_role_get(ctx=ctx, role_id=aims_role_id)
    form = CompetenceForm(request.POST or None, initial={"ai_specific": True})
    done = submit(request, form, lambda: services.competence_requirement_create(
        ctx=ctx, role_id=role.pk, data=form.service_data()))
    if done.ok:
        messages.success(request, f"Added the competence “{done.result.title}” to {role.name}.")
        return redirect(reverse("people:roles_detail", args=[ctx.org.slug, role.pk])
                        + "#competence")
    return render(request, "people/role_detail.html",
                  _role_detail_context(ctx, role, competence_form=form), status=done.status)


@org_view
def competence_edit(request, aims_role_id, competence_requirement_id):
    ctx = request.ctx
    ctx.require("people.change")
    req = selectors.competence_requirement_get(ctx=ctx, requirement_id=competence_requirement_id,
                                               role_id=aims_role_id)
    form = CompetenceForm(request.POST or None, initial=CompetenceForm.initial_for(req))
    done = submit(request, form, lambda: services.competence_requirement_update(
        ctx=ctx, requirement_id=req.pk, role_id=req.role_id, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved the competence “{done.result.title}”.")
        return redirect(reverse("people:roles_detail", args=[ctx.org.slug, req.role_id])
                        + "#competence")
    return render(request, "people/competence_form.html",
                  {"form": form, "role": req.role, "competence": req}, status=done.status)


competence_delete = org_view(DeletePage(
    perm="people.change", get=selectors.competence_requirement_get,
    delete=services.competence_requirement_delete, names=NAMES,
    kind="competence requirement", name="{obj.title}", back=_role_url,
    back_label="{obj.role.name}", done="Deleted the competence “{name}”.").view)


# ---------------------------------------------------------------------------- concern channel


@org_view
def concern_channel_edit(request):
    ctx = request.ctx
    ctx.require("people.change")
    channel = selectors.concern_channel_get(ctx=ctx)
    form = ConcernChannelForm(request.POST or None,
                              initial=ConcernChannelForm.initial_for(channel))
    done = submit(request, form, lambda: services.concern_channel_save(
        ctx=ctx, data=form.service_data(), version=form.cleaned_data["version"] or 0))
    if done.ok:
        messages.success(request, f"Saved version {done.result.version} of the "
                                  "reporting-of-concerns channel.")
        return redirect(reverse("people:roles", args=[ctx.org.slug]) + "#concerns")
    if getattr(form, "conflict", None):
        channel = selectors.concern_channel_get(ctx=ctx)
    return render(request, "people/concern_channel_form.html",
                  {"form": form, "channel": channel,
                   "history": record_history(ctx=ctx, record=channel, limit=HISTORY_SHOWN)},
                  status=done.status)


# ---------------------------------------------------------------------------- people


@org_view
def people(request):
    ctx = request.ctx
    form = PeopleFilterForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    rows = selectors.people_list(ctx=ctx, q=q)
    return render(request, "people/people.html", {
        "filter_form": form, "filtered": bool(q), "today": timezone.localdate(),
        "gap_count": len(selectors.competence_gaps(ctx=ctx)), **paginate(request, rows)})


# ---------------------------------------------------------------------------- training


def _training_filters(form) -> selectors.TrainingFilters:
    if not form.is_valid():
        return selectors.TrainingFilters()
    d = form.cleaned_data
    return selectors.TrainingFilters(q=d["q"], member=d["member"], status=d["status"],
                                     ai_specific={"yes": True, "no": False}.get(d["ai_specific"]))


@org_view
def training(request):
    ctx = request.ctx
    form = TrainingFilterForm(request.GET or None, member_choices=member_choices(ctx=ctx))
    filters = _training_filters(form)
    qs = selectors.training_record_list(ctx=ctx, filters=filters)
    filtered = any(v not in ("", None) for v in filters.__dict__.values())
    return render(request, "people/training.html",
                  {"filter_form": form, "filtered": filtered, **paginate(request, qs)})


@accepts_upload
@org_view
def training_create(request):
    ctx = request.ctx
    ctx.require("training.change")
    initial = {"completed_on": timezone.localdate(),
               "ai_specific": request.GET.get("ai_specific") in ("1", "yes", "true")}
    if request.GET.get("member"):
        initial["member"] = request.GET["member"]
    if request.GET.get("topic"):
        initial["topic"] = request.GET["topic"][:200]
    form = TrainingForm(request.POST or None, request.FILES or None, initial=initial,
                        member_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.training_record_create(
        ctx=ctx, data=form.service_data(), upload=form.cleaned_data.get("file")))
    if done.ok:
        messages.success(request, f"Recorded “{done.result.topic}” for "
                                  f"{done.result.member.display_name}.")
        return redirect("people:training_detail", ctx.org.slug, done.result.pk)
    return render(request, "people/training_form.html", {"form": form, "record": None},
                  status=done.status)


@org_view
def training_detail(request, training_record_id):
    ctx = request.ctx
    record = selectors.training_record_get(ctx=ctx, record_id=training_record_id)
    return render(request, "people/training_detail.html",
                  {"record": record,
                   "history": record_history(ctx=ctx, record=record, limit=HISTORY_SHOWN)})


@accepts_upload
@org_view
def training_edit(request, training_record_id):
    ctx = request.ctx
    ctx.require("training.change")
    record = selectors.training_record_get(ctx=ctx, record_id=training_record_id)
    form = TrainingForm(request.POST or None, request.FILES or None,
                        initial=TrainingForm.initial_for(record),
                        member_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.training_record_update(
        ctx=ctx, record_id=record.pk, data=form.service_data(),
        version=form.cleaned_data["version"], upload=form.cleaned_data.get("file")))
    if done.ok:
        messages.success(request, f"Saved “{done.result.topic}”.")
        return redirect("people:training_detail", ctx.org.slug, record.pk)
    return render(request, "people/training_form.html", {"form": form, "record": record},
                  status=done.status)


training_delete = org_view(DeletePage(
    perm="training.change", get=selectors.training_record_get,
    delete=services.training_record_delete, names=NAMES, kind="training record",
    back="people:training", back_label="Training and competence",
    done="Deleted the training record “{obj.topic}”.",
    hint="Any certificate stays in the evidence register.").view)


# ---------------------------------------------------------------------------- gaps


@org_view
def gaps(request):
    ctx = request.ctx
    return render(request, "people/gaps.html", {"gaps": selectors.competence_gaps(ctx=ctx),
                                                "today": timezone.localdate()})
