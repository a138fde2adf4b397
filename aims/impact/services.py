"""Writes to impact assessments: drafting, review and approval, re-assessment, impacts."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction

from aims.activity.services import record
from aims.core.dates import add_months
from aims.core.errors import Conflict, NotFound, ValidationError
from aims.impact.guidance import BY_FIELD
from aims.impact.models import (
    CURRENT_STATUSES,
    FRIA_FIELDS,
    FRIA_TEXTS,
    OPEN_STATUSES,
    SECTIONS,
    Area,
    Impact,
    ImpactAssessment,
    Nature,
    Status,
    Trigger,
)
from aims.impact.selectors import impact_settings_version
from aims.inventory.models import AISystem, SystemChange
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.records import approval, writes
from aims.risks.selectors import methodology_current
from aims.risks.services import risk_create

ASSESSMENT_FIELDS = ("trigger", "trigger_note", *SECTIONS, *FRIA_FIELDS)
FRIA_LABELS = {"fria_process": "your process that uses the system",
               "fria_period": "the period and frequency of use",
               "fria_measures": "what happens if the risks materialise"}
IMPACT_FIELDS = ("area", "nature", "description", "severity", "likelihood", "reversibility",
                 "scale", "mitigations", "residual_rating")
MAX_INTERVAL_MONTHS = 60


def _stripped(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}


def _interval_months(ctx: Ctx) -> int:
    # Read from the row, not ctx.org: the setting may have changed since ctx was built.
    return Organization.objects.filter(pk=ctx.org.pk).values_list(
        "reassessment_interval_months", flat=True).get()


def _require_status(assessment: ImpactAssessment, allowed: tuple[str, ...], doing: str) -> None:
    if assessment.status not in allowed:
        names = " or ".join(Status(s).label.lower() for s in allowed)
        raise ValidationError({"status": [
            f"Only an assessment that is {names} can be {doing}; {assessment} is "
            f"{assessment.get_status_display().lower()}."
            + (" Approved assessments are read-only: start a new version to change it."
               if assessment.status in (*CURRENT_STATUSES, Status.SUPERSEDED) else "")]})


def _lock_assessment(ctx: Ctx, assessment_id: uuid.UUID) -> ImpactAssessment:
    return writes.get_for_update(ImpactAssessment, ctx=ctx, pk=assessment_id,
                                 label="Impact assessment")


def _check_trigger(trigger: str | None, number: int) -> None:
    if trigger == Trigger.INITIAL and number > 1:
        raise ValidationError({"trigger": [
            f"This is version {number}; only the first assessment of a system is the initial "
            "one. Choose planned interval, significant change or other."]})


# ---------------------------------------------------------------- assessments


def _prefill(system: AISystem, previous: ImpactAssessment | None) -> dict[str, str]:
    """A new version starts from the previous one; a first one from the inventory entry."""
    if previous is not None:
        return {name: getattr(previous, name)
                for name in (*SECTIONS, "fria_required", *FRIA_TEXTS) if name != "conclusion"}
    context = system.deployment_context
    if system.human_oversight:
        context = (f"{context}\n\n" if context else "") + f"Human oversight: {system.human_oversight}"
    return {"intended_purpose": system.intended_purpose, "context_of_use": context,
            "affected_individuals": system.affected_parties}


def _default_trigger(previous: ImpactAssessment | None) -> tuple[str, str]:
    """(trigger, note) when none is given: what the record says prompted the new version."""
    if previous is None:
        return Trigger.INITIAL, ""
    if previous.status == Status.NEEDS_REASSESSMENT and previous.reassessment_reason:
        return Trigger.SIGNIFICANT_CHANGE, previous.reassessment_reason
    if previous.is_overdue or previous.is_due_soon:
        return Trigger.INTERVAL, ""
    return Trigger.OTHER, ""


@transaction.atomic
def assessment_create(*, ctx: Ctx, data: dict[str, Any]) -> ImpactAssessment:
    """Start the next version of an AI system's impact assessment as a draft, pre-filled from
    the previous version (sections and impacts) or, for the first one, from the inventory."""
    ctx.require("impact.change")
    data = _stripped(writes.only(data, ("ai_system", "copy_previous", *ASSESSMENT_FIELDS)))
    system_id = data.pop("ai_system", None)
    copy_previous = data.pop("copy_previous", True)
    if not system_id:
        raise ValidationError({"ai_system": ["Choose the AI system to assess."]})
    try:
        # Locking the system serialises version numbers for it.
        system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    except NotFound as exc:
        raise ValidationError({"ai_system": ["No such AI system in this organisation."]}) from exc
    versions = ImpactAssessment.objects.for_org(ctx.org).filter(ai_system=system)
    if open_one := versions.filter(status__in=OPEN_STATUSES).first():
        raise ValidationError({"ai_system": [
            f"{system.name} already has version {open_one.number} "
            f"{open_one.get_status_display().lower()}: finish or delete it before starting "
            "another."]})
    previous = versions.order_by("-number").first()
    number = previous.number + 1 if previous else 1
    trigger, note = _default_trigger(previous)
    if not data.get("trigger"):
        data["trigger"] = trigger
        data["trigger_note"] = data.get("trigger_note") or note
    _check_trigger(data["trigger"], number)
    base = previous if copy_previous else None
    for name, value in _prefill(system, base).items():
        if not data.get(name):
            data[name] = value
    assessment = writes.create(ctx=ctx, obj=ImpactAssessment(
        org=ctx.org, ai_system=system, number=number, author=ctx.user, status=Status.DRAFT,
        **{k: v if v is not None or k == "fria_notified_on" else "" for k, v in data.items()}))
    if base is not None:
        for impact in base.impacts.order_by("created_at"):
            writes.create(ctx=ctx, obj=Impact(
                org=ctx.org, assessment=assessment, linked_risk_id=impact.linked_risk_id,
                **{name: getattr(impact, name) for name in IMPACT_FIELDS}))
    approval.note_contributor(ctx, assessment)
    return assessment


@transaction.atomic
def assessment_update(*, ctx: Ctx, assessment_id: uuid.UUID, data: dict[str, Any],
                      version: int | None) -> ImpactAssessment:
    """Change a draft's trigger or sections, written at `version`."""
    ctx.require("impact.change")
    data = _stripped(writes.only(data, ASSESSMENT_FIELDS))
    assessment = _lock_assessment(ctx, assessment_id)
    writes.check_version(assessment, version)
    _require_status(assessment, (Status.DRAFT,), "edited")
    if "trigger" in data:
        if not data["trigger"]:
            raise ValidationError({"trigger": ["Say why this assessment is being done."]})
        _check_trigger(data["trigger"], assessment.number)
    before = assessment.version
    assessment = writes.change(ctx=ctx, obj=assessment, data=data, version=version)
    if assessment.version != before:
        approval.note_contributor(ctx, assessment)
    return assessment


