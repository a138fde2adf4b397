import datetime
from decimal import Decimal

import pytest

from aims.activity.models import Event
from aims.activity.services import log_verify
from aims.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from aims.members.services import member_remove
from aims.objectives import services
from aims.objectives.models import Measurement, Objective
from aims.objectives.tests.conftest import OBJECTIVE, events_for
from aims.testing.factories import add_member, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- objectives


def test_create_logs_every_field_and_the_linked_systems_in_one_entry(ctx, make_objective):
    credit = make_ai_system(ctx, name="Credit engine")
    chatbot = make_ai_system(ctx, name="Chatbot")
    objective = make_objective(owner=ctx.user.pk, ai_systems=[credit.pk, chatbot.pk],
                               baseline="0.09")
    assert objective.version == 1
    assert set(objective.ai_systems.all()) == {credit, chatbot}
    [event] = events_for(objective)
    assert event.action == "create"
    assert event.changes["ai_systems"] == {"before": None, "after": ["Chatbot", "Credit engine"]}
    assert event.changes["target"]["after"] == "0.0500"
    assert event.changes["baseline"]["after"] == "0.0900"
    assert event.changes["owner"]["after"] == str(ctx.user.pk)


def test_update_logs_only_what_changed_and_a_new_set_of_systems(ctx, make_objective):
    credit = make_ai_system(ctx, name="Credit engine")
    chatbot = make_ai_system(ctx, name="Chatbot")
    objective = make_objective(ai_systems=[credit.pk])
    updated = services.objective_update(ctx=ctx, objective_id=objective.pk, version=1, data={
        "title": "Approval gap", "target": "0.05", "ai_systems": [chatbot.pk, credit.pk]})
    assert updated.version == 2
    assert set(updated.ai_systems.all()) == {credit, chatbot}
    event = events_for(objective)[-1]
    # 0.05 is the stored 0.0500: not a change.
    assert set(event.changes) == {"title", "ai_systems"}
    assert event.changes["ai_systems"] == {"before": ["Credit engine"],
                                           "after": ["Chatbot", "Credit engine"]}


def test_same_systems_in_another_order_is_no_change(ctx, make_objective):
    a, b = make_ai_system(ctx, name="A"), make_ai_system(ctx, name="B")
    objective = make_objective(ai_systems=[a.pk, b.pk])
    services.objective_update(ctx=ctx, objective_id=objective.pk, version=1,
                              data={"ai_systems": [b.pk, a.pk]})
    objective.refresh_from_db()
    assert objective.version == 1 and len(events_for(objective)) == 1


def test_stale_update_is_a_conflict_with_current_values(ctx, make_objective):
    objective = make_objective()
    services.objective_update(ctx=ctx, objective_id=objective.pk, version=1,
                              data={"unit": "share"})
    with pytest.raises(Conflict) as exc:
        services.objective_update(ctx=ctx, objective_id=objective.pk, version=1,
                                  data={"unit": "fraction"})
    assert exc.value.current["unit"] == "share" and exc.value.current["version"] == 2


@pytest.mark.parametrize("change,field", [
    ({"title": "  "}, "title"),
    ({"metric": ""}, "metric"),
    ({"target": "abc"}, "target"),
    ({"target": "NaN"}, "target"),
    ({"target": "Infinity"}, "target"),
    ({"target": "0.00001"}, "target"),
    ({"target": "1e20"}, "target"),
    ({"baseline": "x"}, "baseline"),
    ({"policy_topic": "vibes"}, "policy_topic"),
    ({"policy_topic": "other"}, "policy_reference"),
    ({"direction": "sideways"}, "direction"),
    ({"frequency": "weekly"}, "frequency"),
    ({"owner": "00000000-0000-0000-0000-000000000000"}, "owner"),
    ({"ai_systems": ["not-an-id"]}, "ai_systems"),
    ({"ai_systems": "one"}, "ai_systems"),
    ({"due_date": None}, "due_date"),
    ({"colour": "blue"}, "colour"),
])
def test_create_refuses_bad_input_naming_the_field(ctx, change, field):
    with pytest.raises(ValidationError) as exc:
        services.objective_create(ctx=ctx, data={**OBJECTIVE, **change})
    assert field in exc.value.errors
    assert not Objective.objects.for_org(ctx.org).exists()


