import datetime
from decimal import Decimal

import pytest

from aims.core.errors import NotFound
from aims.objectives import selectors, services
from aims.objectives.models import PERIOD_DAYS, Objective, allowed_gap
from aims.objectives.tracking import next_due, overdue_cutoff, progress
from aims.testing.factories import add_member, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def _get(ctx, objective, today=TODAY) -> Objective:
    return selectors.objective_get(ctx=ctx, objective_id=objective.pk, today=today)


# ---------------------------------------------------------------- on track or not


@pytest.mark.parametrize("direction,value,track", [
    ("higher", "95", "on_track"),
    ("higher", "94.9999", "off_track"),
    ("higher", "95.0001", "on_track"),
    ("higher", "-3", "off_track"),
    ("lower", "95", "on_track"),
    ("lower", "95.0001", "off_track"),
    ("lower", "94.9999", "on_track"),
    ("lower", "-3", "on_track"),
])
def test_track_status_follows_the_direction_and_equal_meets_the_target(
        ctx, make_objective, measure, direction, value, track):
    objective = make_objective(direction=direction, target="95", unit="%")
    measure(objective, value)
    got = _get(ctx, objective)
    assert got.track == track
    # The database rule and the one the chart colours points with agree.
    assert got.meets_target(Decimal(value)) == (track == "on_track")


def test_no_measurement_is_no_data_and_the_latest_date_decides(ctx, make_objective, measure):
    objective = make_objective(direction="lower", target="0.05")
    assert _get(ctx, objective).track == "no_data"
    assert _get(ctx, objective).latest_value is None and not _get(ctx, objective).overdue
    # Recorded out of order: the latest by date counts, not the latest recorded.
    measure(objective, "0.03", on=datetime.date(2026, 3, 31))
    measure(objective, "0.09", on=datetime.date(2025, 12, 31))
    got = _get(ctx, objective)
    assert got.track == "on_track" and got.latest_value == Decimal("0.03")
    assert got.latest_on == datetime.date(2026, 3, 31)


def test_negative_targets_and_values(ctx, make_objective, measure):
    objective = make_objective(direction="higher", target="-2.5", unit="pp")
    measure(objective, "-2.5")
    assert _get(ctx, objective).track == "on_track"


# ---------------------------------------------------------------- overdue


@pytest.mark.parametrize("frequency", list(PERIOD_DAYS))
def test_overdue_starts_the_day_after_period_plus_grace(ctx, make_objective, measure, frequency):
    objective = make_objective(frequency=frequency)
    last = datetime.date(2025, 1, 31)
    measure(objective, "0.04", on=last)
    due = next_due(frequency=frequency, latest_on=last)
    assert due == last + allowed_gap(frequency)
    assert not _get(ctx, objective, today=due).overdue
    assert _get(ctx, objective, today=due + datetime.timedelta(days=1)).overdue
    assert overdue_cutoff(frequency=frequency, today=due) == last


def test_only_active_objectives_are_overdue(ctx, make_objective, measure):
    objective = make_objective(frequency="monthly")
    measure(objective, "0.04", on=datetime.date(2025, 1, 31))
    assert _get(ctx, objective).overdue
    services.objective_update(ctx=ctx, objective_id=objective.pk, version=1,
                              data={"status": "achieved"})
    assert not _get(ctx, objective).overdue


def test_overdue_does_not_change_the_track_status(ctx, make_objective, measure):
    objective = make_objective(frequency="monthly", direction="lower", target="0.05")
    measure(objective, "0.04", on=datetime.date(2025, 1, 31))
    got = _get(ctx, objective)
    assert got.track == "on_track" and got.overdue


# ---------------------------------------------------------------- progress


@pytest.mark.parametrize("baseline,target,direction,latest,expected", [
    ("40", "95", "higher", "88", 87),
    ("40", "95", "higher", "95", 100),
    ("40", "95", "higher", "99", 100),
    ("40", "95", "higher", "30", 0),
    ("0.09", "0.05", "lower", "0.061", 72),
    ("0.09", "0.05", "lower", "0.05", 100),
    ("0.09", "0.05", "lower", "0.12", 0),
    ("-10", "0", "higher", "-5", 50),
    (None, "95", "higher", "88", None),
    ("40", "95", "higher", None, None),
    ("99", "95", "higher", "97", None),  # the baseline already met the target
    ("95", "95", "higher", "97", None),
    ("0.01", "0.05", "lower", "0.02", None),
])
def test_progress_from_baseline_toward_target(baseline, target, direction, latest, expected):
    d = lambda v: None if v is None else Decimal(v)  # noqa: E731
    assert progress(baseline=d(baseline), target=d(target), direction=direction,
                    latest=d(latest)) == expected


