from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.core.errors import ValidationError
from aims.core.paging import paginate
from aims.core.responses import file_response
from aims.core.views import DeletePage, list_filters, submit
from aims.impact import selectors, services
from aims.impact.forms import (
    ApproveForm,
    AssessmentCreateForm,
    AssessmentFilterForm,
    AssessmentForm,
    ImpactForm,
    RaiseRiskForm,
    ReturnForm,
    SettingsForm,
    SubmitForm,
)
from aims.impact.guidance import BY_FIELD, IMPACT_GUIDANCE, SECTIONS
from aims.impact.models import OPEN_STATUSES, Status
from aims.impact.pdf import assessment_pdf, print_context
from aims.inventory.selectors import ai_system_get
from aims.orgs.decorators import org_view
from aims.records import approval

NEW = "new"  # the prefix of the add-an-impact form, on the edit page and its own page


def _detail_url(ctx, assessment) -> str:
    return reverse("impact:detail", args=[ctx.org.slug, assessment.pk])


def _edit_url(ctx, assessment) -> str:
    return reverse("impact:edit", args=[ctx.org.slug, assessment.pk])


# ---------------------------------------------------------------- lists


@org_view
def assessment_list(request):
    ctx = request.ctx
    form = AssessmentFilterForm(request.GET or None,
                                system_choices=selectors.system_choices(ctx=ctx, retired=True))
    filters, filtered = list_filters(form, selectors.AssessmentFilters)
    rows = selectors.assessment_list(ctx=ctx, filters=filters)
    # One row more than shown says whether there are others, without counting them.
    missing = list(selectors.systems_without_assessment(ctx=ctx)[:selectors.MISSING_SHOWN + 1])
    return render(request, "impact/list.html", {
        "filter_form": form, "filtered": filtered,
        "missing": missing[:selectors.MISSING_SHOWN],
        "more_missing": len(missing) > selectors.MISSING_SHOWN,
        "interval": ctx.org.reassessment_interval_months, **paginate(request, rows)})


@org_view
def system_history(request, system_id):
    ctx = request.ctx
    system = ai_system_get(ctx=ctx, system_id=system_id)
    versions = list(selectors.assessment_history(ctx=ctx, system_id=system.pk))
    return render(request, "impact/system.html", {
        "system": system, "versions": versions,
        "open": next((v for v in versions if v.status in OPEN_STATUSES), None)})


# ---------------------------------------------------------------- one assessment


def _approve_form(assessment, form: ApproveForm) -> ApproveForm:
    """The approval form asks for the acknowledgement only when changes are pending."""
    if not assessment.pending_change_note:
        form.fields.pop("acknowledge_changes", None)
    return form


def _detail(request, assessment, *, forms: dict | None = None, status: int = 200):
    ctx = request.ctx
    forms = forms or {}
    history = list(selectors.assessment_history(ctx=ctx, system_id=assessment.ai_system_id))
    version = {"version": assessment.version}
    return render(request, "impact/detail.html", {
        "assessment": assessment, "impacts": list(assessment.impacts.all()),
        "sections": [(s, getattr(assessment, s.field)) for s in SECTIONS],
        "history": history,
        "open": next((v for v in history if v.status in OPEN_STATUSES), None),
        "open_statuses": OPEN_STATUSES,
        "is_author": ctx.user is not None and assessment.author_id == ctx.user.pk,
        "may_not_approve": approval.barred(ctx, assessment, Status.IN_REVIEW),
        "submit_form": forms.get("submit") or SubmitForm(initial=version),
        "approve_form": _approve_form(assessment, forms.get("approve") or ApproveForm(
            initial={**version, "approved_on": timezone.localdate()})),
        "return_form": forms.get("return") or ReturnForm(initial=version),
    }, status=status)


@org_view
def assessment_detail(request, assessment_id):
    return _detail(request, selectors.assessment_get(ctx=request.ctx, assessment_id=assessment_id))


@org_view
def assessment_create(request):
    ctx = request.ctx
    ctx.require("impact.change")
    choices = selectors.system_choices(ctx=ctx)
    initial = {"copy_previous": True}
    if (wanted := request.GET.get("system", "")) in {pk for pk, _ in choices}:
        initial["ai_system"] = wanted
    form = AssessmentCreateForm(request.POST or None, initial=initial, system_choices=choices)
    done = submit(request, form,
                  lambda: services.assessment_create(ctx=ctx, data=form.service_data()))
    if done.ok:
        a = done.result
        messages.success(request, f"Started version {a.number} of the impact assessment of "
                                  f"{a.ai_system.name}. Work through each section and record the "
                                  "impacts, then submit it for review.")
        return redirect(_edit_url(ctx, a))
    return render(request, "impact/create.html", {"form": form}, status=done.status)


