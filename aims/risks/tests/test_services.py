import datetime

import pytest

from aims.activity.models import Event
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.risks.models import Risk, TreatmentAction
from aims.risks.selectors import RiskFilters, action_list, risk_get, risk_list
from aims.risks.services import (
    action_create,
    action_delete,
    action_update,
    risk_create,
    risk_delete,
    risk_update,
)
from aims.testing.factories import add_member, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_refs_count_up_per_organisation(ctx, make_risk, other_org):
    assert [make_risk().ref for _ in range(3)] == ["R-001", "R-002", "R-003"]
    other = ctx_for(other_org, add_member(other_org, "editor"))
    assert make_risk(ctx=other).ref == "R-001"
    assert list(Risk.objects.for_org(ctx.org).values_list("number", flat=True)) == [1, 2, 3]


def test_a_deleted_ref_is_not_reused_while_a_later_one_exists(ctx, make_risk):
    first, second = make_risk(), make_risk()
    risk_delete(ctx=ctx, risk_id=first.pk, version=1)
    assert make_risk().ref == "R-003"
    assert second.ref == "R-002"


def test_create_logs_fields_links_and_methodology(ctx, make_risk, system):
    risk = make_risk(ai_systems=[system.pk], controls=["A.6.2.6"], inherent_likelihood=4,
                     inherent_impact=5, owner=ctx.user.pk, description="Proxy features.")
    event = Event.objects.get(org=ctx.org, object_id=str(risk.pk))
    assert event.action == "create"
    assert event.changes["ref"]["after"] == "R-001"
    assert event.changes["ai_systems"]["after"] == ["Credit decision engine"]
    assert event.changes["controls"]["after"] == ["A.6.2.6"]
    assert event.changes["methodology"]["after"] == "v1"
    assert event.changes["inherent_likelihood"]["after"] == 4
    risk = risk_get(ctx=ctx, risk_id=risk.pk)
    assert (risk.inherent_score, risk.inherent_level) == (20, "critical")
    assert [s.name for s in risk.ai_systems.all()] == ["Credit decision engine"]


@pytest.mark.parametrize("data, field", [
    ({"title": ""}, "title"),
    ({"category": "gremlins"}, "category"),
    ({"inherent_likelihood": 6, "inherent_impact": 1}, "inherent_likelihood"),
    ({"inherent_likelihood": 3, "inherent_impact": 0}, "inherent_impact"),
    ({"inherent_likelihood": 3}, "inherent_impact"),
    ({"residual_likelihood": 2, "residual_impact": 2}, "inherent_likelihood"),
    ({"status": "assessed"}, "inherent_likelihood"),
    ({"treatment_option": "mitigate"}, "treatment_rationale"),
    ({"treatment_option": "accept", "treatment_rationale": "n/a"}, "treatment_rationale"),
    ({"status": "treating", "inherent_likelihood": 2, "inherent_impact": 2}, "treatment_option"),
    ({"owner": "00000000-0000-0000-0000-000000000000"}, "owner"),
    ({"ai_systems": ["not-a-uuid"]}, "ai_systems"),
    ({"ai_systems": "all"}, "ai_systems"),
    ({"controls": ["A.99"]}, "controls"),
    ({"controls": ["4.1"]}, "controls"),  # a clause is not an Annex A control
    ({"number": 7}, "number"),
    ({"accepted_by": 1}, "accepted_by"),
])
def test_invalid_input_names_the_field_and_writes_nothing(ctx, make_risk, data, field):
    before = Event.objects.filter(org=ctx.org).count()
    with pytest.raises(ValidationError) as exc:
        make_risk(**data)
    assert field in exc.value.errors, exc.value.errors
    assert not Risk.objects.for_org(ctx.org).exists()
    assert Event.objects.filter(org=ctx.org).count() == before


