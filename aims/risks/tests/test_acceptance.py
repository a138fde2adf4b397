"""The acceptance rule: above the threshold only the risk owner signs off the residual risk,
and a later change to the residual scores clears the sign-off."""

import pytest

from aims.activity.models import Event
from aims.core.errors import PermissionDenied, ValidationError
from aims.risks.selectors import risk_get
from aims.risks.services import risk_accept, risk_update
from aims.testing.factories import ctx_for

pytestmark = pytest.mark.django_db

RATIONALE = "Grounding and hand-over to agents reduce it as far as the model allows."


@pytest.fixture
def high_residual(make_risk, members):
    """Residual 3 × 4 = 12, high: above the default medium threshold. Owned by the admin."""
    return make_risk(owner=members["admin"].pk, inherent_likelihood=4, inherent_impact=4,
                     treatment_option="mitigate", treatment_rationale=RATIONALE,
                     residual_likelihood=3, residual_impact=4, status="treating")


def test_above_the_threshold_acceptance_needs_the_owners_sign_off(ctx, high_residual):
    risk = risk_get(ctx=ctx, risk_id=high_residual.pk)
    assert risk.acceptance_required and risk.awaiting_signoff
    with pytest.raises(ValidationError) as exc:
        risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"status": "accepted"})
    assert "sign off" in exc.value.errors["status"][0]


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_only_the_risk_owner_may_sign_off(org, members, high_residual, role):
    with pytest.raises(PermissionDenied):
        risk_accept(ctx=ctx_for(org, members[role]), risk_id=high_residual.pk, version=1)
    assert risk_get(ctx=ctx_for(org, members[role]), risk_id=high_residual.pk).accepted_at is None


def test_the_owner_signs_off_and_who_and_when_are_recorded(org, members, high_residual):
    admin = ctx_for(org, members["admin"])
    risk = risk_accept(ctx=admin, risk_id=high_residual.pk, version=1)
    assert (risk.accepted_by, risk.status) == (members["admin"], "accepted")
    assert risk.accepted_at is not None and not risk.awaiting_signoff
    event = Event.objects.filter(org=org, object_id=str(risk.pk)).order_by("-seq").first()
    assert event.changes["accepted_by"]["after"] == str(members["admin"].pk)
    assert event.changes["status"] == {"before": "treating", "after": "accepted"}
    with pytest.raises(ValidationError):
        risk_accept(ctx=admin, risk_id=risk.pk, version=2)  # already signed off


def test_a_reader_who_owns_the_risk_still_cannot_sign_off(org, members, make_risk):
    risk = make_risk(owner=members["viewer"].pk, inherent_likelihood=4, inherent_impact=4)
    with pytest.raises(PermissionDenied):
        risk_accept(ctx=ctx_for(org, members["viewer"]), risk_id=risk.pk, version=1)


def test_no_owner_or_no_rating_means_no_sign_off(ctx, make_risk):
    with pytest.raises(ValidationError) as exc:
        risk_accept(ctx=ctx, risk_id=make_risk(inherent_likelihood=4, inherent_impact=4).pk,
                    version=1)
    assert "owner" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        risk_accept(ctx=ctx, risk_id=make_risk(owner=ctx.user.pk).pk, version=1)
    assert "inherent_likelihood" in exc.value.errors


def test_a_residual_change_clears_the_sign_off_and_the_log_says_so(org, members, high_residual):
    admin = ctx_for(org, members["admin"])
    risk_accept(ctx=admin, risk_id=high_residual.pk, version=1)
    # Someone else edits something unrelated: the sign-off stands.
    editor = ctx_for(org, members["editor"])
    risk = risk_update(ctx=editor, risk_id=high_residual.pk, version=2, data={
        "description": "Clarified.", "residual_likelihood": 3, "residual_impact": 4})
    assert risk.accepted_at is not None and risk.status == "accepted"
    risk = risk_update(ctx=editor, risk_id=risk.pk, version=3, data={"residual_impact": 5})
    assert (risk.accepted_by, risk.accepted_at, risk.status) == (None, None, "assessed")
    event = Event.objects.filter(org=org, object_id=str(risk.pk)).order_by("-seq").first()
    assert event.changes["accepted_by"] == {"before": str(members["admin"].pk), "after": None}
    assert event.changes["accepted_at"]["after"] is None
    assert event.changes["status"] == {"before": "accepted", "after": "assessed"}
    assert risk_get(ctx=editor, risk_id=risk.pk).awaiting_signoff