@transaction.atomic
def assessment_delete(*, ctx: Ctx, assessment_id: uuid.UUID, version: int | None) -> None:
    """Delete a draft (with its impacts); anything submitted stays in the record."""
    ctx.require("impact.change")
    assessment = _lock_assessment(ctx, assessment_id)
    writes.check_version(assessment, version)
    _require_status(assessment, (Status.DRAFT,), "deleted")
    writes.delete(ctx=ctx, obj=assessment, version=version)


def _completeness_problems(assessment: ImpactAssessment) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name in SECTIONS:
        if not getattr(assessment, name).strip():
            problems[name] = [f"Required before review: {BY_FIELD[name].question}"]
    if assessment.fria_required:
        for name in FRIA_TEXTS:
            if not getattr(assessment, name).strip():
                label = FRIA_LABELS[name]
                problems[name] = [f"Required before review of a fundamental rights impact "
                                  f"assessment: {label}."]
    impacts = list(assessment.impacts.all())
    if not impacts:
        problems["impacts"] = ["Record at least one impact before asking for review."]
    missing = [str(i) for i in impacts if i.nature == Nature.NEGATIVE and not i.mitigations.strip()]
    if missing:
        problems.setdefault("impacts", []).append(
            "Each negative impact needs its mitigations, or the reason there are none: "
            + "; ".join(missing) + ".")
    return problems


@transaction.atomic
def assessment_submit(*, ctx: Ctx, assessment_id: uuid.UUID, version: int | None
                     ) -> ImpactAssessment:
    """Send a complete draft, written at `version`, for review."""
    ctx.require("impact.change")
    assessment = _lock_assessment(ctx, assessment_id)
    writes.check_version(assessment, version)
    _require_status(assessment, (Status.DRAFT,), "submitted for review")
    if problems := _completeness_problems(assessment):
        raise ValidationError(problems)
    return writes.change(ctx=ctx, obj=assessment, version=version,
                         data=approval.submission(ctx, Status.IN_REVIEW))


