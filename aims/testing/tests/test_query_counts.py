"""Every list, in the API and the web UI, runs a fixed number of queries however long it is.

Each case grows its list to 5 rows, checks the request stays within a fixed bound, grows it to
45 rows and checks the same bound and the same count again. Rows have owners, authors and
actors drawn from different people, so a missing select_related shows up as extra queries.
The bounds are what the page needed at 5 rows plus a little room; raise one only with a reason.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from aims.accounts.models import User
from aims.catalog.models import Requirement
from aims.compliance.services import compliance_item_update
from aims.context.services import (
    context_issue_create,
    interested_party_create,
    scope_version_create,
)
from aims.members.invitations import invitation_create
from aims.orgs.context import Ctx
from aims.orgs.models import Organization
from aims.testing.factories import add_member, ctx_for, make_ai_system, make_org
from aims.testing.queries import SESSION, assert_flat, growths, pages_growing
from aims.testing.tenancy import signed_in

SMALL, MORE = 5, 40
_seq = itertools.count()


@dataclass
class Env:
    """The organisation under test, its owner, and a way to mint fresh members."""

    org: Organization
    owner: User
    owner_ctx: Ctx

    def new_member(self, role: str = "editor"):
        n = next(_seq)
        return add_member(self.org, role, email=f"qc{n}-{role}@{self.org.slug}.example.com")

    def member_ctx(self) -> Ctx:
        return ctx_for(self.org, self.new_member())


# --------------------------------------------------------------------------- growing a list


def grow_systems(env: Env, n: int) -> None:
    for _ in range(n):
        make_ai_system(env.owner_ctx, name=f"Query-count system {next(_seq)}",
                       owner=env.new_member().pk)


def _grow_items(env: Env, n: int, kind: str) -> None:
    """Give up to `n` more items of `kind` an owner and a decision (there are only so many)."""
    from aims.compliance.models import ComplianceItem

    items = (ComplianceItem.objects.for_org(env.org).filter(owner__isnull=True,
                                                            requirement__kind=kind)
             .select_related("requirement").order_by("requirement__sort_key")[:n])
    for item in list(items):
        compliance_item_update(ctx=env.owner_ctx, ref=item.requirement.ref, version=item.version,
                               data={"owner": env.new_member().pk, "status": "planned",
                                     "notes": "Owned for the query-count test."})


def grow_controls(env: Env, n: int) -> None:
    _grow_items(env, n, Requirement.Kind.CONTROL)


def grow_clauses(env: Env, n: int) -> None:
    _grow_items(env, n, Requirement.Kind.CLAUSE)


def grow_issues(env: Env, n: int) -> None:
    for _ in range(n):
        context_issue_create(ctx=env.member_ctx(), data={
            "kind": "internal", "title": f"Issue {next(_seq)}", "category": "organisational"})


def grow_parties(env: Env, n: int) -> None:
    for _ in range(n):
        interested_party_create(ctx=env.member_ctx(), data={
            "name": f"Party {next(_seq)}", "needs": "Wants to be counted.",
            "category": "customers"})


def grow_scope(env: Env, n: int) -> None:
    from aims.context.selectors import scope_current

    for _ in range(n):
        latest = scope_current(ctx=env.owner_ctx)
        scope_version_create(ctx=env.member_ctx(), based_on=latest.number if latest else None,
                             data={"statement": f"Scope revision {next(_seq)}.",
                                   "change_note": "Query-count test."})


def grow_members(env: Env, n: int) -> None:
    for _ in range(n):
        env.new_member("viewer")


def grow_invitations(env: Env, n: int) -> None:
    for _ in range(n):
        invitation_create(ctx=env.owner_ctx, email=f"qc-invitee-{next(_seq)}@example.net",
                          role="auditor", ends_on=datetime.date.today() + datetime.timedelta(
                              days=30))


def grow_members_and_invitations(env: Env, n: int) -> None:
    grow_members(env, n)
    grow_invitations(env, n)


def grow_events(env: Env, n: int) -> None:
    grow_issues(env, n)  # one event each, from a different actor


def grow_orgs(env: Env, n: int) -> None:
    for _ in range(n):
        make_org(f"qc-org-{next(_seq)}", owner=env.owner)


def grow_mixed(env: Env, n: int) -> None:
    grow_systems(env, n)
    grow_controls(env, n)


def grow_unrelated(env: Env, n: int) -> None:
    """The catalog is global and does not grow with the organisation; its bound must still hold."""
    grow_systems(env, n)


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    name: str
    path: str  # {slug} is the organisation's
    grow: Callable[[Env, int], None]
    bound: int


API_CASES = [
    Case("api orgs", "/api/v1/orgs", grow_orgs, 3),
    Case("api ai-systems", "/api/v1/orgs/{slug}/ai-systems", grow_systems, 5),
    Case("api soa", "/api/v1/orgs/{slug}/soa", grow_controls, 4),
    Case("api issues", "/api/v1/orgs/{slug}/issues", grow_issues, 4),
    Case("api parties", "/api/v1/orgs/{slug}/interested-parties", grow_parties, 4),
    Case("api members", "/api/v1/orgs/{slug}/members", grow_members, 4),
    Case("api invitations", "/api/v1/orgs/{slug}/invitations", grow_invitations, 4),
    Case("api activity", "/api/v1/orgs/{slug}/activity", grow_events, 5),
    Case("api scope versions", "/api/v1/orgs/{slug}/scope/versions", grow_scope, 4),
    # The requirements carry their crosswalk rows both ways: two prefetches, whatever the size.
    Case("api requirements", "/api/v1/catalog/frameworks/iso42001/requirements",
         grow_unrelated, 5),
]

WEB_CASES = [
    Case("web ai-systems", "/o/{slug}/ai-systems/", grow_systems, 7 + SESSION),
    # The SoA and the clauses show what the readiness rules find about each requirement: one
    # evaluation of the record (about thirty-five queries), whatever its size.
    Case("web soa", "/o/{slug}/soa/", grow_controls, 42 + SESSION),
    Case("web clauses", "/o/{slug}/soa/clauses/", grow_clauses, 42 + SESSION),
    Case("web catalog", "/o/{slug}/catalog/", grow_unrelated, 7 + SESSION),
    Case("web activity", "/o/{slug}/activity/", grow_events, 8 + SESSION),
    Case("web scope", "/o/{slug}/context/scope/", grow_scope, 8 + SESSION),
    Case("web issues", "/o/{slug}/context/issues/", grow_issues, 7 + SESSION),
    Case("web parties", "/o/{slug}/context/parties/", grow_parties, 7 + SESSION),
    # Owners also see the sign-in security setting and its version (one more query).
    Case("web members", "/o/{slug}/members/", grow_members_and_invitations, 8 + SESSION),
    # The dashboard leads with the readiness verdict: one evaluation reads every part of the
    # record once (about thirty-five queries), whatever its size; its own counts are grouped
    # (one query for the register's alerts).
    Case("web dashboard", "/o/{slug}/", grow_mixed, 58 + SESSION),
]


@pytest.fixture
def env(org, members):
    owner = members["owner"]
    return Env(org=org, owner=owner, owner_ctx=ctx_for(org, owner))


GROWTHS = growths(API_CASES + WEB_CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("growth", GROWTHS)
def test_list_query_count_does_not_grow(growth, env, api_client_for,
                                        django_assert_max_num_queries):
    """The lists that grow the same way share one growth (5 rows, then 40 more)."""
    api, web = api_client_for(env.owner), signed_in(env.owner)
    # These cases' bounds already include the session's queries on web pages.
    pages = pages_growing(API_CASES + WEB_CASES, growth,
                          url=lambda path: path.format(slug=env.org.slug),
                          client=lambda url: api if url.startswith("/api/") else web,
                          bound=lambda url, queries: queries)
    assert_flat(pages, lambda n: GROWTHS[growth](env, n), django_assert_max_num_queries,
                steps=(SMALL, MORE))
