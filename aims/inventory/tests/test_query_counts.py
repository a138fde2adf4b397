"""The inventory's lists, pages and endpoints run a fixed number of queries however long they
grow: each case grows its list to 5 rows and then to 40, from different people and systems."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from aims.inventory.models import AISystem, LifecycleStage
from aims.inventory.services import (
    ai_system_stage_change,
    deployment_approval_create,
    resource_create,
    system_change_record,
)
from aims.objectives.services import measurement_create, objective_create
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import assert_flat, budget, growths, pages_growing
from aims.testing.tenancy import signed_in

SMALL, MORE = 5, 40
_seq = itertools.count()
STAGES = [s for s in LifecycleStage.values if s not in ("deployed", "retired")]


@dataclass
class Env:
    org: Organization
    owner_ctx: Ctx
    system: AISystem

    def member_ctx(self, role: str = "editor"):
        user = add_member(self.org, role, email=f"iq{next(_seq)}-{role}@{self.org.slug}.example.com")
        return ctx_for(self.org, user)


def grow_resources(env: Env, n: int) -> None:
    for i in range(n):
        member = env.member_ctx()
        other = make_ai_system(env.owner_ctx, name=f"IQ system {next(_seq)}")
        resource_create(ctx=member, data={
            "name": f"Resource {next(_seq)}", "kind": ("data", "tooling", "computing")[i % 3],
            "data_provenance": "Bought from a bureau.", "owner": member.user.pk,
            "ai_systems": [env.system.pk, other.pk]})


def grow_moves(env: Env, n: int) -> None:
    for _ in range(n):
        system = env.system
        system.refresh_from_db()
        to = next(s for s in itertools.cycle(STAGES) if s != system.lifecycle_stage
                  and STAGES.index(s) == (STAGES.index(system.lifecycle_stage) + 1) % len(STAGES))
        ai_system_stage_change(ctx=env.member_ctx(), system_id=system.pk, to_stage=to,
                               version=system.version, note=f"Move {next(_seq)}")


def grow_approvals(env: Env, n: int) -> None:
    for i in range(n):
        system = env.system
        system.refresh_from_db()
        deployment_approval_create(ctx=env.member_ctx("admin"), system_id=system.pk,
                                   version=system.version, note=f"Approval {next(_seq)}")
        if i % 3 == 0:
            system_change_record(ctx=env.owner_ctx, system_id=system.pk, data={
                "description": f"Change {next(_seq)}", "significant": i % 2 == 0})


def grow_objectives(env: Env, n: int) -> None:
    """Objectives of the system (and of another one), each owned by someone else and measured
    twice, for the objectives panel on the system page."""
    for _ in range(n):
        member = env.member_ctx()
        other = make_ai_system(env.owner_ctx, name=f"IQ system {next(_seq)}")
        objective = objective_create(ctx=member, data={
            "title": f"Objective {next(_seq)}", "policy_topic": "fairness",
            "metric": "Approval-rate gap.", "target": "0.05", "unit": "ratio",
            "direction": "lower", "frequency": "quarterly", "owner": member.user.pk,
            "due_date": "2030-12-31",
            "ai_systems": [env.system.pk, other.pk]})
        for day in ("2025-03-31", "2025-06-30"):
            measurement_create(ctx=member, objective_id=objective.pk,
                               data={"measured_on": day, "value": "0.04"})


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # {slug} and {system} are filled in
    grow: Callable[[Env, int], None]
    bound: int


CASES = [
    Case("api resources", "/api/v1/orgs/{slug}/resources", grow_resources, 5),
    Case("api resources of a system", "/api/v1/orgs/{slug}/resources?ai_system={system}",
         grow_resources, 5),
    Case("api lifecycle", "/api/v1/orgs/{slug}/ai-systems/{system}/lifecycle", grow_moves, 6),
    Case("api approvals", "/api/v1/orgs/{slug}/ai-systems/{system}/deployment-approvals",
         grow_approvals, 6),
    Case("api gate", "/api/v1/orgs/{slug}/ai-systems/{system}/gate", grow_approvals, 7),
    Case("web resources", "/o/{slug}/ai-systems/resources/", grow_resources, 9),
    Case("web lifecycle page", "/o/{slug}/ai-systems/{system}/lifecycle/", grow_approvals, 8),
    Case("web lifecycle page with moves", "/o/{slug}/ai-systems/{system}/lifecycle/",
         grow_moves, 8),
    # The system page opens on its overview (the lifecycle); every other tab is loaded on
    # demand, each at its own fixed cost. A whole page also counts the system's open security
    # findings for its header (one query).
    Case("web system page with moves", "/o/{slug}/ai-systems/{system}/", grow_moves, 10),
    Case("web system page with approvals", "/o/{slug}/ai-systems/{system}/", grow_approvals,
         10),
    Case("web system objectives tab", "/o/{slug}/ai-systems/{system}/?tab=objectives",
         grow_objectives, 9),
    Case("web system people tab", "/o/{slug}/ai-systems/{system}/?tab=people", grow_resources,
         9),
    Case("web system change log tab", "/o/{slug}/ai-systems/{system}/?tab=changes",
         grow_approvals, 7),
    Case("web system history tab", "/o/{slug}/ai-systems/{system}/?tab=history", grow_moves,
         7),
    Case("web system evidence tab", "/o/{slug}/ai-systems/{system}/?tab=evidence", grow_moves,
         7),
    Case("web system tasks tab", "/o/{slug}/ai-systems/{system}/?tab=tasks", grow_moves, 7),
    Case("web system incidents tab", "/o/{slug}/ai-systems/{system}/?tab=incidents",
         grow_moves, 7),
    Case("web system audits tab", "/o/{slug}/ai-systems/{system}/?tab=audits", grow_moves,
         7),
]


@pytest.fixture
def env(org, members):
    ctx = ctx_for(org, members["owner"])
    return Env(org=org, owner_ctx=ctx,
               system=make_ai_system(ctx, name="Shared system", lifecycle_stage="concept"))


GROWTHS = growths(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("growth", GROWTHS)
def test_query_count_does_not_grow(growth, env, members, api_client_for,
                                   django_assert_max_num_queries):
    """The pages that grow the same way share one growth (to 5 rows, then to 40)."""
    web = signed_in(members["viewer"])
    api = api_client_for(members["viewer"])
    pages = pages_growing(CASES, growth,
                          url=lambda path: path.format(slug=env.org.slug, system=env.system.pk),
                          client=lambda url: api if url.startswith("/api/") else web)
    assert_flat(pages, lambda n: GROWTHS[growth](env, n), django_assert_max_num_queries,
                steps=(SMALL, MORE - SMALL))


@pytest.mark.django_db
def test_a_tab_opened_with_htmx_answers_the_tabs_and_its_panel_alone(env, members,
                                                                     django_assert_max_num_queries):
    web = signed_in(members["viewer"])
    url = f"/o/{env.org.slug}/ai-systems/{env.system.pk}/?tab=people"
    grow_resources(env, SMALL)
    headers = {"HX-Request": "true", "HX-Target": "record-tabs"}
    assert web.get(url, headers=headers).status_code == 200
    with django_assert_max_num_queries(budget(url, 8)):
        response = web.get(url, headers=headers)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="record-tabs"') and "<html" not in body
    assert 'href="?tab=people" hx-get="?tab=people"' in body and 'id="resources-h"' in body
    assert "Lifecycle" not in body and response["Vary"].find("HX-Request") >= 0