def test_another_organisations_system_or_owner_is_refused(ctx, make_risk, other_org):
    from aims.orgs.models import Membership

    outsider = Membership.objects.get(org=other_org).user
    foreign = make_ai_system(ctx_for(other_org, outsider), name="Their system")
    with pytest.raises(ValidationError) as exc:
        make_risk(ai_systems=[foreign.pk])
    assert "ai_systems" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        make_risk(owner=outsider.pk)
    assert exc.value.errors["owner"] == ["Must be a member of this organisation."]


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_readers_cannot_write_risks_or_actions(org, members, make_risk, role):
    risk = make_risk()
    reader = ctx_for(org, members[role])
    for call in (lambda: make_risk(ctx=reader),
                 lambda: risk_update(ctx=reader, risk_id=risk.pk, version=1, data={"title": "x"}),
                 lambda: risk_delete(ctx=reader, risk_id=risk.pk, version=1),
                 lambda: action_create(ctx=reader, risk_id=risk.pk, data={"title": "x"})):
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("role", ["owner", "admin", "editor"])
def test_editors_can_write(org, members, make_risk, role):
    assert make_risk(ctx=ctx_for(org, members[role])).ref == "R-001"


def test_update_logs_only_what_changed_including_links(ctx, make_risk, system):
    other = make_ai_system(ctx, name="CV screening assistant")
    risk = make_risk(ai_systems=[system.pk])
    risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={
        "title": risk.title, "description": "Now described.", "ai_systems": [other.pk, system.pk]})
    event = Event.objects.filter(org=ctx.org, object_id=str(risk.pk), action="update").get()
    assert set(event.changes) == {"description", "ai_systems"}
    assert event.changes["ai_systems"] == {
        "before": ["Credit decision engine"],
        "after": ["CV screening assistant", "Credit decision engine"]}
    # The same links again change nothing and log nothing.
    risk_update(ctx=ctx, risk_id=risk.pk, version=2, data={"ai_systems": [system.pk, other.pk]})
    assert Event.objects.filter(org=ctx.org, object_id=str(risk.pk), action="update").count() == 1


def test_stale_update_is_a_conflict_with_current_values(ctx, make_risk):
    risk = make_risk()
    risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"title": "First"})
    with pytest.raises(Conflict) as exc:
        risk_update(ctx=ctx, risk_id=risk.pk, version=1, data={"title": "Second"})
    assert exc.value.current["title"] == "First" and exc.value.current["version"] == 2


def test_foreign_or_missing_ids_are_not_found(ctx, make_risk, other_org):
    risk = make_risk()
    other = ctx_for(other_org, add_member(other_org, "editor"))
    for call in (lambda: risk_get(ctx=other, risk_id=risk.pk),
                 lambda: risk_update(ctx=other, risk_id=risk.pk, version=1, data={}),
                 lambda: risk_delete(ctx=other, risk_id=risk.pk, version=1),
                 lambda: action_create(ctx=other, risk_id=risk.pk, data={"title": "x"}),
                 lambda: risk_get(ctx=ctx, risk_id="nope")):
        with pytest.raises(NotFound):
            call()


def test_delete_keeps_links_and_actions_in_the_log(ctx, make_risk, system):
    risk = make_risk(ai_systems=[system.pk], controls=["A.7.4"])
    action_create(ctx=ctx, risk_id=risk.pk, data={"title": "Reweight the data"})
    risk_delete(ctx=ctx, risk_id=risk.pk, version=1)
    assert not Risk.objects.for_org(ctx.org).exists()
    assert not TreatmentAction.objects.for_org(ctx.org).exists()
    event = Event.objects.get(org=ctx.org, object_id=str(risk.pk), action="delete")
    assert event.changes["controls"]["before"] == ["A.7.4"]
    assert event.changes["ai_systems"]["before"] == ["Credit decision engine"]
    assert event.changes["treatment_actions"]["before"] == ["Reweight the data (open)"]


def test_treatment_actions_and_overdue(ctx, make_risk, members):
    risk = make_risk()
    past = datetime.date.today() - datetime.timedelta(days=1)
    late = action_create(ctx=ctx, risk_id=risk.pk, data={
        "title": "Bias test", "owner": members["admin"].pk, "due_date": past})
    assert late.overdue
    action_create(ctx=ctx, risk_id=risk.pk, data={"title": "No date"})
    late = action_update(ctx=ctx, risk_id=risk.pk, action_id=late.pk, version=1,
                         data={"status": "done"})
    assert not late.overdue
    row = risk_list(ctx=ctx).get(pk=risk.pk)
    assert (row.open_actions, row.overdue_actions) == (1, 0)
    assert [a.title for a in action_list(ctx=ctx, risk_id=risk.pk)] == ["Bias test", "No date"]
    with pytest.raises(ValidationError):
        action_create(ctx=ctx, risk_id=risk.pk, data={"title": "x", "status": "someday"})
    action_delete(ctx=ctx, risk_id=risk.pk, action_id=late.pk, version=2)
    assert Event.objects.filter(org=ctx.org, object_id=str(late.pk), action="delete").exists()


