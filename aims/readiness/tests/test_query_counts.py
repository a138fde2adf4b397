"""Every readiness page runs a fixed number of queries however large the record grows.

Each case grows the record by 5 and then by 20 more of what its page lists: in-scope AI
systems without an impact assessment and risks without an owner (findings naming records of
two kinds), saved snapshots, plan steps, external audits with findings, overdue tasks.
The bounds are what a page needed plus a little room: an evaluation reads every part of the
record once, whatever its size.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from aims.accounts.models import User
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.readiness import services
from aims.readiness.models import Certification
from aims.risks.services import risk_create
from aims.tasks.services import task_create
from aims.testing.factories import add_member, ctx_for, make_ai_system
from aims.testing.queries import assert_flat, growths, pages_growing
from aims.testing.tenancy import signed_in

SMALL, MORE = 5, 20
TODAY = timezone.localdate()
_seq = itertools.count()


@dataclass
class Env:
    org: Organization
    owner: User
    ctx: Ctx
    cert: Certification

    def member(self):
        return add_member(self.org, "editor", email=f"rq{next(_seq)}@{self.org.slug}.example.com")


def grow_findings(env: Env, n: int) -> None:
    for _ in range(n):
        member = env.member()
        make_ai_system(env.ctx, name=f"QC system {next(_seq)}", owner=member.pk)
        risk_create(ctx=ctx_for(env.org, member), data={
            "title": f"Risk {next(_seq)}", "category": "bias", "owner": None})


def grow_snapshots(env: Env, n: int) -> None:
    grow_findings(env, 1)
    for _ in range(n):
        services.snapshot_save(ctx=env.ctx)


def grow_plan(env: Env, n: int) -> None:
    grow_findings(env, n)
    services.plan_generate(ctx=env.ctx, target_date=TODAY + datetime.timedelta(days=300),
                           owner=env.member().pk)


def grow_audits(env: Env, n: int) -> None:
    for i in range(n):
        audit = services.external_audit_create(ctx=env.ctx, certification_id=env.cert.pk, data={
            "kind": "surveillance", "start_date": TODAY - datetime.timedelta(days=i + 1),
            "lead_auditor": f"Auditor {next(_seq)}"})
        for grade in ("minor", "ofi"):
            services.external_finding_record(ctx=env.ctx, audit_id=audit.pk, data={
                "grade": grade, "refs": "6.1.4", "description": f"Finding {next(_seq)}"})


def grow_brief(env: Env, n: int) -> None:
    grow_findings(env, n)
    for _ in range(n):
        task_create(ctx=env.ctx, data={"title": f"Late {next(_seq)}", "owner": env.member().pk,
                                       "due_date": TODAY - datetime.timedelta(days=3)})


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    grow: Callable[[Env, int], None]
    bound: int


CASES = [
    Case("web readiness", "/o/{slug}/readiness/", grow_findings, 45),
    Case("web readiness filtered", "/o/{slug}/readiness/?severity=major&area=6",
         grow_findings, 45),
    Case("web readiness with snapshots", "/o/{slug}/readiness/", grow_snapshots, 45),
    Case("web documented information", "/o/{slug}/readiness/documented-information/",
         grow_findings, 33),
    Case("web plan", "/o/{slug}/readiness/plan/", grow_plan, 10),
    Case("web certification", "/o/{slug}/readiness/certification/", grow_audits, 12),
    Case("web brief", "/o/{slug}/readiness/brief/", grow_brief, 60),
    Case("api readiness", "/api/v1/orgs/{slug}/readiness", grow_findings, 43),
]


@pytest.fixture
def env(org, members):
    owner = members["owner"]
    ctx = ctx_for(org, owner)
    cert = services.certification_create(ctx=ctx, data={"body": "Meridian Assurance",
                                                        "issued_on": TODAY})
    return Env(org=org, owner=owner, ctx=ctx, cert=cert)


GROWTHS = growths(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("growth", GROWTHS)
def test_query_count_does_not_grow(growth, env, django_assert_max_num_queries):
    """The pages that grow the same way share one growth (5, then 40 more)."""
    client = signed_in(env.owner)
    pages = pages_growing(CASES, growth, url=lambda path: path.format(slug=env.org.slug),
                          client=lambda url: client)
    assert_flat(pages, lambda n: GROWTHS[growth](env, n), django_assert_max_num_queries,
                steps=(SMALL, MORE))
