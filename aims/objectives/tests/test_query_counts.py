"""Every objectives list runs a fixed number of queries however long it is (5 rows, then 40)."""

import datetime
import itertools

import pytest

from aims.objectives import services
from aims.objectives.tests.conftest import OBJECTIVE
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import SESSION, assert_flat

pytestmark = pytest.mark.django_db

SMALL, MORE = 5, 40
_seq = itertools.count()


def _grow_objectives(org, n: int) -> None:
    """Objectives with different owners, systems and a few measurements each, recorded by
    different people, so a missing join or prefetch shows up as extra queries."""
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "editor", email=f"qc-obj-{i}@{org.slug}.example.com")
        ctx = ctx_for(org, person)
        system = make_ai_system(ctx, name=f"QC system {i}")
        objective = services.objective_create(ctx=ctx, data={
            **OBJECTIVE, "title": f"Objective {i}", "owner": person.pk,
            "ai_systems": [system.pk], "frequency": ["monthly", "yearly"][i % 2]})
        for k in range(3):
            services.measurement_create(ctx=ctx, objective_id=objective.pk, data={
                "measured_on": datetime.date(2025, 1, 31) + datetime.timedelta(days=31 * k),
                "value": f"0.0{k + 3}"})


def _grow_measurements(org, objective, n: int) -> None:
    for _ in range(n):
        i = next(_seq)
        person = add_member(org, "editor", email=f"qc-m-{i}@{org.slug}.example.com")
        services.measurement_create(ctx=ctx_for(org, person), objective_id=objective.pk, data={
            "measured_on": datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
            "value": f"{i}.5"})


def test_lists(org, members, web_client_for, api_client_for, django_assert_max_num_queries):
    web, api = web_client_for(members["viewer"]), api_client_for(members["viewer"])
    pages = {
        "list page": (lambda: web.get(f"/o/{org.slug}/objectives/"), 9 + SESSION),
        "list page by track": (lambda: web.get(f"/o/{org.slug}/objectives/",
                                               {"track": "overdue"}), 9 + SESSION),
        "list api": (lambda: api.get(f"/api/v1/orgs/{org.slug}/objectives", {"limit": 100}), 6),
    }
    last = assert_flat(pages, lambda n: _grow_objectives(org, n), django_assert_max_num_queries,
                       steps=(SMALL, MORE))
    body = last["list page"].content.decode()
    # Each row shows its latest value and its own small chart.
    assert body.count('class="trend-chart trend-chart-small"') == SMALL + MORE
    assert body.count("0.05 ratio") >= SMALL + MORE
    assert last["list api"].json()["count"] == SMALL + MORE


def test_detail_page_and_measurement_list_api(org, members, ctx, web_client_for, api_client_for,
                                              django_assert_max_num_queries):
    objective = services.objective_create(ctx=ctx, data={**OBJECTIVE, "owner": ctx.user.pk})
    web = web_client_for(members["viewer"])
    client = api_client_for(members["viewer"])
    api = f"/api/v1/orgs/{org.slug}/objectives/{objective.pk}"
    pages = {
        "page": (lambda: web.get(f"/o/{org.slug}/objectives/{objective.pk}/"), 10 + SESSION),
        "measurements": (lambda: client.get(f"{api}/measurements", {"limit": 500}), 6),
        "chart": (lambda: client.get(f"{api}/chart.svg"), 5),
    }
    assert_flat(pages, lambda n: _grow_measurements(org, objective, n),
                django_assert_max_num_queries, steps=(SMALL, MORE))
