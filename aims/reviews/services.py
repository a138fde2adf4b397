"""Writes to management reviews: plan, refresh the inputs, minute, decide, hold, delete."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.activity.services import record
from aims.core.errors import NotFound, ValidationError
from aims.orgs.context import Ctx
from aims.orgs.models import Membership
from aims.orgs.selectors import member_user_get
from aims.people.selectors import role_holders
from aims.records import writes
from aims.records.numbering import next_number
from aims.reviews.inputs import build_inputs
from aims.reviews.models import AgendaItem, Decision, ManagementReview, ReviewStatus
from aims.reviews.selectors import review_period_start
from aims.tasks.models import TaskKind
from aims.tasks.services import task_create

REVIEW_FIELDS = ("title", "meeting_date", "period_start", "chair", "attendees",
                 "other_attendees", "location", "conclusions")
PERM = "reviews.change"


def _labels(users) -> list[str]:
    return sorted(u.email for u in users)


def _prepare(ctx: Ctx, data: dict[str, Any]) -> tuple[dict[str, Any], list | None]:
    data = writes.only(data, REVIEW_FIELDS)
    if "chair" in data:
        data["chair"] = member_user_get(ctx=ctx, user_id=data["chair"], field="chair")
    attendees = None
    if "attendees" in data:
        raw = data.pop("attendees") or []
        if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple, set)):
            raise ValidationError({"attendees": ["Send a list of member ids."]})
        attendees = [member_user_get(ctx=ctx, user_id=u, field="attendees") for u in raw]
        attendees = list({u.pk: u for u in attendees}.values())
    for name in ("title", "location"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    return data, attendees


def _fill_agenda(ctx: Ctx, review: ManagementReview) -> None:
    """(Re)build each agenda item's inputs as of the meeting date; minutes are kept."""
    since = review_period_start(ctx=ctx, review=review)
    existing = {i.key: i for i in review.items.all()}
    for position, (spec, inputs) in enumerate(
            build_inputs(ctx=ctx, since=since, as_of=review.meeting_date), start=1):
        item = existing.get(spec.key)
        if item is None:
            AgendaItem.all_orgs.create(org=ctx.org, review=review, key=spec.key,
                                       position=position, title=spec.title, inputs=inputs)
        else:
            item.inputs, item.title, item.position = inputs, spec.title, position
            item.save(update_fields=["inputs", "title", "position", "updated_at"])


def _planned(review: ManagementReview) -> None:
    if review.is_held:
        raise ValidationError({"status": [
            f"{review.ref} was held on {review.meeting_date.isoformat()}; its record is final."]})


@transaction.atomic
def review_create(*, ctx: Ctx, data: dict[str, Any]) -> ManagementReview:
    """Plan a review; its agenda is generated with every required input pre-filled."""
    ctx.require(PERM)
    data, attendees = _prepare(ctx, data)
    review = ManagementReview(org=ctx.org, **data)
    review.number = next_number(ManagementReview, ctx=ctx)
    review.ref = f"MR-{review.number:03d}"
    writes.create(ctx=ctx, obj=review, extra_changes={
        "attendees": {"before": None, "after": _labels(attendees or [])}})
    review.attendees.set(attendees or [])
    _fill_agenda(ctx, review)
    return review


@transaction.atomic
def review_update(*, ctx: Ctx, review_id: uuid.UUID, data: dict[str, Any],
                  version: int | None) -> ManagementReview:
    """Change a planned review; its inputs follow a changed date or period."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    data, attendees = _prepare(ctx, data)
    extra = None
    if attendees is not None:
        current = list(review.attendees.all())
        if {u.pk for u in current} != {u.pk for u in attendees}:
            extra = {"attendees": {"before": _labels(current), "after": _labels(attendees)}}
    review = writes.change(ctx=ctx, obj=review, data=data, version=version, extra_changes=extra)
    if attendees is not None and extra:
        review.attendees.set(attendees)
    _fill_agenda(ctx, review)
    return review


@transaction.atomic
def review_refresh(*, ctx: Ctx, review_id: uuid.UUID) -> ManagementReview:
    """Re-read every input of a planned review from the record as of its meeting date."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    _fill_agenda(ctx, review)
    record(ctx=ctx, action="update", obj=review, changes={
        "inputs": {"before": None,
                   "after": f"read again as of {review.meeting_date.isoformat()}"}})
    return review


