"""Every risk list, page and endpoint runs a fixed number of queries however long it grows.

Each case grows its list to 5 and then to 40 rows, from different owners, AI systems,
controls and methodology versions, so a missing select_related or prefetch shows up.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from aims.accounts.models import User
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.risks.defaults import default_methodology_data
from aims.risks.models import Risk
from aims.risks.selectors import methodology_current
from aims.risks.services import action_create, methodology_version_create, risk_create
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import assert_flat, growths, pages_growing
from aims.testing.tenancy import signed_in

SMALL, MORE = 5, 40
CONTROLS = ["A.6.2.6", "A.7.4", "A.8.2", "A.10.3", "A.9.4"]
_seq = itertools.count()


@dataclass
class Env:
    org: Organization
    owner: User
    ctx: Ctx
    system: AISystem
    risk: Risk | None = None

    def member(self):
        return add_member(self.org, "editor", email=f"rq{next(_seq)}@{self.org.slug}.example.com")


def _risk(env: Env, n: int, **more):
    member = env.member()
    system = make_ai_system(env.ctx, name=f"QC system {next(_seq)}", owner=member.pk)
    return risk_create(ctx=ctx_for(env.org, member), data={
        "title": f"Risk {n}", "category": "bias", "owner": member.pk,
        "ai_systems": [system.pk, env.system.pk], "controls": [CONTROLS[n % len(CONTROLS)]],
        "inherent_likelihood": 1 + n % 5, "inherent_impact": 1 + (n // 5) % 5,
        "treatment_option": "mitigate", "treatment_rationale": "Reweighting the data and monitoring every month.",
        "residual_likelihood": 1, "residual_impact": 1 + n % 3, "status": "treating",
        "next_review": datetime.date.today(), **more})


def grow_risks(env: Env, n: int) -> None:
    for i in range(n):
        risk = _risk(env, next(_seq))
        action_create(ctx=env.ctx, risk_id=risk.pk, data={"title": "Step", "owner": env.owner.pk})
        if i % 7 == 0:  # a methodology change now and then: rows of several versions
            m = methodology_current(ctx=env.ctx)
            assert m is not None  # every organisation starts with one
            data = default_methodology_data()
            data["change_note"] = f"Revision {next(_seq)}"
            methodology_version_create(ctx=env.ctx, data=data, based_on=m.number)


def grow_actions(env: Env, n: int) -> None:
    assert env.risk is not None
    for _ in range(n):
        action_create(ctx=env.ctx, risk_id=env.risk.pk, data={
            "title": f"Action {next(_seq)}", "owner": env.member().pk,
            "due_date": datetime.date.today()})


def grow_versions(env: Env, n: int) -> None:
    for _ in range(n):
        m = methodology_current(ctx=env.ctx)
        assert m is not None  # every organisation starts with one
        data = default_methodology_data()
        data["change_note"] = f"Revision {next(_seq)}"
        methodology_version_create(ctx=ctx_for(env.org, env.member()), data=data,
                                   based_on=m.number)


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # {slug}, {risk}, {system} are filled in
    grow: Callable[[Env, int], None]
    bound: int


CASES = [
    Case("api risks", "/api/v1/orgs/{slug}/risks", grow_risks, 8),
    Case("api risks filtered by level", "/api/v1/orgs/{slug}/risks?level=high&sort=-residual",
         grow_risks, 9),
    Case("api risk export", "/api/v1/orgs/{slug}/risks/export?format=csv", grow_risks, 8),
    Case("api heatmap", "/api/v1/orgs/{slug}/risks/heatmap", grow_risks, 6),
    Case("api actions", "/api/v1/orgs/{slug}/risks/{risk}/actions", grow_actions, 6),
    Case("api methodology versions", "/api/v1/orgs/{slug}/risk-methodology/versions",
         grow_versions, 5),
    Case("api soa with risks", "/api/v1/orgs/{slug}/soa", grow_risks, 5),
    # The heat maps count both bases in one query; the register's page does not read the
    # risks' source tags.
    Case("web register", "/o/{slug}/risks/", grow_risks, 12),
    Case("web register in a cell", "/o/{slug}/risks/?basis=inherent&likelihood=1&impact=1",
         grow_risks, 12),
    Case("web heatmap", "/o/{slug}/risks/heatmap/", grow_risks, 10),
    # One prefetch more for the risk sources of the taxonomy (OWASP Top 10 for LLM applications).
    Case("web risk detail", "/o/{slug}/risks/{risk}/", grow_actions, 15),
    Case("web risk actions tab", "/o/{slug}/risks/{risk}/?tab=actions", grow_actions, 15),
    Case("web risk evidence tab", "/o/{slug}/risks/{risk}/?tab=evidence", grow_actions, 15),
    Case("web risk history tab", "/o/{slug}/risks/{risk}/?tab=history", grow_actions, 15),
    Case("web methodology", "/o/{slug}/risks/methodology/", grow_versions, 7),
    # The AI system page's risks tab (its other panels are other tabs, loaded when opened).
    Case("web ai system with risks", "/o/{slug}/ai-systems/{system}/?tab=risks", grow_risks, 14),
    # The SoA also shows each control's readiness findings: one evaluation of the record.
    Case("web soa with risks", "/o/{slug}/soa/", grow_risks, 42),
]


@pytest.fixture
def env(org, members):
    owner = members["owner"]
    ctx = ctx_for(org, owner)
    e = Env(org=org, owner=owner, ctx=ctx, system=make_ai_system(ctx, name="Shared system"))
    e.risk = _risk(e, 0)  # likelihood 1, impact 1: the cell case always has a row
    return e


GROWTHS = growths(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("growth", GROWTHS)
def test_query_count_does_not_grow(growth, env, api_client_for, django_assert_max_num_queries):
    """The pages that grow the same way share one growth (5 rows, then 40 more)."""
    api, web = api_client_for(env.owner), signed_in(env.owner)
    pages = pages_growing(
        CASES, growth,
        url=lambda path: path.format(slug=env.org.slug, risk=env.risk.pk, system=env.system.pk),
        client=lambda url: api if url.startswith("/api/") else web)
    assert_flat(pages, lambda n: GROWTHS[growth](env, n), django_assert_max_num_queries,
                steps=(SMALL, MORE))