def test_an_action_is_only_reached_through_its_own_risk(ctx, make_risk):
    a, b = make_risk(), make_risk()
    action = action_create(ctx=ctx, risk_id=a.pk, data={"title": "Bias test"})
    with pytest.raises(NotFound):
        action_update(ctx=ctx, risk_id=b.pk, action_id=action.pk, version=1, data={"title": "x"})


def test_a_departing_member_is_released_as_risk_and_action_owner(org, members, make_risk):
    from aims.members.services import member_remove
    from aims.orgs.models import Membership

    admin = members["admin"]
    risk = make_risk(owner=admin.pk)
    action = action_create(ctx=ctx_for(org, members["editor"]), risk_id=risk.pk,
                           data={"title": "Check", "owner": admin.pk})
    leaving = Membership.objects.get(org=org, user=admin)
    member_remove(ctx=ctx_for(org, members["owner"]), membership_id=leaving.pk,
                  version=leaving.version)
    risk.refresh_from_db()
    action.refresh_from_db()
    assert risk.owner_id is None and action.owner_id is None


def test_register_filters_and_sorting(ctx, make_risk, system, members):
    today = datetime.date.today()
    a = make_risk(title="Drift in fraud scores", category="drift", inherent_likelihood=2,
                  inherent_impact=2, next_review=today - datetime.timedelta(days=3))
    b = make_risk(title="Hallucinated fees", category="robustness", inherent_likelihood=5,
                  inherent_impact=5, ai_systems=[system.pk], owner=members["admin"].pk,
                  treatment_option="mitigate", status="treating",
                  treatment_rationale="Ground answers in the help centre and cite it.",
                  residual_likelihood=2, residual_impact=3)
    c = make_risk(title="Closed one", status="closed",
                  next_review=today - datetime.timedelta(days=3))

    def refs(**f):
        return [r.ref for r in risk_list(ctx=ctx, filters=RiskFilters(**f))]

    assert refs(q="fees") == [b.ref]
    assert refs(q="r-001") == [a.ref]
    assert refs(category="drift") == [a.ref]
    assert refs(level="low") == [a.ref]
    assert refs(level="medium") == [b.ref]  # residual 6 is what it stands at now
    assert refs(level="critical") == []
    assert refs(status="open") == [a.ref, b.ref]
    assert refs(status="closed") == [c.ref]
    assert refs(owner=str(members["admin"].pk)) == [b.ref]
    assert refs(ai_system=str(system.pk)) == [b.ref]
    assert refs(treatment_option="mitigate") == [b.ref]
    assert refs(overdue_review=True) == [a.ref]
    assert refs(sort="-inherent") == [b.ref, a.ref, c.ref]
    assert refs(sort="inherent") == [a.ref, b.ref, c.ref]
    assert refs(sort="-residual") == [b.ref, a.ref, c.ref]
    assert refs(sort="review")[:2] == [a.ref, c.ref]
    assert refs(sort="-ref") == [c.ref, b.ref, a.ref]
    assert refs(basis="inherent", likelihood=5, impact=5) == [b.ref]
    assert refs(basis="residual", likelihood=2, impact=3) == [b.ref]


def test_create_accepts_the_data_shape_the_impact_assessment_uses(ctx, system):
    """risk_create(data=…) takes model field names plus ai_systems ids and control refs."""
    risk = risk_create(ctx=ctx, data={
        "title": "Applicants from rural areas get worse terms", "category": "bias",
        "description": "Raised from the impact assessment.", "ai_systems": [system.pk],
        "controls": ["A.5.4"], "inherent_likelihood": 3, "inherent_impact": 4,
        "status": "assessed", "owner": ctx.user.pk})
    assert risk.ref == "R-001" and risk.status == "assessed"