@org_view
def assessment_edit(request, assessment_id):
    ctx = request.ctx
    ctx.require("impact.change")
    assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)
    if not assessment.is_editable:
        messages.info(request, f"{assessment} is {assessment.get_status_display().lower()} and "
                               "can no longer be edited; start a new version to change it.")
        return redirect(_detail_url(ctx, assessment))
    form = AssessmentForm(request.POST or None, initial=AssessmentForm.initial_for(assessment))
    done = submit(request, form, lambda: services.assessment_update(
        ctx=ctx, assessment_id=assessment.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, "Saved the assessment.")
        return redirect(_edit_url(ctx, assessment))
    return _edit_page(request, assessment, form=form, status=done.status)


def _edit_page(request, assessment, *, form=None, impact_form=None, status=200):
    return render(request, "impact/edit.html", {
        "assessment": assessment, "impacts": list(assessment.impacts.all()),
        "form": form or AssessmentForm(initial=AssessmentForm.initial_for(assessment)),
        "impact_form": impact_form or ImpactForm(prefix=NEW),
        "guidance": BY_FIELD, "impact_guidance": IMPACT_GUIDANCE,
        "submit_form": SubmitForm(initial={"version": assessment.version}),
    }, status=status)


DRAFT_DELETE = DeletePage(
    perm="impact.change", get=selectors.assessment_get, delete=services.assessment_delete,
    kind="draft", back="impact:list", back_label="Impact assessments",
    after=lambda ctx, a: reverse("impact:system", args=[ctx.org.slug, a.ai_system_id]),
    done="Deleted the draft {name}. Its last values are kept in the activity log.",
    hint="Only drafts can be deleted; submitted assessments stay in the record.")


@org_view
def assessment_delete(request, assessment_id):
    ctx = request.ctx
    ctx.require("impact.change")
    assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)
    if not assessment.is_editable and request.method != "POST":
        messages.info(request, "Only drafts can be deleted; this assessment stays in the record.")
        return redirect(_detail_url(ctx, assessment))
    return DRAFT_DELETE.confirm(request, assessment, assessment_id=assessment_id)


# Section titles for errors a submission names by field.
_LABELS = {**{s.field: s.title for s in SECTIONS}, "impacts": "Impacts", "status": "Status"}


def _labelled(call):
    """Run `call`; name the sections in its refusal as the page does, not as the API does."""
    try:
        return call()
    except ValidationError as exc:
        raise ValidationError({"__all__": [f"{_LABELS.get(k, k)}: {m}" if k != "__all__" else m
                                           for k, ms in exc.errors.items() for m in ms]}) from exc


@require_POST
@org_view
def assessment_submit(request, assessment_id):
    ctx = request.ctx
    ctx.require("impact.change")
    assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)
    form = SubmitForm(request.POST)
    done = submit(request, form, lambda: _labelled(lambda: services.assessment_submit(
        ctx=ctx, assessment_id=assessment.pk, version=form.cleaned_data["version"])))
    if done.ok:
        messages.success(request, f"Submitted {assessment} for review. An owner or admin other "
                                  "than its author approves it or sends it back.")
        return redirect(_detail_url(ctx, assessment))
    return _detail(request, assessment, forms={"submit": form}, status=done.status)


@require_POST
@org_view
def assessment_approve(request, assessment_id):
    ctx = request.ctx
    ctx.require("impact.approve")
    assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)
    form = ApproveForm(request.POST)
    done = submit(request, form, lambda: services.assessment_approve(
        ctx=ctx, assessment_id=assessment.pk, version=form.cleaned_data["version"],
        comment=form.cleaned_data["comment"], approved_on=form.cleaned_data["approved_on"],
        acknowledge_changes=form.cleaned_data["acknowledge_changes"]))
    if done.ok:
        a = done.result
        messages.success(request, f"Approved {assessment}. Re-assessment is due by "
                                  f"{a.next_due:%Y-%m-%d}.")
        return redirect(_detail_url(ctx, assessment))
    return _detail(request, assessment, forms={"approve": form}, status=done.status)


@require_POST
@org_view
def assessment_return(request, assessment_id):
    ctx = request.ctx
    ctx.require("impact.approve")
    assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)
    form = ReturnForm(request.POST)
    done = submit(request, form, lambda: services.assessment_return(
        ctx=ctx, assessment_id=assessment.pk, version=form.cleaned_data["version"],
        comment=form.cleaned_data["comment"]))
    if done.ok:
        messages.success(request, f"Sent {assessment} back to its author as a draft.")
        return redirect(_detail_url(ctx, assessment))
    return _detail(request, assessment, forms={"return": form}, status=done.status)


@org_view
def assessment_print(request, assessment_id):
    return render(request, "impact/print.html",
                  print_context(ctx=request.ctx, assessment_id=assessment_id))