PERSON = "An assessment"


@transaction.atomic
def assessment_approve(*, ctx: Ctx, assessment_id: uuid.UUID, version: int | None,
                       comment: str = "", approved_on: datetime.date | None = None,
                       happened_on: datetime.date | None = None,
                       acknowledge_changes: bool = False) -> ImpactAssessment:
    """Approve an assessment in review, at the version the approver read. The approver needs
    impact.approve and must not have created, edited or submitted it since it was last sent
    back; the approval is dated between its submission and today (or, recorded later by an
    owner or admin, on the day it really happened: `happened_on`); significant changes recorded
    while it was open must be acknowledged. The system's previous assessment is superseded
    and the next one falls due after the organisation's re-assessment interval."""
    ctx.require("impact.approve")
    assessment = _lock_assessment(ctx, assessment_id)
    approval.require_person(ctx, PERSON, "approved")
    approval.require_second_person(ctx, assessment)
    writes.check_version(assessment, version)
    _require_status(assessment, (Status.IN_REVIEW,), "approved")
    approved_on = approval.approval_date(assessment, approved_on, "the assessment", ctx=ctx,
                                         happened_on=happened_on)
    extra: dict[str, Any] | None = None
    if assessment.pending_change_note:
        if not acknowledge_changes:
            raise ValidationError({"acknowledge_changes": [
                "Significant changes to the system were recorded while this version was open: "
                f"{assessment.pending_change_note} Confirm the assessment takes them into "
                "account (acknowledge_changes), or send it back to be updated."]})
        extra = {"acknowledged_changes": {"before": None,
                                          "after": assessment.pending_change_note}}
    if happened_on is not None:
        extra = {**(extra or {}), "recorded_later": {"before": None, "after": True}}
    previous = (ImpactAssessment.objects.for_org(ctx.org).select_for_update()
                .filter(ai_system_id=assessment.ai_system_id, status__in=CURRENT_STATUSES)
                .exclude(pk=assessment.pk))
    for old in previous:
        writes.change(ctx=ctx, obj=old, version=old.version,
                      data={"status": Status.SUPERSEDED})
    return writes.change(ctx=ctx, obj=assessment, version=version, extra_changes=extra, data={
        **approval.approval(ctx, Status.APPROVED, approved_on, comment),
        "next_due": add_months(approved_on, _interval_months(ctx))})


@transaction.atomic
def assessment_return(*, ctx: Ctx, assessment_id: uuid.UUID, version: int | None,
                      comment: str) -> ImpactAssessment:
    """Send an assessment in review back to draft with the reviewer's reasons."""
    ctx.require("impact.approve")
    assessment = _lock_assessment(ctx, assessment_id)
    approval.require_person(ctx, PERSON, "returned")
    writes.check_version(assessment, version)
    _require_status(assessment, (Status.IN_REVIEW,), "sent back")
    comment = approval.return_reason(comment)
    assessment = writes.change(ctx=ctx, obj=assessment, version=version,
                               data=approval.returned(ctx, Status.DRAFT, comment))
    approval.after_return(assessment)
    return assessment


def _postdates_approval(change: SystemChange, assessment: ImpactAssessment) -> bool:
    """Whether `change` took effect after `assessment` was approved (a change on the approval
    day counts when it was recorded after the approval)."""
    if assessment.approved_on is None:
        return True
    if change.changed_on != assessment.approved_on:
        return change.changed_on > assessment.approved_on
    return assessment.reviewed_at is None or change.created_at >= assessment.reviewed_at


@transaction.atomic
def assessment_flag_for_change(*, ctx: Ctx, change: SystemChange) -> ImpactAssessment | None:
    """Record a significant `change` against the system's assessments (called by the inventory
    when one is recorded): a version in draft or review gets it as a pending change its
    approver must acknowledge; the standing assessment is marked as needing re-assessment if
    the change took effect after its approval. Returns the standing assessment if flagged."""
    ctx.require("impact.change")
    reason = f"Significant change on {change.changed_on:%Y-%m-%d}: {change.description}"
    versions = (ImpactAssessment.objects.for_org(ctx.org).select_for_update()
                .filter(ai_system_id=change.ai_system_id,
                        status__in=(*CURRENT_STATUSES, *OPEN_STATUSES)).order_by("-number"))
    open_one = next((v for v in versions if v.status in OPEN_STATUSES), None)
    current = next((v for v in versions if v.status in CURRENT_STATUSES), None)
    if open_one is not None:
        note = (f"{open_one.pending_change_note}\n{reason}" if open_one.pending_change_note
                else reason)
        writes.change(ctx=ctx, obj=open_one, version=open_one.version,
                      data={"pending_change_note": note})
    if current is None or not _postdates_approval(change, current):
        return None
    if current.status == Status.NEEDS_REASSESSMENT and current.reassessment_reason:
        reason = f"{current.reassessment_reason}\n{reason}"
    return writes.change(ctx=ctx, obj=current, version=current.version, data={
        "status": Status.NEEDS_REASSESSMENT, "reassessment_reason": reason,
        "flagged_change": change})