def test_other_topic_needs_a_reference(ctx):
    objective = services.objective_create(ctx=ctx, data={
        **OBJECTIVE, "policy_topic": "other", "policy_reference": "Board risk appetite §2"})
    assert objective.policy_reference == "Board risk appetite §2"


def test_people_and_systems_of_another_org_are_refused(ctx, other_org):
    outsider_ctx = ctx_for(other_org, add_member(other_org, "editor"))
    foreign = make_ai_system(outsider_ctx, name="Their system")
    with pytest.raises(ValidationError) as exc:
        services.objective_create(ctx=ctx, data={**OBJECTIVE, "ai_systems": [foreign.pk]})
    assert "ai_systems" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.objective_create(ctx=ctx, data={**OBJECTIVE, "owner": outsider_ctx.user.pk})
    assert "owner" in exc.value.errors


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_read_only_roles_cannot_write(org, members, make_objective, measure, role):
    objective = make_objective()
    measurement = measure(objective, "0.04")
    reader = ctx_for(org, members[role])
    calls = [
        lambda: services.objective_create(ctx=reader, data=OBJECTIVE),
        lambda: services.objective_update(ctx=reader, objective_id=objective.pk, version=1,
                                          data={"title": "x"}),
        lambda: services.objective_delete(ctx=reader, objective_id=objective.pk, version=1),
        lambda: services.measurement_create(ctx=reader, objective_id=objective.pk,
                                            data={"measured_on": datetime.date(2025, 1, 1),
                                                  "value": "1"}),
        lambda: services.measurement_delete(ctx=reader, objective_id=objective.pk,
                                            measurement_id=measurement.pk, version=1),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_delete_keeps_the_objective_and_its_measurements_in_one_log_entry(
        ctx, make_objective, measure):
    system = make_ai_system(ctx, name="Credit engine")
    objective = make_objective(ai_systems=[system.pk])
    measure(objective, "0.07", on=datetime.date(2025, 3, 31))
    measure(objective, "0.0625", on=datetime.date(2025, 6, 30))
    with pytest.raises(Conflict):
        services.objective_delete(ctx=ctx, objective_id=objective.pk, version=5)
    before = Event.objects.filter(org=ctx.org).count()
    services.objective_delete(ctx=ctx, objective_id=objective.pk, version=1)
    assert Event.objects.filter(org=ctx.org).count() == before + 1
    event = events_for(objective)[-1]
    assert event.action == "delete"
    assert event.changes["measurements"]["before"] == ["2025-03-31: 0.07", "2025-06-30: 0.0625"]
    assert event.changes["ai_systems"]["before"] == ["Credit engine"]
    assert not Objective.objects.for_org(ctx.org).exists()
    assert not Measurement.objects.for_org(ctx.org).exists()
    assert log_verify(org=ctx.org).ok


def test_a_leaving_owner_is_released_and_logged(org, owner_ctx, make_objective):
    leaver = add_member(org, "editor", email="leaver@acme.example.com")
    objective = make_objective(owner=leaver.pk)
    from aims.orgs.models import Membership
    membership = Membership.objects.get(org=org, user=leaver)
    member_remove(ctx=owner_ctx, membership_id=membership.pk, version=membership.version)
    objective.refresh_from_db()
    assert objective.owner is None and objective.version == 2
    assert events_for(objective)[-1].changes["owner"]["before"] == str(leaver.pk)


# ---------------------------------------------------------------- measurements


def test_measurement_is_recorded_with_who_and_logged(ctx, make_objective, measure):
    objective = make_objective()
    m = measure(objective, "0.042", note="n = 1 812 decisions")
    assert m.recorded_by == ctx.user and m.value == Decimal("0.0420")
    [event] = events_for(m)
    assert event.action == "create"
    assert event.changes["objective"]["after"] == str(objective.pk)
    assert event.changes["value"]["after"] == "0.0420"


@pytest.mark.parametrize("value,stored", [
    ("0.05", "0.0500"), (0.1, "0.1000"), (Decimal("5E+1"), "50.0000"), ("-0", "0.0000"),
    ("-12.5", "-12.5000"), (" 97.5 ", "97.5000"), (3, "3.0000"),
    ("12345678901.2345", "12345678901.2345"),
])
def test_decimals_survive_the_log_round_trip_exactly(ctx, make_objective, measure, value, stored):
    """What the log says was created is what the database hands back, and what the deletion
    records: no 0.05 at creation and 0.0500 at deletion."""
    objective = make_objective()
    m = measure(objective, value)
    created = events_for(m)[0].changes["value"]["after"]
    m = Measurement.objects.for_org(ctx.org).get(pk=m.pk)
    assert created == stored == str(m.value)
    services.measurement_delete(ctx=ctx, objective_id=objective.pk, measurement_id=m.pk,
                                version=1)
    assert events_for(m)[-1].changes["value"]["before"] == stored
    assert log_verify(org=ctx.org).ok


@pytest.mark.parametrize("value", ["abc", "NaN", "-Infinity", "0.00001", "123456789012.5", "1e300",
                                   None, "", True])
def test_bad_values_are_refused(make_objective, measure, value):
    objective = make_objective()
    with pytest.raises(ValidationError) as exc:
        measure(objective, value)
    assert "value" in exc.value.errors


def test_one_measurement_per_date_and_no_future_dates(make_objective, measure):
    objective = make_objective()
    measure(objective, "0.04", on=datetime.date(2025, 3, 31))
    with pytest.raises(ValidationError) as exc:
        measure(objective, "0.03", on=datetime.date(2025, 3, 31))
    assert "delete it and record the right value" in exc.value.errors["measured_on"][0]
    with pytest.raises(ValidationError) as exc:
        measure(objective, "0.03", on=datetime.date.today() + datetime.timedelta(days=2))
    assert "future" in exc.value.errors["measured_on"][0]


def test_abandoned_objectives_take_no_measurements(ctx, make_objective, measure):
    objective = make_objective(status="abandoned")
    with pytest.raises(ValidationError):
        measure(objective, "0.04")
    achieved = make_objective(status="achieved", title="Done already")
    assert measure(achieved, "0.04").pk


def test_correction_is_delete_and_add_both_logged(ctx, make_objective, measure):
    objective = make_objective()
    wrong = measure(objective, "0.4", on=datetime.date(2025, 3, 31))
    with pytest.raises(Conflict):
        services.measurement_delete(ctx=ctx, objective_id=objective.pk, measurement_id=wrong.pk,
                                    version=2)
    services.measurement_delete(ctx=ctx, objective_id=objective.pk, measurement_id=wrong.pk,
                                version=1)
    right = measure(objective, "0.04", on=datetime.date(2025, 3, 31))
    assert [e.action for e in events_for(wrong)] == ["create", "delete"]
    assert [e.action for e in events_for(right)] == ["create"]


def test_measurement_of_another_objective_or_org_is_not_found(ctx, other_org, make_objective,
                                                              measure):
    first, second = make_objective(), make_objective(title="Second")
    m = measure(first, "0.04")
    with pytest.raises(NotFound):
        services.measurement_delete(ctx=ctx, objective_id=second.pk, measurement_id=m.pk,
                                    version=1)
    outsider = ctx_for(other_org, add_member(other_org, "editor"))
    with pytest.raises(NotFound):
        services.measurement_delete(ctx=outsider, objective_id=first.pk, measurement_id=m.pk,
                                    version=1)
    with pytest.raises(NotFound):
        services.measurement_create(ctx=outsider, objective_id=first.pk,
                                    data={"measured_on": datetime.date(2025, 1, 1), "value": "1"})
    assert Measurement.objects.for_org(ctx.org).count() == 1
