"""Management review pages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aims.core.errors import NotFound
from aims.core.paging import paginate
from aims.core.responses import file_response
from aims.core.views import DeletePage, list_filters, posted_version, submit
from aims.orgs.decorators import org_view
from aims.orgs.selectors import member_choices
from aims.reviews import selectors, services
from aims.reviews.forms import DecisionForm, MinutesForm, ReviewFilterForm, ReviewForm
from aims.reviews.pdf import review_pdf


@org_view
def review_list(request):
    ctx = request.ctx
    form = ReviewFilterForm(request.GET or None)
    filters, filtered = list_filters(form, selectors.ReviewFilters)
    qs = selectors.review_list(ctx=ctx, filters=filters)
    return render(request, "reviews/list.html", {
        "filter_form": form, "filtered": filtered, "latest": selectors.latest_held(ctx=ctx),
        **paginate(request, qs)})


def _minutes_form(item, data=None) -> MinutesForm:
    return MinutesForm(data, initial={"minutes": item.minutes, "version": item.version},
                       prefix=f"i{item.pk.hex[:8]}")


def _detail(request, review, *, minutes_forms=None, decision_form=None, status=200):
    ctx = request.ctx
    items = list(review.items.all())
    if not review.is_held:
        # A planned review shows its inputs as the record stands now (an incident recorded
        # after the review was planned is listed); holding it fixes them.
        live = selectors.agenda_inputs_live(ctx=ctx, review=review)
        for item in items:
            item.inputs = live.get(item.key, item.inputs)
    forms = minutes_forms or {}
    for item in items:
        item.form = forms.get(item.pk) or _minutes_form(item)
        item.flags = {"bad": sum(r.get("flag") == "bad" for r in item.inputs.get("rows", []))}
    can = ctx.can("reviews.change") and not review.is_held
    return render(request, "reviews/detail.html", {
        "review": review, "items": items, "minuted": sum(bool(i.minutes) for i in items),
        "decisions": list(review.decisions.all()),
        "attendees": list(review.attendees.all()), "can_edit": can,
        "problems": services.hold_problems(ctx, review) if can else {},
        "decision_form": decision_form or (DecisionForm(member_choices=member_choices(ctx=ctx))
                                          if can else None),
    }, status=status)


@org_view
def review_detail(request, review_id):
    return _detail(request, selectors.review_get(ctx=request.ctx, review_id=review_id))


def _form_page(request, review):
    ctx = request.ctx
    ctx.require("reviews.change")
    members = member_choices(ctx=ctx)
    initial = (ReviewForm.initial_for(review) if review else
               {"meeting_date": timezone.localdate(), "chair": str(ctx.user.pk),
                "attendees": [str(ctx.user.pk)]})
    form = ReviewForm(request.POST or None, initial=initial, member_choices=members)
    if review is None:
        done = submit(request, form, lambda: services.review_create(
            ctx=ctx, data=form.service_data()))
    else:
        done = submit(request, form, lambda: services.review_update(
            ctx=ctx, review_id=review.pk, data=form.service_data(),
            version=form.cleaned_data["version"]))
    if done.ok:
        messages.success(request, f"Saved {done.result.ref}. Its agenda holds every required "
                                  "input, read from the record as of the meeting date.")
        return redirect("reviews:detail", ctx.org.slug, done.result.pk)
    return render(request, "reviews/form.html", {"form": form, "review": review},
                  status=done.status)


@org_view
def review_create(request):
    return _form_page(request, None)


@org_view
def review_edit(request, review_id):
    return _form_page(request, selectors.review_get(ctx=request.ctx, review_id=review_id))


@require_POST
@org_view
def review_refresh(request, review_id):
    ctx = request.ctx
    review = services.review_refresh(ctx=ctx, review_id=review_id)
    messages.success(request, "Read every input again from the record as of "
                              f"{review.meeting_date.isoformat()}.")
    return redirect("reviews:detail", ctx.org.slug, review_id)


@require_POST
@org_view
def review_hold(request, review_id):
    ctx = request.ctx
    review = services.review_hold(ctx=ctx, review_id=review_id,
                                  version=posted_version(request))
    messages.success(request, f"Recorded {review.ref} as held. Its record is now final.")
    return redirect("reviews:detail", ctx.org.slug, review_id)


@require_POST
@org_view
def item_minutes(request, review_id, item_id):
    ctx = request.ctx
    ctx.require("reviews.change")
    review = selectors.review_get(ctx=ctx, review_id=review_id)
    item = next((i for i in review.items.all() if i.pk == item_id), None)
    if item is None:
        raise NotFound("Agenda item not found.")
    form = MinutesForm(request.POST, prefix=f"i{item.pk.hex[:8]}")
    done = submit(request, form, lambda: services.agenda_item_update(
        ctx=ctx, review_id=review.pk, item_id=item.pk, minutes=form.cleaned_data["minutes"],
        version=form.cleaned_data["version"]))
    if request.htmx:
        # Only this item's form is replaced: minutes typed in other items stay on the page.
        if done.ok:
            item = done.result
            form = _minutes_form(item)
        item.form = form
        return render(request, "reviews/_minutes.html", {
            "review": review, "item": item, "saved": done.ok}, status=done.status)
    if done.ok:
        messages.success(request, f"Saved the minutes of item {item.position}.")
        return redirect(reverse("reviews:detail", args=[ctx.org.slug, review.pk])
                        + f"#item-{item.position}")
    return _detail(request, review, minutes_forms={item.pk: form}, status=done.status)


@require_POST
@org_view
def decision_add(request, review_id):
    ctx = request.ctx
    ctx.require("reviews.change")
    review = selectors.review_get(ctx=ctx, review_id=review_id)
    form = DecisionForm(request.POST, member_choices=member_choices(ctx=ctx))
    done = submit(request, form, lambda: services.decision_add(
        ctx=ctx, review_id=review.pk, data=form.service_data()))
    if done.ok:
        task = done.result.task
        messages.success(request, "Recorded the decision" + (
            f" and assigned {task.ref} to {task.owner.display_name}." if task else "."))
        return redirect(reverse("reviews:detail", args=[ctx.org.slug, review.pk]) + "#decisions")
    return _detail(request, review, decision_form=form, status=done.status)


def _decision_get(*, ctx, review_id, decision_id):
    review = selectors.review_get(ctx=ctx, review_id=review_id)
    decision = next((d for d in review.decisions.all() if d.pk == decision_id), None)
    if decision is None:
        raise NotFound("Decision not found.")
    return decision


decision_delete = org_view(DeletePage(
    perm="reviews.change", get=_decision_get, delete=services.decision_delete,
    kind="decision",
    back=lambda ctx, d: reverse("reviews:detail", args=[ctx.org.slug, d.review_id]) + "#decisions",
    back_label="{obj.review}", done="Withdrew the decision.",
    hint="An action already assigned from it stays a task: cancel it there if it is no longer "
         "needed.").view)


review_delete = org_view(DeletePage(
    perm="reviews.change", get=selectors.review_get, delete=services.review_delete,
    kind="management review", back="reviews:list", back_label="Management reviews",
    done="Deleted the planned review {obj.ref}.",
    hint="Only a planned review can be deleted; a held one is part of the record.").view)


@org_view
def review_pack(request, review_id):
    return file_response(*review_pdf(ctx=request.ctx, review_id=review_id))