# ---------------------------------------------------------------- impacts


def _lock_draft(ctx: Ctx, assessment_id: uuid.UUID, doing: str) -> ImpactAssessment:
    assessment = _lock_assessment(ctx, assessment_id)
    if assessment.status != Status.DRAFT:
        raise ValidationError({"status": [
            f"Impacts can only be {doing} while the assessment is a draft; {assessment} is "
            f"{assessment.get_status_display().lower()}."]})
    return assessment


def _lock_impact(ctx: Ctx, assessment: ImpactAssessment, impact_id: uuid.UUID) -> Impact:
    impact = writes.get_for_update(Impact, ctx=ctx, pk=impact_id, label="Impact")
    if impact.assessment_id != assessment.pk:
        raise NotFound("Impact not found.")
    impact.assessment = assessment
    return impact


@transaction.atomic
def impact_create(*, ctx: Ctx, assessment_id: uuid.UUID, data: dict[str, Any]) -> Impact:
    """Add an impact to a draft assessment."""
    ctx.require("impact.change")
    data = _stripped(writes.only(data, IMPACT_FIELDS))
    assessment = _lock_draft(ctx, assessment_id, "added")
    data = {k: ("" if v is None and k in ("mitigations", "residual_rating") else v)
            for k, v in data.items()}
    impact = writes.create(ctx=ctx, obj=Impact(org=ctx.org, assessment=assessment, **data))
    approval.note_contributor(ctx, assessment)
    return impact


@transaction.atomic
def impact_update(*, ctx: Ctx, assessment_id: uuid.UUID, impact_id: uuid.UUID, data: dict[str, Any],
                  version: int | None) -> Impact:
    """Change an impact of a draft assessment, written at `version`."""
    ctx.require("impact.change")
    data = _stripped(writes.only(data, IMPACT_FIELDS))
    assessment = _lock_draft(ctx, assessment_id, "changed")
    impact = _lock_impact(ctx, assessment, impact_id)
    before = impact.version
    impact = writes.change(ctx=ctx, obj=impact, data=data, version=version)
    if impact.version != before:
        approval.note_contributor(ctx, assessment)
    return impact


@transaction.atomic
def impact_delete(*, ctx: Ctx, assessment_id: uuid.UUID, impact_id: uuid.UUID, version: int | None
                 ) -> None:
    """Remove an impact from a draft assessment."""
    ctx.require("impact.change")
    assessment = _lock_draft(ctx, assessment_id, "removed")
    impact = _lock_impact(ctx, assessment, impact_id)
    writes.delete(ctx=ctx, obj=impact, version=version)
    approval.note_contributor(ctx, assessment)


def risk_delete_check(*, ctx: Ctx, obj) -> None:
    """Refuse to delete a risk an impact assessment relies on (called by the risk register
    before deleting): the link is part of what was assessed and approved."""
    risk = obj
    linked = list(Impact.objects.for_org(ctx.org).filter(linked_risk_id=risk.pk)
                  .select_related("assessment__ai_system").order_by("created_at")[:5])
    if linked:
        names = "; ".join(sorted({str(i.assessment) for i in linked}))
        raise ValidationError({"__all__": [
            f"{risk} cannot be deleted: impact assessments link to it ({names}). The risk "
            "stays in the register as long as an assessment relies on it; close it instead."]})


# The register's category that fits each impact area best; the risk owner can change it.
RISK_CATEGORY_FOR_AREA: dict[str, str] = {
    Area.FAIRNESS: "bias", Area.PRIVACY: "privacy", Area.SAFETY: "safety",
    Area.RIGHTS: "legal", Area.AUTONOMY: "accountability", Area.TRANSPARENCY: "transparency",
    Area.EMPLOYMENT: "other", Area.ECONOMIC: "other", Area.ENVIRONMENT: "environmental",
    Area.ACCESSIBILITY: "bias", Area.OTHER: "other",
}
IMPACT_SCALE = 5


