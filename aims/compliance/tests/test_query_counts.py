"""The SoA's doors — a control's page, its API item and the exports — run a fixed number of
queries however many risks treat a control, and show a bounded number of them.

Each case links 5, then 40 more risks (from different owners) to one control: the pages list
the first RISKS_SHOWN by reference with the total and a link to the rest; the exports list
every one, in one query whatever their number.
"""

from __future__ import annotations

import csv
import io
import itertools

import pytest

from aims.compliance.selectors import RISKS_SHOWN
from aims.risks.services import risk_create
from aims.testing.factories import add_member, ctx_for
from aims.testing.queries import assert_flat, budget

SMALL, MORE = 5, 40
REF = "A.6.2.6"
_seq = itertools.count()


@pytest.mark.django_db
def test_a_control_with_many_risks_stays_flat_and_bounded(org, members, api_client_for,
                                                          web_client_for,
                                                          django_assert_max_num_queries):
    owner = members["owner"]
    web, api = web_client_for(owner), api_client_for(owner)
    refs: list[str] = []

    def grow(n: int) -> None:
        for _ in range(n):
            member = add_member(org, "editor", email=f"soa-qc{next(_seq)}@{org.slug}.example.com")
            risk = risk_create(ctx=ctx_for(org, member), data={
                "title": f"Risk {next(_seq)}", "category": "bias", "owner": member.pk,
                "controls": [REF]})
            refs.append(risk.ref)

    def page(url: str, bound: int):
        client = api if url.startswith("/api/") else web
        return (lambda: client.get(url)), budget(url, bound)

    pages = {
        # The control's page also shows what the readiness rules find about it: one
        # evaluation of the record, whatever its size.
        "web control": page(f"/o/{org.slug}/soa/{REF}/", 44),
        "api control": page(f"/api/v1/orgs/{org.slug}/soa/{REF}", 5),
        "api soa": page(f"/api/v1/orgs/{org.slug}/soa", 5),
        "csv export": page(f"/o/{org.slug}/soa/export/csv/", 5),
        "xlsx export": page(f"/api/v1/orgs/{org.slug}/soa/export?format=xlsx", 5),
    }
    last = assert_flat(pages, grow, django_assert_max_num_queries, steps=(SMALL, MORE))

    total = SMALL + MORE
    item = last["api control"].json()
    assert item["risk_count"] == total
    assert [r["ref"] for r in item["risks"]] == sorted(refs)[:RISKS_SHOWN]
    html = last["web control"].content.decode()
    assert f"All {total} risks it treats" in html
    assert sorted(refs)[RISKS_SHOWN - 1] in html and sorted(refs)[RISKS_SHOWN] not in html
    # The export lists every risk that links the control, as before.
    rows = list(csv.reader(io.StringIO(last["csv export"].content.decode("utf-8-sig"))))
    (row,) = [r for r in rows if r[0] == REF]
    assert all(ref in row[-1] for ref in refs)
