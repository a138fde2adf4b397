"""Writes: saving an AI system's EU AI Act classification."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from aims.aiact import engine, obligations
from aims.aiact.models import ClassificationVersion, ObligationItem, ObligationStatus
from aims.aiact.questionnaire import BY_ID
from aims.catalog.models import Requirement
from aims.catalog.selectors import framework_get
from aims.compliance.models import ComplianceItem, InclusionReason
from aims.core.errors import ValidationError
from aims.impact.selectors import fria_standing
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx, ctx_for_cli
from aims.orgs.models import Organization
from aims.orgs.selectors import member_user_get
from aims.records import writes

PERM = "inventory.change"
ITEM_PERM = "compliance.change"  # working an obligation is compliance work, like the SoA
FRAMEWORK = "eu-ai-act"
ITEM_JUSTIFICATION = ("A legal obligation under the EU AI Act for one or more of the "
                      "organisation's AI systems, as their classification in aims shows.")


def answer_errors(answers: Any) -> tuple[dict[str, Any], engine.Evaluation]:
    """The answers the legal path reaches and the evaluation; ValidationError naming each
    question whose answer is missing or not a valid choice, or that is no question at all."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": ["Give the answers as {question id: answer}."]})
    errors = {f"answers.{k}": ["Not a question of the classification."]
              for k in engine.unknown_questions(answers)}
    ev = engine.evaluate(answers)
    for qid, problem in ev.errors.items():
        q = BY_ID[qid]
        errors[f"answers.{qid}"] = [f"{q.article}: “{q.text}” {problem}"]
    if ev.pending and not ev.errors:
        q = BY_ID[ev.pending]
        errors[f"answers.{ev.pending}"] = [f"{q.article}: answer “{q.text}”"]
    if errors:
        raise ValidationError(errors)
    return {qid: answers[qid] for qid in ev.asked}, ev


def _ensure_items(*, ctx: Ctx, refs: set[str]) -> list[str]:
    """Give ctx.org an applicable EU AI Act item (status, owner, evidence, like an SoA item)
    for each obligation's article it lacks; items already there keep their decisions."""
    have = set(ComplianceItem.objects.for_org(ctx.org)
               .filter(requirement__framework__code=FRAMEWORK, requirement__ref__in=refs)
               .values_list("requirement__ref", flat=True))
    missing = list(Requirement.objects.filter(framework__code=FRAMEWORK, ref__in=refs - have)
                   .order_by("sort_key"))
    ComplianceItem.objects.for_org(ctx.org).bulk_create([
        ComplianceItem(org=ctx.org, requirement=r, applicable=True,
                       inclusion_reason=InclusionReason.LEGAL, justification=ITEM_JUSTIFICATION)
        for r in missing])
    return [r.ref for r in missing]


@transaction.atomic
def classification_save(*, ctx: Ctx, system_id: uuid.UUID | str, answers: Any,
                        version: int | None) -> ClassificationVersion:
    """Save a new classification of one AI system written on top of version `version` (0 for
    the first): the answers are walked whole, or nothing is saved; the system's EU class
    follows the result (a manual override ends), and the obligations it brings become EU AI
    Act items of the organisation."""
    ctx.require(PERM)
    system = writes.get_for_update(AISystem, ctx=ctx, pk=system_id, label="AI system")
    kept, ev = answer_errors(answers)
    assert ev.result is not None
    latest = (ClassificationVersion.objects.for_org(ctx.org).filter(ai_system=system)
              .order_by("-number").first())
    number = writes.check_based_on(latest=latest, based_on=version,
                                   what=f"The classification of {system.name}",
                                   fields=("answers", "result_class"))
    result = ev.result
    timeline = framework_get(code=FRAMEWORK).timeline
    duties = obligations.derive(cls=result.cls, facts=result.facts, system_roles=system.roles,
                                timeline=timeline)
    added = _ensure_items(ctx=ctx, refs={o.ref for o in duties})
    saved = writes.create(ctx=ctx, obj=ClassificationVersion(
        org=ctx.org, ai_system=system, number=number, answers=kept, result_class=result.cls,
        trace=result.trace, facts=result.facts, saved_by=ctx.user),
        extra_changes={"obligation_items_added": {"before": None, "after": added}}
        if added else None)
    obligation_items_refresh(ctx=ctx, system=system, duties=duties)
    changes: dict[str, Any] = {}
    if system.eu_risk_class != result.cls:
        changes["eu_risk_class"] = result.cls
    if system.eu_class_override_reason:
        changes["eu_class_override_reason"] = ""
    if changes:
        writes.change(ctx=ctx, obj=system, data=changes, version=system.version)
    return saved


# ---------------------------------------------------------------------------- obligation items

ITEM_EDITABLE = ("status", "status_reason", "owner", "notes", "last_reviewed")
FRIA_RULE = "fria"


