"""The evidence register and a record's evidence panel run a fixed number of queries however
much evidence there is, and the panel lists a bounded number of rows.

Each case links 5, then 40 more pieces of evidence to one control and one AI system, from
different owners, so a missing select_related or an unbounded panel shows up.
"""

from __future__ import annotations

import itertools
import re

import pytest

from aims.evidence.selectors import PANEL_SHOWN
from aims.testing.factories import add_member, ctx_for
from aims.testing.queries import SESSION

from .conftest import add

SMALL, MORE = 5, 40
_seq = itertools.count()


def _grow(org, soa_item, system, n: int) -> list[str]:
    titles = []
    for _ in range(n):
        i = next(_seq)
        owner = add_member(org, "editor", email=f"ev-qc-{i}@{org.slug}.example.com")
        add(ctx_for(org, owner), content=f"file {i}".encode(), links=[soa_item, system],
            owner=owner.pk, title=f"Evidence {i}")
        titles.append(f"Evidence {i}")
    return titles


@pytest.mark.django_db
def test_register_and_panels_stay_flat(org, members, soa_item, system, web_client_for,
                                       django_assert_max_num_queries):
    c = web_client_for(members["owner"])
    pages = {
        # The register's length and the expired/expiring banner are counted in one query.
        "register": (f"/o/{org.slug}/evidence/", 9),
        "register of one record": (
            f"/o/{org.slug}/evidence/?linked_kind=compliance_item&linked_id={soa_item.pk}", 9),
        "api register": (f"/api/v1/orgs/{org.slug}/evidence", 9),
    }
    counts: dict[str, list[int]] = {name: [] for name in pages}
    for step in (SMALL, MORE):
        _grow(org, soa_item, system, step)
        for name, (url, bound) in pages.items():
            budget = bound if url.startswith("/api/") else bound + SESSION
            assert c.get(url).status_code == 200
            with django_assert_max_num_queries(budget) as captured:
                r = c.get(url)
            assert r.status_code == 200, name
            counts[name].append(len(captured))
    assert all(a == b for a, b in counts.values()), counts


@pytest.mark.django_db
def test_a_record_page_lists_its_newest_evidence_and_links_to_the_rest(
        org, members, soa_item, system, web_client_for, django_assert_max_num_queries):
    c = web_client_for(members["owner"])
    url = f"/o/{org.slug}/soa/A.6.2.6/"
    counts, sizes, titles = [], [], []
    for step in (SMALL, MORE):
        titles += _grow(org, soa_item, system, step)
        assert c.get(url).status_code == 200
        # The control's page also shows what the readiness rules find about it (one
        # evaluation of the record, whatever its size).
        with django_assert_max_num_queries(46 + SESSION) as captured:
            r = c.get(url)
        assert r.status_code == 200
        counts.append(len(captured))
        sizes.append(len(re.findall(rf'href="/o/{org.slug}/evidence/[0-9a-f-]{{36}}/"',
                                    r.content.decode())))
    assert counts[0] == counts[1]
    page = r.content.decode()
    # 45 linked: the newest PANEL_SHOWN listed, with a link to the register filtered to it.
    assert f"{titles[-1]}<" in page and f"{titles[0]}<" not in page
    assert f"All {SMALL + MORE} pieces of evidence" in page
    assert f"linked_kind=compliance_item&amp;linked_id={soa_item.pk}" in page
    assert sizes == [SMALL, PANEL_SHOWN]


@pytest.mark.django_db
def test_the_register_filtered_to_one_record(org, members, soa_item, system, web_client_for,
                                             api_client_for):
    _grow(org, soa_item, system, 3)
    other = add(ctx_for(org, members["owner"]), content=b"other", links=[system],
                title="Only the system's")
    web = web_client_for(members["owner"])
    page = web.get(f"/o/{org.slug}/evidence/?linked_kind=compliance_item"
                   f"&linked_id={soa_item.pk}").content.decode()
    assert other.title not in page and "Showing the evidence of one record only" in page
    api = api_client_for(members["owner"])
    rows = api.get(f"/api/v1/orgs/{org.slug}/evidence?linked_kind=ai_system"
                   f"&linked_id={system.pk}").json()["items"]
    assert other.title in {row["title"] for row in rows} and len(rows) == 4
    # A record id without its kind names the rule it breaks.
    r = api.get(f"/api/v1/orgs/{org.slug}/evidence?linked_id={system.pk}")
    assert r.status_code in (400, 422) and "linked_kind" in r.content.decode()
