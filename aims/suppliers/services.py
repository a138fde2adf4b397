"""Writes to suppliers and customers: the register, due diligence, reviews and responsibilities."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.core.errors import Conflict, NotFound, ValidationError
from aims.inventory.selectors import ai_systems_by_ids
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import writes
from aims.suppliers.checklist import BY_KEY, items_for
from aims.suppliers.models import (
    REVIEW_INTERVALS,
    AnswerStatus,
    DueDiligenceAnswer,
    PartyKind,
    ResponsibilityAllocation,
    Responsible,
    Supplier,
    SupplierRating,
    SupplierReview,
    Topic,
    next_review_from,
)

PERM = "suppliers.change"

SUPPLIER_FIELDS = (
    "name", "kind", "contact", "website", "supplies", "description", "ai_systems",
    "criticality", "owner", "status", "review_interval_months",
)
ANSWER_FIELDS = ("status", "notes", "source")
REVIEW_FIELDS = ("reviewed_on", "rating", "summary")
RESPONSIBILITY_FIELDS = ("topic", "activity", "responsible", "note")

# Which "responsible" values fit which kind of party: a customer has no supplier side.
RESPONSIBLE_FOR_KIND: dict[str, set[str]] = {
    PartyKind.SUPPLIER: {Responsible.US, Responsible.SUPPLIER, Responsible.SHARED},
    PartyKind.CUSTOMER: {Responsible.US, Responsible.CUSTOMER, Responsible.SHARED},
    PartyKind.PARTNER: set(Responsible.values),
}


def _names(systems) -> list[str]:
    return sorted(s.name for s in systems)


def _choice(data: dict[str, Any], field: str, choices: Iterable[object]) -> None:
    """Refuse an unknown choice with a message naming the ones that exist."""
    choices = list(choices)
    if field in data and data[field] not in choices:
        raise ValidationError({field: [
            f"Unknown value {data[field]!r}; choose from {', '.join(map(str, choices))}."]})


# ---------------------------------------------------------------------------- the register


def _prepare(ctx: Ctx, data: dict[str, Any],
             current: Supplier | None = None) -> tuple[dict[str, Any], list | None]:
    """Checked field values, and the AI systems to link (None: leave the links alone)."""
    data = writes.only(data, SUPPLIER_FIELDS)
    systems = (ai_systems_by_ids(ctx=ctx, ids=data.pop("ai_systems") or [])
               if "ai_systems" in data else None)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    for name in ("name", "website"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()
    _choice(data, "review_interval_months", [m for m, _ in REVIEW_INTERVALS])
    if data.get("name"):
        clash = Supplier.objects.for_org(ctx.org).filter(name__iexact=data["name"])
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            raise ValidationError({"name": [
                f"A supplier or customer named “{data['name']}” is already in the register."]})
    if current is not None and data.get("kind", current.kind) != current.kind:
        _check_kind_change(current, data["kind"])
    # The next review date follows the last review and the interval, whichever changes.
    months = data.get("review_interval_months",
                      current.review_interval_months if current else 12)
    data["next_review_date"] = next_review_from(current.last_review_date if current else None,
                                                months)
    return data, systems


def _check_kind_change(supplier: Supplier, kind: str) -> None:
    """A party that becomes a customer cannot keep supplier duties (and the other way round)."""
    if kind not in PartyKind.values:
        return  # full_clean names the field
    allowed = RESPONSIBLE_FOR_KIND[kind]
    clashing = [r for r in supplier.responsibilities.all() if r.responsible not in allowed]
    if clashing:
        labels = ", ".join(r.activity or r.get_topic_display() for r in clashing)
        raise ValidationError({"kind": [
            f"Its responsibilities name the {clashing[0].get_responsible_display().lower()} "
            f"({labels}), which a {PartyKind(kind).label.lower()} does not have. Reallocate "
            "them first."]})


@transaction.atomic
def supplier_create(*, ctx: Ctx, data: dict[str, Any]) -> Supplier:
    """Add a supplier, customer or partner to the register, with the AI systems it concerns."""
    ctx.require(PERM)
    data, systems = _prepare(ctx, data)
    supplier = writes.create(ctx=ctx, obj=Supplier(org=ctx.org, **data), extra_changes={
        "ai_systems": {"before": None, "after": _names(systems or [])}})
    supplier.ai_systems.set(systems or [])
    return supplier


@transaction.atomic
def supplier_update(*, ctx: Ctx, supplier_id: uuid.UUID, data: dict[str, Any],
                    version: int | None) -> Supplier:
    """Change a party written at `version`; a changed set of AI systems is logged with it."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    writes.check_version(supplier, version)
    data, systems = _prepare(ctx, data, supplier)
    extra = None
    if systems is not None:
        current = list(supplier.ai_systems.all())
        if {s.pk for s in current} != {s.pk for s in systems}:
            extra = {"ai_systems": {"before": _names(current), "after": _names(systems)}}
    supplier = writes.change(ctx=ctx, obj=supplier, data=data, version=version,
                             extra_changes=extra)
    if systems is not None and extra:
        supplier.ai_systems.set(systems)
    return supplier


