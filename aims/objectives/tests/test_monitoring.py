"""Monitoring and measurement (9.1): monitors, results judged against thresholds, the plan."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from aims.core.errors import PermissionDenied, ValidationError
from aims.objectives import selectors, services
from aims.objectives.tests.conftest import events_for
from aims.testing.factories import add_member, ctx_for, make_ai_system

pytestmark = pytest.mark.django_db

MONITOR = {"name": "Override rate of automated declines", "indicator": "human_override",
           "method": "Share of automated declines changed by an underwriter, from the case log.",
           "frequency": "monthly", "unit": "%", "upper_threshold": "12"}
_seq = itertools.count()


def _monitor(ctx, **overrides):
    return services.monitor_create(ctx=ctx, data={**MONITOR, **overrides})


def _result(ctx, monitor, value, on=datetime.date(2025, 4, 30), **extra):
    return services.monitor_result_record(ctx=ctx, monitor_id=monitor.pk, data={
        "measured_on": on, "value": value, **extra})


def test_monitor_numbered_and_logged(ctx):
    first, second = _monitor(ctx), _monitor(ctx, name="Drift of income feature")
    assert (first.ref, second.ref) == ("MON-001", "MON-002")
    (event,) = events_for(first)
    assert event.action == "create" and event.changes["name"]["after"] == MONITOR["name"]


def test_result_judged_against_thresholds_when_recorded(ctx):
    monitor = _monitor(ctx, lower_threshold="2")
    assert _result(ctx, monitor, "12").breached is False  # the boundary is within
    high = _result(ctx, monitor, "12.5", on=datetime.date(2025, 5, 31))
    low = _result(ctx, monitor, "1.9", on=datetime.date(2025, 6, 30))
    assert high.breached and low.breached and high.thresholds == "2 – 12 %"
    # Changing thresholds later leaves past judgements as they were.
    services.monitor_update(ctx=ctx, monitor_id=monitor.pk, data={"upper_threshold": "20"},
                            version=monitor.version)
    high.refresh_from_db()
    assert high.breached and high.thresholds == "2 – 12 %"


def test_thresholds_must_be_ordered_and_numbers(ctx):
    with pytest.raises(ValidationError) as exc:
        _monitor(ctx, lower_threshold="10", upper_threshold="5")
    assert "upper_threshold" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        _monitor(ctx, upper_threshold="lots")
    assert "upper_threshold" in exc.value.errors


def test_foreign_ai_system_and_non_member_refused(ctx, other_org):
    foreign = make_ai_system(ctx_for(other_org, other_org.memberships.first().user), name="F")
    with pytest.raises(ValidationError) as exc:
        _monitor(ctx, ai_system=foreign.pk)
    assert "ai_system" in exc.value.errors
    outsider = other_org.memberships.first().user
    with pytest.raises(ValidationError) as exc:
        _monitor(ctx, analyst=outsider.pk)
    assert "analyst" in exc.value.errors


def test_results_are_records(ctx):
    monitor = _monitor(ctx)
    _result(ctx, monitor, "3")
    with pytest.raises(ValidationError) as exc:
        _result(ctx, monitor, "4")
    assert "measured_on" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        _result(ctx, monitor, "4", on=timezone.localdate() + datetime.timedelta(days=1))
    assert "measured_on" in exc.value.errors
    with pytest.raises(ValidationError):  # a monitor with results is made inactive instead
        services.monitor_delete(ctx=ctx, monitor_id=monitor.pk, version=monitor.version)
    monitor = services.monitor_update(ctx=ctx, monitor_id=monitor.pk, data={"active": False},
                                      version=monitor.version)
    with pytest.raises(ValidationError):
        _result(ctx, monitor, "5", on=datetime.date(2025, 5, 31))


def test_delete_result_and_empty_monitor(ctx):
    monitor = _monitor(ctx)
    result = _result(ctx, monitor, "3")
    services.monitor_result_delete(ctx=ctx, monitor_id=monitor.pk, result_id=result.pk,
                                   version=result.version)
    monitor.refresh_from_db()
    services.monitor_delete(ctx=ctx, monitor_id=monitor.pk, version=monitor.version)
    assert [e.action for e in events_for(monitor)] == ["create", "delete"]


def test_viewer_and_auditor_cannot_write(org, members):
    for role in ("viewer", "auditor"):
        with pytest.raises(PermissionDenied):
            _monitor(ctx_for(org, members[role]))


def test_list_latest_breach_and_overdue(ctx):
    today = datetime.date(2025, 7, 1)
    breached, fine, silent = _monitor(ctx), _monitor(ctx, name="B"), _monitor(ctx, name="C",
                                                                             frequency="weekly")
    _result(ctx, breached, "10", on=datetime.date(2025, 5, 31))
    _result(ctx, breached, "15", on=datetime.date(2025, 6, 30))
    _result(ctx, fine, "4", on=datetime.date(2025, 4, 30))
    rows = {m.pk: m for m in selectors.monitor_list(ctx=ctx, today=today)}
    assert rows[breached.pk].latest_breached is True
    assert rows[breached.pk].latest_value == Decimal("15")
    assert rows[breached.pk].overdue is False
    assert rows[fine.pk].overdue is True  # 62 days since the last monthly result
    assert rows[silent.pk].latest_on is None
    only = selectors.monitor_list(ctx=ctx, today=today,
                                  filters=selectors.MonitorFilters(state="breached"))
    assert [m.pk for m in only] == [breached.pk]


def test_results_between_for_reviews(ctx):
    monitor = _monitor(ctx)
    for day, value in ((datetime.date(2025, 1, 31), "5"), (datetime.date(2025, 2, 28), "13"),
                       (datetime.date(2025, 3, 31), "14")):
        _result(ctx, monitor, value, on=day)
    got = selectors.monitor_results_between(ctx=ctx, start=datetime.date(2025, 1, 31),
                                            end=datetime.date(2025, 3, 1), breached_only=True)
    assert [r.measured_on for r in got] == [datetime.date(2025, 2, 28)]


# ------------------------------------------------------------------ API and pages


def test_api_create_record_and_list(org, api):
    base = f"/api/v1/orgs/{org.slug}/monitors"
    created = api.post(base, {**MONITOR, "lower_threshold": None})
    assert created.status_code == 201, created.content
    mid = created.json()["id"]
    bad = api.post(base, {**MONITOR, "indicator": "vibes"})
    assert bad.status_code == 422
    r = api.post(f"{base}/{mid}/results", {"measured_on": "2025-04-30", "value": "13",
                                           "note": "April"})
    assert r.status_code == 201 and r.json()["breached"] is True
    listed = api.get(base, {"state": "breached"}).json()
    assert [m["id"] for m in listed["items"]] == [mid]
    assert listed["items"][0]["latest_breached"] is True


def test_pages(org, members, ctx, web_client_for):
    monitor = _monitor(ctx, owner=members["editor"].pk)
    editor = web_client_for(members["editor"])
    page = editor.get(f"/o/{org.slug}/objectives/monitoring/")
    assert page.status_code == 200 and MONITOR["name"] in page.content.decode()
    posted = editor.post(f"/o/{org.slug}/objectives/monitoring/{monitor.pk}/results/add/",
                         {"measured_on": "2025-04-30", "value": "13", "note": "", "analysis": ""})
    assert posted.status_code == 302
    detail = editor.get(f"/o/{org.slug}/objectives/monitoring/{monitor.pk}/").content.decode()
    assert "Breach" in detail and "13 %" in detail
    bad = editor.post(f"/o/{org.slug}/objectives/monitoring/{monitor.pk}/results/add/",
                      {"measured_on": "2025-04-30", "value": "x"})
    assert bad.status_code == 422
    viewer = web_client_for(members["viewer"])
    assert viewer.get(f"/o/{org.slug}/objectives/monitoring/new/").status_code == 403
    created = editor.post(f"/o/{org.slug}/objectives/monitoring/new/", {
        **MONITOR, "name": "Complaints about automated decisions", "indicator": "complaints",
        "lower_threshold": "", "upper_threshold": "5", "owner": "", "analyst": "",
        "ai_system": "", "active": "on", "version": ""})
    assert created.status_code == 302, created.content.decode()[:500]


def test_empty_plan_says_what_to_do(org, members, web_client_for):
    body = web_client_for(members["viewer"]).get(f"/o/{org.slug}/objectives/monitoring/")
    assert "Nothing is monitored yet" in body.content.decode()


def _grow(org, n):
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "editor", email=f"qc-mon-{i}@{org.slug}.example.com")
        c = ctx_for(org, person)
        system = make_ai_system(c, name=f"QC mon system {i}")
        monitor = _monitor(c, name=f"Monitor {i}", ai_system=system.pk, owner=person.pk,
                           analyst=person.pk)
        _result(c, monitor, str(i % 20))


def test_list_queries_bounded(org, members, web_client_for, api_client_for,
                              django_assert_max_num_queries):
    web, api = web_client_for(members["viewer"]), api_client_for(members["viewer"])
    for fetch, bound in ((lambda: web.get(f"/o/{org.slug}/objectives/monitoring/"), 12),
                         (lambda: api.get(f"/api/v1/orgs/{org.slug}/monitors",
                                          {"limit": 100}), 6)):
        counts = []
        for n in (5, 40):
            _grow(org, n)
            assert fetch().status_code == 200
            with django_assert_max_num_queries(bound) as captured:
                assert fetch().status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1], counts


def test_an_incident_raised_from_a_result_reads_its_value_as_written(ctx):
    from aims.improvement.origins import incident_defaults, nonconformity_defaults
    monitor = _monitor(ctx)
    result = _result(ctx, monitor, "4.5")
    result.refresh_from_db()  # stored with four decimal places: 4.5000
    for defaults in (incident_defaults(result), nonconformity_defaults(result)):
        assert "measured 4.5 % on 2025-04-30" in defaults["description"]
        assert "4.5000" not in defaults["description"]