def test_within_the_threshold_no_sign_off_is_needed(ctx, make_risk):
    risk = make_risk(inherent_likelihood=2, inherent_impact=2, treatment_option="accept",
                     treatment_rationale="A rare, minor inconvenience that staff fix at once.",
                     status="accepted")
    risk = risk_get(ctx=ctx, risk_id=risk.pk)
    assert risk.current_level == "low"
    assert not risk.acceptance_required and not risk.awaiting_signoff
    assert risk.status == "accepted" and risk.accepted_at is None


def test_an_accept_decision_above_the_threshold_awaits_sign_off(ctx, make_risk):
    risk = make_risk(inherent_likelihood=4, inherent_impact=4, treatment_option="accept",
                     treatment_rationale="Avoiding it would mean closing the product line.")
    assert risk_get(ctx=ctx, risk_id=risk.pk).awaiting_signoff


# ---------------------------------------------------------------- review fixes


@pytest.fixture
def signed_off_unrated_residual(org, make_risk, members):
    """Inherent 4 × 4 = 16 (critical), no residual rating, accepted as is by its owner."""
    risk = make_risk(owner=members["admin"].pk, inherent_likelihood=4, inherent_impact=4,
                     treatment_option="accept", treatment_rationale=RATIONALE,
                     status="assessed")
    return risk_accept(ctx=ctx_for(org, members["admin"]), risk_id=risk.pk, version=1)


@pytest.mark.parametrize("change", [
    {"inherent_likelihood": 3},                    # score 12: the level moves to high
    {"inherent_likelihood": 5, "inherent_impact": 4},  # score 20: same level, new score
    {"treatment_option": "mitigate"},
])
def test_a_change_to_what_was_signed_off_clears_the_sign_off(ctx, org,
                                                             signed_off_unrated_residual, change):
    risk = signed_off_unrated_residual
    assert risk.status == "accepted" and risk.accepted_at is not None
    risk = risk_update(ctx=ctx, risk_id=risk.pk, version=risk.version, data=change)
    assert (risk.accepted_at, risk.accepted_by, risk.status) == (None, None, "assessed")
    event = Event.objects.filter(org=org, object_id=str(risk.pk)).order_by("-seq").first()
    assert event.changes["accepted_at"]["after"] is None
    assert event.changes["status"] == {"before": "accepted", "after": "assessed"}


def test_other_changes_keep_the_sign_off(ctx, signed_off_unrated_residual):
    risk = signed_off_unrated_residual
    risk = risk_update(ctx=ctx, risk_id=risk.pk, version=risk.version,
                       data={"title": "Reworded", "inherent_likelihood": 4})
    assert risk.accepted_at is not None and risk.status == "accepted"


def test_a_closed_risk_cannot_be_signed_off(org, members, make_risk):
    risk = make_risk(owner=members["admin"].pk, inherent_likelihood=4, inherent_impact=4,
                     status="closed")
    with pytest.raises(ValidationError) as exc:
        risk_accept(ctx=ctx_for(org, members["admin"]), risk_id=risk.pk, version=1)
    assert "closed" in exc.value.errors["status"][0]
    assert risk_get(ctx=ctx_for(org, members["admin"]), risk_id=risk.pk).accepted_at is None


def test_api_sign_off_of_a_closed_risk_is_422(org, members, make_risk, api_client_for):
    risk = make_risk(owner=members["admin"].pk, inherent_likelihood=4, inherent_impact=4,
                     status="closed")
    r = api_client_for(members["admin"]).post(
        f"/api/v1/orgs/{org.slug}/risks/{risk.pk}/accept", {"version": 1})
    assert r.status_code == 422, r.content
