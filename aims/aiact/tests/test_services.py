"""Saving a classification: versioned, whole or not at all, logged, and what it does to the
AI system, the organisation's EU AI Act items and the review flag."""

from __future__ import annotations

import pytest

from aims.activity.models import Event
from aims.aiact import selectors
from aims.aiact.models import ClassificationVersion
from aims.aiact.services import classification_save
from aims.aiact.tests.probe import HIGH_RISK
from aims.aiact.tests.test_engine import case
from aims.compliance.models import ComplianceItem
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.inventory.models import AISystem
from aims.inventory.services import ai_system_update, system_change_record
from aims.testing.factories import ctx_for, make_ai_system


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="CV ranker", roles=["provider", "deployer"],
                          eu_risk_class="unassessed")


def eu_items(org):
    return ComplianceItem.objects.for_org(org).filter(requirement__framework__code="eu-ai-act")


def test_first_save_makes_version_one_sets_the_class_and_logs(ctx, system):
    before = Event.objects.filter(org=ctx.org).count()
    saved = classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    assert saved.number == 1 and saved.result_class == "high" and saved.saved_by == ctx.user
    assert saved.trace[0]["article"] == "Art. 3(1)"
    system.refresh_from_db()
    assert system.eu_risk_class == "high"
    events = [e for e in Event.objects.filter(org=ctx.org).order_by("seq")[before:]
              if e.object_type != "aiact.obligationitem"]  # each obligation: its own event
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "aiact.classificationversion"), ("update", "inventory.aisystem")]
    assert "Art. 9" in events[0].changes["obligation_items_added"]["after"]


def test_obligations_become_applicable_eu_ai_act_items_once(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    items = {i.requirement.ref: i for i in eu_items(ctx.org).select_related("requirement")}
    assert {"Art. 4", "Art. 9", "Art. 26", "Art. 50", "Annex IV"} <= set(items)
    assert all(i.applicable and i.inclusion_reason == "legal" for i in items.values())
    count = len(items)
    other = make_ai_system(ctx, name="Second ranker", roles=["provider"],
                           eu_risk_class="unassessed")
    classification_save(ctx=ctx, system_id=other.pk, answers=HIGH_RISK, version=0)
    assert eu_items(ctx.org).count() == count


def test_every_save_is_a_new_version_and_stale_versions_conflict(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    second = classification_save(ctx=ctx, system_id=system.pk, answers=case(), version=1)
    assert second.number == 2 and second.result_class == "minimal"
    with pytest.raises(Conflict):
        classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=1)
    assert [v.number for v in selectors.classification_versions(
        ctx=ctx, system_id=system.pk)] == [2, 1]
    system.refresh_from_db()
    assert system.eu_risk_class == "minimal"


@pytest.mark.parametrize(("answers", "field", "words"), [
    ({**HIGH_RISK, "profiling": "perhaps"}, "answers.profiling", "Choose one of: yes, no"),
    ({**HIGH_RISK, "annex_iii": ["4z"]}, "answers.annex_iii", "Not a choice here: 4z"),
    ({k: v for k, v in HIGH_RISK.items() if k != "exclusion"}, "answers.exclusion", "Art. 2"),
    ({**HIGH_RISK, "colour": "blue"}, "answers.colour", "Not a question"),
])
def test_bad_answers_name_the_question_and_save_nothing(ctx, system, answers, field, words):
    before = Event.objects.filter(org=ctx.org).count()
    with pytest.raises(ValidationError) as exc:
        classification_save(ctx=ctx, system_id=system.pk, answers=answers, version=0)
    assert field in exc.value.errors and words in " ".join(exc.value.errors[field])
    assert not ClassificationVersion.objects.for_org(ctx.org).exists()
    assert Event.objects.filter(org=ctx.org).count() == before
    assert not eu_items(ctx.org).exists()


def test_answers_the_path_does_not_reach_are_dropped(ctx, system):
    saved = classification_save(ctx=ctx, system_id=system.pk,
                                answers={**case(exclusion="defence"), "profiling": "yes"},
                                version=0)
    assert saved.result_class == "out_of_scope"
    assert set(saved.answers) == {"ai_system", "gpai_model", "exclusion"}


def test_viewers_may_not_classify_and_foreign_systems_are_not_found(org, members, system,
                                                                    other_org):
    with pytest.raises(PermissionDenied):
        classification_save(ctx=ctx_for(org, members["viewer"]), system_id=system.pk,
                            answers=HIGH_RISK, version=0)
    from aims.orgs.models import Membership
    outsider = Membership.objects.get(org=other_org, role="owner").user
    with pytest.raises(NotFound):
        classification_save(ctx=ctx_for(other_org, outsider), system_id=system.pk,
                            answers=HIGH_RISK, version=0)


def test_a_manual_class_needs_a_reason_and_is_flagged_until_the_next_classification(ctx, system):
    with pytest.raises(ValidationError) as exc:
        ai_system_update(ctx=ctx, system_id=system.pk, data={"eu_risk_class": "minimal"},
                         version=system.version)
    assert "eu_class_override_reason" in exc.value.errors
    system = ai_system_update(ctx=ctx, system_id=system.pk, version=system.version, data={
        "eu_risk_class": "minimal", "eu_class_override_reason": "Counsel's opinion of May."})
    assert system.eu_class_overridden
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    system = AISystem.objects.for_org(ctx.org).get(pk=system.pk)
    assert system.eu_risk_class == "high" and not system.eu_class_overridden


def test_a_significant_change_marks_the_classification_for_review(ctx, system):
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    assert not selectors.classification_get(ctx=ctx, system_id=system.pk).needs_review
    system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Minor dependency bump", "significant": False})
    assert not selectors.classification_get(ctx=ctx, system_id=system.pk).needs_review
    system_change_record(ctx=ctx, system_id=system.pk, data={
        "description": "Now also ranks internal promotions", "significant": True})
    c = selectors.classification_get(ctx=ctx, system_id=system.pk)
    assert c.needs_review and "internal promotions" in c.review_reason
    assert selectors.class_overview(ctx=ctx)["review"] == 1
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=1)
    assert not selectors.classification_get(ctx=ctx, system_id=system.pk).needs_review


def test_a_classified_system_cannot_be_deleted_only_retired(ctx, system):
    from aims.inventory.services import ai_system_delete
    classification_save(ctx=ctx, system_id=system.pk, answers=HIGH_RISK, version=0)
    system.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        ai_system_delete(ctx=ctx, system_id=system.pk, version=system.version)
    assert "EU AI Act classifications" in str(exc.value)