@transaction.atomic
def supplier_delete(*, ctx: Ctx, supplier_id: uuid.UUID, version: int | None) -> None:
    """Remove a party entered by mistake, with its answers, reviews and responsibilities; their
    last values go into the one log entry of the deletion. A real relationship that ended is
    set to exited instead."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    writes.delete(ctx=ctx, obj=supplier, version=version, extra_changes={
        "ai_systems": {"before": _names(supplier.ai_systems.all()), "after": None},
        "answers": {"before": [f"{BY_KEY[a.item].title if a.item in BY_KEY else a.item}: "
                               f"{a.get_status_display()}"
                               for a in supplier.answers.order_by("item")], "after": None},
        "reviews": {"before": [f"{r.reviewed_on.isoformat()}: {r.get_rating_display()}"
                               for r in supplier.reviews.order_by("reviewed_on")], "after": None},
        "responsibilities": {"before": [
            f"{r.activity or r.get_topic_display()}: {r.get_responsible_display()}"
            for r in supplier.responsibilities.order_by("topic", "activity")], "after": None},
    })


# ---------------------------------------------------------------------------- due diligence


def _item_for(supplier: Supplier, item: str, *, field: str | None = None) -> str:
    """`item` if it is a question of the party's checklist; otherwise NotFound (an address) or,
    with `field`, a 422 on that field (a body), naming the questions that exist."""
    keys = [i.key for i in items_for(supplier.kind)]
    if item in keys:
        return item
    message = (f"No checklist question {str(item)[:60]!r} for a "
               f"{supplier.get_kind_display().lower()}; the questions are: {', '.join(keys)}.")
    if field:
        raise ValidationError({field: [message]})
    raise NotFound(message)


def _answer(ctx: Ctx, supplier: Supplier, item: str, data: dict[str, Any],
            version: int | None, *, prefix: str = "") -> DueDiligenceAnswer:
    """Write one answer of a locked party: create it at version 0, change it at its version.
    `prefix` names the fields in errors (the web form has one set per question)."""
    try:
        data = writes.only(data, ANSWER_FIELDS)
        if "status" in data and not data["status"]:
            del data["status"]  # left blank: the status stays as it is
        for name in ("notes", "source"):
            if name in data:
                data[name] = (data[name] or "").strip()
        _choice(data, "status", AnswerStatus.values)
        existing = (DueDiligenceAnswer.objects.for_org(ctx.org)
                    .filter(supplier=supplier, item=item).first())
        if version is None:
            raise ValidationError({"version": [
                "Required: send the version you read (0 for a question not answered yet), so "
                "concurrent edits are caught."]})
        if existing is None:
            if int(version) != 0:
                raise ValidationError({"version": [
                    "This question has no answer yet: send version 0 to give the first one."]})
            if not data.get("status"):
                raise ValidationError({"status": ["Choose a status for the first answer."]})
            return writes.create(ctx=ctx, obj=DueDiligenceAnswer(
                org=ctx.org, supplier=supplier, item=item, answered_by=ctx.user, **data))
        existing.supplier = supplier
        writes.check_version(existing, version)
        if any(data[k] != getattr(existing, k) for k in data):
            data["answered_by"] = ctx.user  # whoever last changed the answer stands by it
        return writes.change(ctx=ctx, obj=existing, data=data, version=version)
    except ValidationError as exc:
        if not prefix:
            raise
        raise ValidationError({(f"{prefix}{k}" if k != "__all__" else k): v
                               for k, v in exc.errors.items()}) from exc
    except Conflict as exc:
        if not prefix:
            raise
        # In a form of many answers, say which one moved on rather than offering its version.
        raise ValidationError({f"{prefix}status": [
            "Someone else changed this answer since you opened the page (it now reads "
            f"“{exc.current.get('status', '')}”). Reload the page and answer again."]}) from exc


@transaction.atomic
def due_diligence_answer(*, ctx: Ctx, supplier_id: uuid.UUID, item: str, data: dict[str, Any],
                         version: int | None) -> DueDiligenceAnswer:
    """Answer one checklist question for a party: `version` is the answer's (0 for the first
    answer); status, notes and source as in DueDiligenceAnswer."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    item = _item_for(supplier, item)
    return _answer(ctx, supplier, item, data, version)


