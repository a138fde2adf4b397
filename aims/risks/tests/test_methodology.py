import io

import pytest
from django.core.management import call_command

from aims.activity.models import Event
from aims.core.errors import Conflict, PermissionDenied, ValidationError
from aims.risks.defaults import default_methodology_data
from aims.risks.models import RiskMethodology
from aims.risks.selectors import methodology_current, risk_get
from aims.risks.services import (
    methodology_defaults_ensure,
    methodology_version_create,
    risk_update,
)
from aims.risks.tests.conftest import three_by_three
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db


def test_every_new_organisation_starts_with_the_default(org, ctx):
    current = methodology_current(ctx=ctx)
    assert current.number == 1
    assert (current.likelihood_size, current.impact_size) == (5, 5)
    assert current.acceptance_threshold == "medium"
    assert [current.level_for(s) for s in (1, 4, 5, 9, 10, 15, 16, 25)] == [
        "low", "low", "medium", "medium", "high", "high", "critical", "critical"]
    # Seed data like the compliance items: the organisation's log starts with its creation.
    assert not Event.objects.filter(org=org, object_type="risks.riskmethodology").exists()


def test_a_change_is_a_new_logged_version_and_the_old_one_stays(ctx):
    v2 = methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    assert v2.number == 2 and v2.author == ctx.user
    v1 = RiskMethodology.objects.for_org(ctx.org).get(number=1)
    assert v1.likelihood_size == 5 and v1.version == 1  # untouched
    event = Event.objects.get(org=ctx.org, object_type="risks.riskmethodology")
    assert event.action == "create" and event.changes["number"]["after"] == 2


def test_a_stale_base_version_is_a_conflict_with_the_latest(ctx):
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    with pytest.raises(Conflict) as exc:
        methodology_version_create(ctx=ctx, data=default_methodology_data(), based_on=1)
    assert exc.value.current["number"] == 2
    assert RiskMethodology.objects.for_org(ctx.org).count() == 2


def _scale(n):
    return [{"value": i, "label": f"Level {i}", "criteria": f"When {i} applies."}
            for i in range(1, n + 1)]


@pytest.mark.parametrize("change, field, words", [
    ({"likelihood_scale": _scale(2)}, "likelihood_scale", "3 to 7 levels"),
    ({"impact_scale": _scale(8)}, "impact_scale", "3 to 7 levels"),
    ({"impact_scale": [{**_scale(3)[0], "value": 2}, *_scale(3)[1:]]}, "impact_scale",
     "without gaps"),
    ({"likelihood_scale": [{**_scale(3)[0], "label": " "}, *_scale(3)[1:]]},
     "likelihood_scale", "needs a label"),
    ({"likelihood_scale": [{**_scale(3)[0], "criteria": ""}, *_scale(3)[1:]]},
     "likelihood_scale", "needs criteria"),
    ({"likelihood_scale": [_scale(3)[0], {**_scale(3)[1], "label": "level 1"}, _scale(3)[2]]},
     "likelihood_scale", "used twice"),
    ({"bands": [{"level": "low", "min": 1, "max": 2}, {"level": "high", "min": 4, "max": 9}]},
     "bands", "score 3 is in no band"),
    ({"bands": [{"level": "low", "min": 1, "max": 4}, {"level": "high", "min": 4, "max": 9}]},
     "bands", "score 4 is in 2 bands"),
    ({"bands": [{"level": "low", "min": 1, "max": 4}, {"level": "high", "min": 5, "max": 8}]},
     "bands", "score 9 is in no band"),
    ({"bands": [{"level": "high", "min": 1, "max": 4}, {"level": "low", "min": 5, "max": 9}]},
     "bands", "rise with the score"),
    ({"bands": [{"level": "low", "min": 1, "max": 4}, {"level": "low", "min": 5, "max": 9}]},
     "bands", "appears twice"),
    ({"bands": [{"level": "extreme", "min": 1, "max": 9}]}, "bands", "Unknown level"),
    ({"bands": []}, "bands", "at least one"),
    ({"acceptance_threshold": "sky-high"}, "acceptance_threshold", ""),
])
def test_invalid_methodologies_name_the_rule_and_save_nothing(ctx, change, field, words):
    with pytest.raises(ValidationError) as exc:
        methodology_version_create(ctx=ctx, data=three_by_three(**change), based_on=1)
    assert field in exc.value.errors
    assert words in " ".join(exc.value.errors[field])
    assert RiskMethodology.objects.for_org(ctx.org).count() == 1


def test_gaps_in_impossible_scores_are_fine(ctx):
    """7, 11, 13… can never be a 5 × 5 score: bands need not agree about them."""
    data = default_methodology_data()
    data["bands"] = [{"level": "low", "min": 1, "max": 4}, {"level": "medium", "min": 5, "max": 6},
                     {"level": "high", "min": 8, "max": 12}, {"level": "critical", "min": 15,
                                                               "max": 25}]
    assert methodology_version_create(ctx=ctx, data=data, based_on=1).number == 2