def obligation_items_refresh(*, ctx: Ctx, system: AISystem,
                             duties: list[obligations.Obligation]) -> None:
    """Make the system's obligation items match `duties` (what its classification brings
    now): new ones are created, ones it no longer brings are kept and marked as ended, ended
    ones it brings again apply again with their status, and dates follow the timeline data.
    Each write is logged. Call inside the transaction that saved the classification."""
    assert transaction.get_connection().in_atomic_block, "call from inside a service transaction"
    existing = {(i.ref, i.role, i.rule): i for i in ObligationItem.objects.for_org(ctx.org)
                .select_for_update().filter(ai_system=system)}
    wanted = {(d.ref, d.role, d.when): d for d in duties}
    requirements = {r.ref: r for r in Requirement.objects.filter(
        framework__code=FRAMEWORK, ref__in={d.ref for d in duties})}
    for key, d in wanted.items():
        item = existing.get(key)
        if item is None:
            writes.create(ctx=ctx, obj=ObligationItem(
                org=ctx.org, ai_system=system, requirement=requirements.get(d.ref), ref=d.ref,
                role=d.role, rule=d.when, duty=d.duty, applies_from=d.applies_from,
                timeline_key=d.timeline_key))
            continue
        data: dict[str, Any] = {k: v for k, v in (
            ("duty", d.duty), ("applies_from", d.applies_from),
            ("timeline_key", d.timeline_key)) if getattr(item, k) != v}
        if not item.applies:
            data.update(applies=True, ended_on=None)
        if item.requirement_id is None and d.ref in requirements:
            data["requirement"] = requirements[d.ref]
        if data:
            writes.change(ctx=ctx, obj=item, data=data, version=item.version)
    today = timezone.localdate()
    for key, item in existing.items():
        if key not in wanted and item.applies:
            writes.change(ctx=ctx, obj=item, data={"applies": False, "ended_on": today},
                          version=item.version)


def obligation_items_upgrade() -> str:
    """`aims init`: give every classified AI system the obligation items its latest
    classification brings (systems classified before items existed, or after a change to the
    obligation rules or the timeline data), logged as done by `aims init`."""
    latest: dict[Any, ClassificationVersion] = {}
    for v in (ClassificationVersion.all_orgs.select_related("ai_system", "org")
              .order_by("ai_system_id", "-number")):
        latest.setdefault(v.ai_system_id, v)
    if not latest:
        return ""
    timeline = framework_get(code=FRAMEWORK).timeline
    before = ObligationItem.all_orgs.count()
    by_org: dict[Any, list[ClassificationVersion]] = {}
    for v in latest.values():
        by_org.setdefault(v.org_id, []).append(v)
    for org in Organization.objects.filter(pk__in=list(by_org)):
        ctx = ctx_for_cli(org.slug, actor_label="aims init")
        with transaction.atomic():
            for v in by_org[org.pk]:
                system = v.ai_system
                obligation_items_refresh(ctx=ctx, system=system, duties=obligations.derive(
                    cls=v.result_class, facts=v.facts, system_roles=system.roles,
                    timeline=timeline))
    added = ObligationItem.all_orgs.count() - before
    return f"Gave classified AI systems {added} EU AI Act obligation items." if added else ""


@transaction.atomic
def obligation_item_update(*, ctx: Ctx, item_id: uuid.UUID | str, data: dict[str, Any],
                           version: int | None) -> ObligationItem:
    """Work one obligation: its status (not applicable only with a reason; Art. 27 met only
    with a complete fundamental rights impact assessment), owner, notes, review date."""
    ctx.require(ITEM_PERM)
    item = writes.get_for_update(ObligationItem, ctx=ctx, pk=item_id, label="Obligation")
    data = {k: v for k, v in data.items() if k != "version"}
    if fixed := sorted(set(data) - set(ITEM_EDITABLE)):  # what the classification decides
        raise ValidationError({k: ["This field cannot be changed: it follows from the "
                                   "system's classification."] for k in fixed})
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    status = data.get("status", item.status)
    if status not in ObligationStatus.values:
        raise ValidationError({"status": [f"Choose one of: {', '.join(ObligationStatus.values)}."]})
    if status != ObligationStatus.NOT_APPLICABLE and "status" in data:
        data.setdefault("status_reason", "")  # a reason only explains "not applicable"
    if (status == ObligationStatus.MET and item.rule == FRIA_RULE
            and status != item.status):
        fria = fria_standing(ctx=ctx, system_ids=[item.ai_system_id])[item.ai_system_id]
        if not fria.complete:
            raise ValidationError({"status": [
                "Art. 27 is met once the system has a fundamental rights impact assessment: "
                "an impact assessment marked as one, with "
                + ", ".join(fria.missing or ("its FRIA sections",)) + " filled in. "
                + ("Complete it first." if fria.state == "incomplete" else
                   "Start one from the system's impact assessments.")]})
    # Changing the status is reviewing it: it dates itself today unless a date is given.
    if (data.get("status", item.status) != item.status
            and data.get("last_reviewed", item.last_reviewed) == item.last_reviewed):
        data["last_reviewed"] = timezone.localdate()
    return writes.change(ctx=ctx, obj=item, data=data, version=version)