def _rescale(value: int, size: int) -> int:
    """A 1–5 impact rating on a methodology scale of `size` levels (lowest and highest kept)."""
    if size == IMPACT_SCALE:
        return value
    return round((value - 1) * (size - 1) / (IMPACT_SCALE - 1)) + 1


def _risk_title(impact: Impact) -> str:
    text = " ".join(impact.description.split())
    if len(text) <= 190:
        return text
    return text[:190].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def impact_raise_risk(*, ctx: Ctx, assessment_id: uuid.UUID, impact_id: uuid.UUID,
                      version: int | None, data: dict[str, Any] | None = None) -> Impact:
    """Create a risk in the register from a negative impact and link the two, in one step.

    The risk is rated from the impact (likelihood → inherent likelihood, severity → inherent
    impact, on the current methodology's scales) and owned by the system's owner unless
    `data` names a title or owner."""
    ctx.require("impact.change")
    data = _stripped(writes.only(data or {}, ("title", "owner")))
    assessment = _lock_assessment(ctx, assessment_id)
    impact = _lock_impact(ctx, assessment, impact_id)
    writes.check_version(impact, version)
    if impact.nature != Nature.NEGATIVE:
        raise ValidationError({"nature": [
            "Only a negative impact can raise a risk; a positive one has nothing to treat."]})
    if impact.linked_risk_id is not None:
        raise ValidationError({"linked_risk": [
            f"This impact is already tracked by risk {impact.linked_risk}."]})
    system = assessment.ai_system
    methodology = methodology_current(ctx=ctx)
    lk_size = methodology.likelihood_size if methodology else IMPACT_SCALE
    im_size = methodology.impact_size if methodology else IMPACT_SCALE
    owner = data.get("owner") or system.owner_id or getattr(ctx.user, "pk", None)
    details = [f"{impact.get_reversibility_display()}, at {impact.get_scale_display().lower()} "
               f"scale."]
    if impact.mitigations:
        details.append(f"Mitigations recorded in the assessment: {impact.mitigations}")
    risk = risk_create(ctx=ctx, data={
        "title": data.get("title") or _risk_title(impact),
        "description": f"{impact.description}\n\n" + " ".join(details),
        "category": RISK_CATEGORY_FOR_AREA.get(impact.area, "other"),
        "risk_source": f"{impact.get_area_display()} impact identified in {assessment}.",
        "owner": owner,
        "inherent_likelihood": _rescale(impact.likelihood, lk_size),
        "inherent_impact": _rescale(impact.severity, im_size),
        "status": "assessed",
        "ai_systems": [system.pk],
    })
    return writes.change(ctx=ctx, obj=impact, version=version, data={"linked_risk": risk})


# ---------------------------------------------------------------- settings


@transaction.atomic
def impact_settings_update(*, ctx: Ctx, data: dict[str, Any], version: int | None) -> int:
    """Set the organisation's re-assessment interval (owners only); returns the new settings
    version. Assessments approved earlier keep their due dates."""
    ctx.require("org.manage")
    data = writes.only(data, ("reassessment_interval_months",))
    org = Organization.objects.select_for_update().get(pk=ctx.org.pk)
    current = impact_settings_version(org=org)
    if writes.require_version(version) != current:
        raise Conflict(
            "The impact assessment settings were changed by someone else since you opened them "
            f"(you edited version {version}, they are now version {current}). Review the "
            "current values and apply your change again.",
            current={"version": current,
                     "reassessment_interval_months": org.reassessment_interval_months})
    if "reassessment_interval_months" not in data:
        return current
    months = data["reassessment_interval_months"]
    if not isinstance(months, int) or isinstance(months, bool) or not (
            1 <= months <= MAX_INTERVAL_MONTHS):
        raise ValidationError({"reassessment_interval_months": [
            f"Give a whole number of months from 1 to {MAX_INTERVAL_MONTHS}."]})
    before = org.reassessment_interval_months
    if months == before:
        return current
    Organization.objects.filter(pk=org.pk).update(reassessment_interval_months=months)
    ctx.org.reassessment_interval_months = months
    record(ctx=ctx, action="update", obj=org, changes={
        "reassessment_interval_months": {"before": before, "after": months}})
    return current + 1