def test_scales_of_seven_and_three_are_allowed(ctx):
    data = three_by_three(likelihood_scale=_scale(7), bands=[
        {"level": "low", "min": 1, "max": 6}, {"level": "high", "min": 7, "max": 21}])
    m = methodology_version_create(ctx=ctx, data=data, based_on=1)
    assert (m.likelihood_size, m.impact_size, m.max_score) == (7, 3, 21)


def test_readers_cannot_change_it(org, members):
    with pytest.raises(PermissionDenied):
        methodology_version_create(ctx=ctx_for(org, members["viewer"]),
                                   data=three_by_three(), based_on=1)


def test_old_risks_keep_their_versions_levels_and_new_risks_use_the_new_one(ctx, make_risk):
    old = make_risk(inherent_likelihood=2, inherent_impact=3)  # 6: medium under v1
    assert (old.inherent_score, old.inherent_level) == (6, "medium")
    # v2: a 5 × 5 grid where 6 counts as high and high may be accepted freely.
    data = default_methodology_data()
    data["bands"] = [{"level": "low", "min": 1, "max": 3}, {"level": "medium", "min": 4, "max": 5},
                     {"level": "high", "min": 6, "max": 14}, {"level": "critical", "min": 15,
                                                               "max": 25}]
    data["acceptance_threshold"] = "high"
    methodology_version_create(ctx=ctx, data=data, based_on=1)

    old = risk_get(ctx=ctx, risk_id=old.pk)
    assert old.methodology.number == 1
    assert (old.inherent_score, old.inherent_level) == (6, "medium")
    assert old.methodology.acceptance_threshold == "medium"
    new = risk_get(ctx=ctx, risk_id=make_risk(inherent_likelihood=2, inherent_impact=3).pk)
    assert new.methodology.number == 2
    assert (new.inherent_score, new.inherent_level) == (6, "high")
    assert not new.acceptance_required  # high is within v2's threshold


def test_rescoring_moves_a_risk_to_the_current_version_and_is_logged(ctx, make_risk):
    risk = make_risk(inherent_likelihood=3, inherent_impact=3)
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    # A change that touches no score keeps the old version.
    risk = risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"title": "Renamed"})
    assert risk.methodology.number == 1
    risk = risk_update(ctx=ctx, risk_id=risk.pk, version=2, data={"rescore": True})
    assert risk_get(ctx=ctx, risk_id=risk.pk).methodology.number == 2
    assert risk_get(ctx=ctx, risk_id=risk.pk).inherent_level == "high"  # 9 on the 3 × 3 grid
    event = Event.objects.filter(org=ctx.org, object_id=str(risk.pk)).order_by("-seq").first()
    assert event.changes["methodology"] == {"before": "v1", "after": "v2"}


def test_changing_a_score_rescores_and_checks_the_new_scale(ctx, make_risk):
    risk = make_risk(inherent_likelihood=5, inherent_impact=5)
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    with pytest.raises(ValidationError) as exc:
        risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"inherent_likelihood": 3})
    assert "between 1 and 3" in exc.value.errors["inherent_impact"][0]
    risk = risk_update(ctx=ctx, risk_id=risk.pk, version=1,
                       data={"inherent_likelihood": 3, "inherent_impact": 2})
    assert risk.methodology.number == 2


def test_init_gives_orgs_without_a_methodology_the_default(org, other_org):
    RiskMethodology.objects.for_org(other_org).delete()
    assert methodology_defaults_ensure() == 1
    assert RiskMethodology.objects.for_org(other_org).get().number == 1
    assert methodology_defaults_ensure() == 0
    RiskMethodology.objects.for_org(other_org).delete()
    out = io.StringIO()
    call_command("init", stdout=out)
    assert "Gave 1 organisations the default risk methodology." in out.getvalue()
    assert RiskMethodology.objects.for_org(other_org).exists()


def test_a_version_switch_that_empties_rated_scores_is_refused(ctx, make_risk):
    risk = make_risk(inherent_likelihood=5, inherent_impact=4, residual_likelihood=4,
                     residual_impact=4, treatment_option="mitigate",
                     treatment_rationale="Fairness testing before each release narrows it.")
    methodology_version_create(ctx=ctx, data=three_by_three(), based_on=1)
    with pytest.raises(ValidationError) as exc:
        risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={
            "title": "Reworded", "inherent_likelihood": None, "inherent_impact": None,
            "residual_likelihood": None, "residual_impact": None})
    assert set(exc.value.errors) == {"inherent_likelihood", "inherent_impact",
                                     "residual_likelihood", "residual_impact"}
    assert "v1" in exc.value.errors["inherent_likelihood"][0]
    risk = risk_get(ctx=ctx, risk_id=risk.pk)
    assert (risk.inherent_score, risk.methodology.number, risk.title) == \
        (20, 1, "Approvals differ unfairly between groups")