@transaction.atomic
def agenda_item_update(*, ctx: Ctx, review_id: uuid.UUID, item_id: uuid.UUID, minutes: str,
                       version: int | None) -> AgendaItem:
    """Write the minutes of one agenda item of a planned review."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    item = writes.get_for_update(AgendaItem, ctx=ctx, pk=item_id, label="Agenda item")
    if item.review_id != review.pk:
        raise NotFound("Agenda item not found.")
    return writes.change(ctx=ctx, obj=item, data={"minutes": (minutes or "").strip()},
                         version=version)


@transaction.atomic
def decision_add(*, ctx: Ctx, review_id: uuid.UUID, data: dict[str, Any]) -> Decision:
    """Record a decision; with an owner (and due date) it becomes a management review action."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    data = writes.only(data, ("kind", "text", "owner", "due_date", "action"))
    owner, due, action = data.pop("owner", None), data.pop("due_date", None), data.pop("action", "")
    if isinstance(data.get("text"), str):  # a decision of only spaces says nothing
        data["text"] = data["text"].strip()
    decision = Decision(org=ctx.org, review=review, **data)
    writes.full_clean(decision, exclude=("task",))
    if owner or due or action:
        if not owner:
            raise ValidationError({"owner": ["An action needs an owner."]})
        if not due:
            raise ValidationError({"due_date": ["An action needs a due date."]})
        decision.task = task_create(ctx=ctx, subject=review, perm=PERM, data={
            "title": ((action or decision.text).strip().splitlines() or ["Review action"])[0][:200],
            "description": f"Decided in {review.ref} ({review.meeting_date.isoformat()}): "
                           f"{decision.text.strip()}",
            "kind": TaskKind.REVIEW_ACTION, "owner": owner, "due_date": due,
            "priority": "normal"})
    extra = {"task": {"before": None, "after": decision.task.ref}} if decision.task else None
    return writes.create(ctx=ctx, obj=decision, extra_changes=extra)


@transaction.atomic
def decision_delete(*, ctx: Ctx, review_id: uuid.UUID, decision_id: uuid.UUID, version: int | None
                   ) -> None:
    """Withdraw a decision recorded by mistake in a planned review (its action stays a task)."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    decision = writes.get_for_update(Decision, ctx=ctx, pk=decision_id, label="Decision")
    if decision.review_id != review.pk:
        raise NotFound("Decision not found.")
    writes.delete(ctx=ctx, obj=decision, version=version)


def top_management(ctx: Ctx, on=None) -> tuple[set, str]:
    """Who counts as top management on `on` (today by default), and how that was decided:
    holders of the AIMS role `top_management` when anyone holds it, otherwise the
    organisation's owners."""
    holders = {u.pk for u in role_holders(ctx=ctx, code="top_management", on=on)}
    if holders:
        return holders, "holders of the AIMS role Top management"
    owners = set(Membership.objects.filter(org=ctx.org, role="owner").values_list("user_id",
                                                                                   flat=True))
    return owners, "owners of the organisation (nobody holds the AIMS role Top management)"


def hold_problems(ctx: Ctx, review: ManagementReview) -> dict[str, list[str]]:
    """What stops `review` being recorded as held, by field; empty when nothing does."""
    problems: dict[str, list[str]] = {}
    if review.meeting_date > timezone.localdate():
        problems["meeting_date"] = ["The meeting is in the future: record it once it is held."]
    present = {u.pk for u in review.attendees.all()}
    top, how = top_management(ctx, on=review.meeting_date)  # who was, at the meeting
    if not present & top:
        problems["attendees"] = [f"Top management must attend: none of the {how} is among "
                                 "the attendees."]
    if not review.conclusions.strip():
        problems["conclusions"] = ["Record top management's conclusion on the AIMS's "
                                   "suitability, adequacy and effectiveness."]
    unminuted = [i.title for i in review.items.all() if not i.minutes.strip()]
    if unminuted:
        problems["minutes"] = ["Minute every agenda item; missing: " + "; ".join(unminuted) + "."]
    return problems


@transaction.atomic
def review_hold(*, ctx: Ctx, review_id: uuid.UUID, version: int | None) -> ManagementReview:
    """Record the review as held: its inputs are read one last time as of the meeting date and
    the record becomes final."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    writes.check_version(review, version)
    if problems := hold_problems(ctx, review):
        raise ValidationError(problems)
    _fill_agenda(ctx, review)
    review.held_at, review.recorded_by = timezone.now(), ctx.user
    return writes.change(ctx=ctx, obj=review, data={"status": ReviewStatus.HELD},
                         version=version,
                         extra_changes={"held_at": {"before": None,
                                                    "after": review.held_at.isoformat()}})


@transaction.atomic
def review_delete(*, ctx: Ctx, review_id: uuid.UUID, version: int | None) -> None:
    """Delete a planned review (a held one is part of the record)."""
    ctx.require(PERM)
    review = writes.get_for_update(ManagementReview, ctx=ctx, pk=review_id,
                                   label="Management review")
    _planned(review)
    writes.check_version(review, version)
    if review.decisions.exclude(task=None).exists():
        raise ValidationError({"decisions": ["Actions were assigned from this review; withdraw "
                                             "its decisions first."]})
    writes.delete(ctx=ctx, obj=review, version=version, extra_changes={
        "attendees": {"before": _labels(review.attendees.all()), "after": None}})


