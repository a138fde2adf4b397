"""Writes: saving an AI system's EU AI Act classification."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from aims.aiact import engine, obligations
from aims.aiact.models import ClassificationVersion
from aims.aiact.questionnaire import BY_ID
from aims.catalog.models import Requirement
from aims.catalog.selectors import framework_get
from aims.compliance.models import ComplianceItem, InclusionReason
from aims.core.errors import ValidationError
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.records import writes

PERM = "inventory.change"
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
    changes: dict[str, Any] = {}
    if system.eu_risk_class != result.cls:
        changes["eu_risk_class"] = result.cls
    if system.eu_class_override_reason:
        changes["eu_class_override_reason"] = ""
    if changes:
        writes.change(ctx=ctx, obj=system, data=changes, version=system.version)
    return saved