@org_view
def assessment_pdf_file(request, assessment_id):
    return file_response(*assessment_pdf(ctx=request.ctx, assessment_id=assessment_id))


# ---------------------------------------------------------------- impacts


@org_view
def impact_create(request, assessment_id):
    ctx = request.ctx
    ctx.require("impact.change")
    assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)
    form = ImpactForm(request.POST or None, prefix=NEW)
    done = submit(request, form, lambda: services.impact_create(
        ctx=ctx, assessment_id=assessment.pk, data=form.service_data()))
    if request.htmx:
        # Only the impacts are replaced: what is typed in the sections stays on the page.
        if done.ok:
            assessment = selectors.assessment_get(ctx=ctx, assessment_id=assessment.pk)
        return render(request, "impact/_impacts_section.html", {
            "assessment": assessment, "impacts": list(assessment.impacts.all()),
            "impact_form": ImpactForm(prefix=NEW) if done.ok else form,
            "impact_guidance": IMPACT_GUIDANCE, "added": done.result if done.ok else None,
        }, status=done.status)
    if done.ok:
        messages.success(request, f"Added the impact “{done.result}”.")
        return redirect(_edit_url(ctx, assessment) + "#impacts")
    return render(request, "impact/impact_form.html",
                  {"form": form, "assessment": assessment, "impact": None}, status=done.status)


@org_view
def impact_row(request, assessment_id, impact_id):
    ctx = request.ctx
    impact = selectors.impact_get(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id)
    return render(request, "impact/_impact_row.html",
                  {"impact": impact, "assessment": impact.assessment, "editing": True})


@org_view
def impact_edit(request, assessment_id, impact_id):
    ctx = request.ctx
    ctx.require("impact.change")
    impact = selectors.impact_get(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id)
    assessment = impact.assessment
    form = ImpactForm(request.POST or None, initial=ImpactForm.initial_for(impact),
                      prefix=f"i{impact.pk.hex[:8]}" if request.htmx else None)
    done = submit(request, form, lambda: services.impact_update(
        ctx=ctx, assessment_id=assessment.pk, impact_id=impact.pk, data=form.service_data(),
        version=form.cleaned_data["version"]))
    if done.ok and request.htmx:
        impact = selectors.impact_get(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id)
        return render(request, "impact/_impact_row.html", {
            "impact": impact, "assessment": assessment, "editing": True, "saved": True})
    if done.ok:
        messages.success(request, f"Saved the impact “{done.result}”.")
        return redirect(_edit_url(ctx, assessment) + "#impacts")
    template = "impact/_impact_row_form.html" if request.htmx else "impact/impact_form.html"
    return render(request, template, {"form": form, "assessment": assessment, "impact": impact},
                  status=done.status)


impact_delete = org_view(DeletePage(
    perm="impact.change", get=selectors.impact_get, delete=services.impact_delete,
    kind="impact", back=lambda ctx, impact: _edit_url(ctx, impact.assessment) + "#impacts",
    back_label="{obj.assessment}",
    done="Removed the impact “{name}”. Its last values are kept in the activity log.").view)


@require_POST
@org_view
def impact_raise_risk(request, assessment_id, impact_id):
    ctx = request.ctx
    ctx.require("impact.change")
    ctx.require("risks.change")
    impact = selectors.impact_get(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id)
    form = RaiseRiskForm(request.POST)
    done = submit(request, form, lambda: services.impact_raise_risk(
        ctx=ctx, assessment_id=impact.assessment_id, impact_id=impact.pk,
        version=form.cleaned_data["version"]))
    back = (_edit_url(ctx, impact.assessment) if impact.assessment.is_editable
            else _detail_url(ctx, impact.assessment))
    if done.ok:
        risk = done.result.linked_risk
        messages.success(request, f"Raised risk {risk.ref} from the impact; it is in the risk "
                                  "register for its owner to treat.")
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "The risk was not raised: " + " ".join(errors))
    return redirect(back + "#impacts")


# ---------------------------------------------------------------- settings


@org_view
def impact_settings(request):
    """Everyone sees the interval; only owners change it."""
    ctx = request.ctx
    if request.method == "POST":
        ctx.require("org.manage")
    current = selectors.impact_settings_get(ctx=ctx)
    form = SettingsForm(request.POST or None, initial={
        "reassessment_interval_months": current.reassessment_interval_months,
        "version": current.version})
    done = submit(request, form, lambda: services.impact_settings_update(
        ctx=ctx, data=form.service_data(), version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, "Saved: assessments approved from now on fall due after "
                                  f"{form.cleaned_data['reassessment_interval_months']} months.")
        return redirect("impact:list", ctx.org.slug)
    return render(request, "impact/settings.html", {"form": form, "current": current},
                  status=done.status)