# ---------------------------------------------------------------- lists and filters


def test_filters(ctx, org, make_objective, measure):
    owner = add_member(org, "admin", email="lead@acme.example.com")
    system = make_ai_system(ctx, name="Chatbot")
    on = make_objective(title="Declines reviewed", direction="higher", target="100",
                        policy_topic="human_oversight", owner=owner.pk, ai_systems=[system.pk])
    off = make_objective(title="Approval gap", metric="Gap in approval rates by age band")
    late = make_objective(title="Wrong answers", frequency="monthly", target="2", unit="%")
    none = make_objective(title="Training", status="achieved")
    measure(on, "100", on=datetime.date(2026, 5, 31))
    measure(off, "0.07", on=datetime.date(2026, 5, 31))
    measure(late, "1.5", on=datetime.date(2026, 1, 31))

    def titles(**kw):
        f = selectors.ObjectiveFilters(**kw)
        return [o.title for o in selectors.objective_list(ctx=ctx, filters=f, today=TODAY)]

    assert titles() == ["Approval gap", "Declines reviewed", "Wrong answers", "Training"]
    assert titles(track="on_track") == ["Declines reviewed", "Wrong answers"]
    assert titles(track="off_track") == ["Approval gap"]
    assert titles(track="no_data") == ["Training"]
    assert titles(track="overdue") == ["Wrong answers"]
    assert titles(q="rates by age") == ["Approval gap"]
    assert titles(policy_topic="human_oversight") == ["Declines reviewed"]
    assert titles(owner=str(owner.pk)) == ["Declines reviewed"]
    assert titles(status="achieved") == ["Training"]
    assert titles(ai_system=str(system.pk)) == ["Declines reviewed"]
    assert none.pk


def test_list_carries_the_last_measurements_for_the_chart(ctx, make_objective, measure):
    objective = make_objective()
    start = datetime.date(2024, 1, 31)
    for i in range(selectors.RECENT_POINTS + 3):
        measure(objective, str(i), on=start + datetime.timedelta(days=31 * i))
    [row] = selectors.objective_list(ctx=ctx, today=TODAY)
    recent = row.recent_measurements
    assert len(recent) == selectors.RECENT_POINTS
    assert max(m.value for m in recent) == Decimal(selectors.RECENT_POINTS + 2)


def test_get_is_scoped(ctx, other_org, make_objective):
    objective = make_objective()
    outsider = ctx_for(other_org, add_member(other_org, "owner", email="o2@globex.example.com"))
    with pytest.raises(NotFound):
        selectors.objective_get(ctx=outsider, objective_id=objective.pk)
    with pytest.raises(NotFound):
        selectors.objective_get(ctx=ctx, objective_id="not-a-uuid")


def test_history_includes_deleted_measurements_and_nothing_else(ctx, make_objective, measure):
    objective = make_objective()
    other = make_objective(title="Other")
    m = measure(objective, "0.04")
    measure(other, "0.04")
    services.measurement_delete(ctx=ctx, objective_id=objective.pk, measurement_id=m.pk,
                                version=1)
    events = list(selectors.objective_history(ctx=ctx, objective=objective))
    assert [(e.object_type, e.action) for e in events] == [
        ("objectives.measurement", "delete"), ("objectives.measurement", "create"),
        ("objectives.objective", "create")]


def test_never_measured_is_overdue_once_a_whole_period_has_passed(ctx, make_objective):
    objective = make_objective(frequency="monthly")
    set_on = objective.created_at.date()
    assert not _get(ctx, objective, today=set_on + datetime.timedelta(days=10)).overdue
    assert _get(ctx, objective, today=set_on + datetime.timedelta(days=120)).overdue
    services.objective_update(ctx=ctx, objective_id=objective.pk, version=objective.version,
                              data={"status": "abandoned"})
    assert not _get(ctx, objective, today=set_on + datetime.timedelta(days=120)).overdue


def test_dashboard_counts_only_active_objectives_off_track(ctx, make_objective, measure, org,
                                                           members, web_client_for):
    active = make_objective(direction="higher", target="95", title="Active one")
    dropped = make_objective(direction="higher", target="95", title="Dropped one")
    measure(active, "50")
    measure(dropped, "50")
    services.objective_update(ctx=ctx, objective_id=dropped.pk, version=dropped.version,
                              data={"status": "abandoned"})
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/").content.decode()
    assert "<strong>1</strong> objective off track" in body