def _answer_many(ctx: Ctx, supplier: Supplier, answers: Iterable[dict[str, Any]]) -> int:
    """Write the answers that differ from what is stored; the number written."""
    stored = {a.item: a for a in DueDiligenceAnswer.objects.for_org(ctx.org)
              .filter(supplier=supplier)}
    written = 0
    for raw in answers:
        raw = dict(raw)
        item = _item_for(supplier, raw.pop("item", ""), field="answers")
        version = raw.pop("version", None)
        current = stored.get(item)
        if current is None and not raw.get("status"):
            continue  # left blank: still unanswered
        if current is not None and all(
                (raw.get(k) or "").strip() == getattr(current, k) for k in ANSWER_FIELDS
                if k in raw):
            continue  # unchanged
        _answer(ctx, supplier, item, raw, version, prefix=f"{item}-")
        written += 1
    return written


@transaction.atomic
def due_diligence_update(*, ctx: Ctx, supplier_id: uuid.UUID, answers: Iterable[dict[str, Any]]
                        ) -> int:
    """Answer several questions at once (each {item, version, status, notes, source}); only
    answers that change are written and logged. Returns how many were written."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    return _answer_many(ctx, supplier, answers)


# ---------------------------------------------------------------------------- reviews


def _snapshot(ctx: Ctx, supplier: Supplier) -> list[dict[str, str]]:
    """The checklist as it stands, question by question; refuses an incomplete one."""
    answers = {a.item: a for a in DueDiligenceAnswer.objects.for_org(ctx.org)
               .filter(supplier=supplier)}
    missing = [i.title for i in items_for(supplier.kind) if i.key not in answers]
    if missing:
        raise ValidationError({"__all__": [
            "Answer every question of the checklist before completing the review; still "
            f"unanswered: {', '.join(missing)}. “Not provided” is an answer."]})
    return [{"item": i.key, "title": i.title, "status": answers[i.key].status,
             "notes": answers[i.key].notes, "source": answers[i.key].source}
            for i in items_for(supplier.kind)]


@transaction.atomic
def supplier_review_create(*, ctx: Ctx, supplier_id: uuid.UUID, data: dict[str, Any],
                           version: int | None, answers: Iterable[dict[str, Any]] | None = None
                          ) -> SupplierReview:
    """Complete a due-diligence review of a party written at `version`: apply any `answers`
    (as in due_diligence_update), require every question answered, keep the answers as they
    stand with the review, and set the party's rating, last review and next review date."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    writes.check_version(supplier, version)
    data = writes.only(data, REVIEW_FIELDS)
    data["summary"] = (data.get("summary") or "").strip()
    if not data.get("reviewed_on"):
        data["reviewed_on"] = timezone.localdate()
    if isinstance(data["reviewed_on"], str):
        try:
            data["reviewed_on"] = datetime.date.fromisoformat(data["reviewed_on"])
        except ValueError:
            raise ValidationError({"reviewed_on": ["Enter a date as YYYY-MM-DD."]}) from None
    _choice(data, "rating", SupplierRating.values)
    if answers:
        _answer_many(ctx, supplier, answers)
    snapshot = _snapshot(ctx, supplier)
    # A review entered late (dated before the latest one) joins the history without moving
    # the dates on: the next review always follows the latest review.
    last = max(filter(None, [supplier.last_review_date, data["reviewed_on"]]))
    is_latest = last == data["reviewed_on"]
    review = writes.create(ctx=ctx, obj=SupplierReview(
        org=ctx.org, supplier=supplier, reviewer=ctx.user, answers=snapshot,
        next_review_date=next_review_from(data["reviewed_on"], supplier.review_interval_months),
        **data))
    changes: dict[str, Any] = {
        "last_review_date": last,
        "next_review_date": next_review_from(last, supplier.review_interval_months)}
    if is_latest:
        changes["rating"] = data["rating"]
    writes.change(ctx=ctx, obj=supplier, data=changes, version=version)
    return review


