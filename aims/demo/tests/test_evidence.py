import datetime

import pytest

from aims.demo.evidence import build, last_quarter
from aims.evidence import selectors
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def test_last_quarter():
    assert last_quarter(datetime.date(2026, 11, 24)) == (datetime.date(2026, 7, 1),
                                                        datetime.date(2026, 9, 30))
    assert last_quarter(datetime.date(2026, 2, 3)) == (datetime.date(2025, 10, 1),
                                                      datetime.date(2025, 12, 31))


def test_demo_evidence(org, members):
    ctxs = {role: ctx_for(org, user) for role, user in members.items()}
    system = make_ai_system(ctxs["editor"], name="Credit decision engine")
    build(ctxs=ctxs)
    ctx = ctxs["viewer"]
    items = list(selectors.evidence_list(ctx=ctx))
    assert len(items) == 10
    assert {e.kind for e in items} == {"file", "link", "note"}
    stale = selectors.evidence_stale_counts(ctx=ctx)
    assert stale.expired == 1 and stale.expiring >= 1
    assert len(selectors.evidence_for(ctx=ctx, subject=system)) >= 5
    assert selectors.files_verify(ctx=ctx).ok