# ---------------------------------------------------------------------------- responsibilities


def _responsibility_prepare(supplier: Supplier, data: dict[str, Any],
                            current: ResponsibilityAllocation | None = None) -> dict[str, Any]:
    data = writes.only(data, RESPONSIBILITY_FIELDS)
    for name in ("activity", "note"):
        if name in data:
            data[name] = (data[name] or "").strip()
    _choice(data, "topic", Topic.values)
    _choice(data, "responsible", Responsible.values)
    responsible = data.get("responsible", current.responsible if current else None)
    if responsible and responsible not in RESPONSIBLE_FOR_KIND[supplier.kind]:
        raise ValidationError({"responsible": [
            f"{supplier.name} is a {supplier.get_kind_display().lower()}: choose us, "
            f"{'the customer' if supplier.kind == PartyKind.CUSTOMER else 'the supplier'} or "
            "shared."]})
    topic = data.get("topic", current.topic if current else None)
    activity = data.get("activity", current.activity if current else "")
    clash = supplier.responsibilities.filter(topic=topic, activity__iexact=activity or "")
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if topic and clash.exists():
        raise ValidationError({"activity": [
            "This topic and activity are already allocated for this party: edit that row, or "
            "name the activity to tell them apart."]})
    return data


def _locked_row(ctx: Ctx, supplier: Supplier, allocation_id: uuid.UUID) -> ResponsibilityAllocation:
    row = writes.get_for_update(ResponsibilityAllocation, ctx=ctx, pk=allocation_id,
                                label="Responsibility")
    if row.supplier_id != supplier.pk:
        raise NotFound("Responsibility not found.")
    row.supplier = supplier
    return row


@transaction.atomic
def responsibility_create(*, ctx: Ctx, supplier_id: uuid.UUID,
                          data: dict[str, Any]) -> ResponsibilityAllocation:
    """Allocate one activity between us and a party (topic, activity, responsible, note)."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    data = _responsibility_prepare(supplier, data)
    return writes.create(ctx=ctx, obj=ResponsibilityAllocation(
        org=ctx.org, supplier=supplier, **data))


@transaction.atomic
def responsibility_update(*, ctx: Ctx, supplier_id: uuid.UUID, allocation_id: uuid.UUID,
                          data: dict[str, Any], version: int | None) -> ResponsibilityAllocation:
    """Change one responsibility row written at `version`."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    row = _locked_row(ctx, supplier, allocation_id)
    writes.check_version(row, version)
    data = _responsibility_prepare(supplier, data, row)
    return writes.change(ctx=ctx, obj=row, data=data, version=version)


@transaction.atomic
def responsibility_delete(*, ctx: Ctx, supplier_id: uuid.UUID, allocation_id: uuid.UUID,
                          version: int | None) -> None:
    """Remove one responsibility row; its last values stay in the activity log."""
    ctx.require(PERM)
    supplier = writes.get_for_update(Supplier, ctx=ctx, pk=supplier_id,
                                     label="Supplier or customer")
    row = _locked_row(ctx, supplier, allocation_id)
    writes.delete(ctx=ctx, obj=row, version=version)
