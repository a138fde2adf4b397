"""Coverage of a cycle: every leaf clause and every control the SoA does not exclude is
covered (a reported audit had it in scope), planned, or missing."""

from __future__ import annotations

import datetime

import pytest

from aims.audits import selectors, services
from aims.audits.tests.conftest import assess_all
from aims.compliance.services import compliance_item_update

pytestmark = pytest.mark.django_db


def _state(coverage) -> dict[str, str]:
    return {r.requirement.ref: r.state for r in coverage.rows}


def _report(ctx, audit):
    assess_all(ctx, audit)
    audit.refresh_from_db()
    return services.report_issue(ctx=ctx, audit_id=audit.pk, version=audit.version,
                                 data={"summary": "Done.", "conclusion": "Conforms."})


def test_coverage_over_a_cycle(owner_ctx, auditor_ctx, programme, make_audit):
    compliance_item_update(ctx=owner_ctx, ref="A.5.2", version=1, data={
        "applicable": True, "inclusion_reason": "risk_treatment"})
    compliance_item_update(ctx=owner_ctx, ref="A.10.4", version=1, data={
        "applicable": False, "justification": "We have no customers who receive AI systems "
                                              "from us, so this control has nothing to act on."})
    reported = _report(auditor_ctx, make_audit(requirements=["6.1.2", "A.6.2.4"]))
    make_audit(requirements=["8.2", "A.5.2", "6.1.2"])  # planned; 6.1.2 is covered already
    started = make_audit(requirements=["8.3"])
    services.audit_transition(ctx=auditor_ctx, audit_id=started.pk, to="in_progress",
                              version=started.version)
    cancelled = make_audit(requirements=["7.2"])
    services.audit_transition(ctx=auditor_ctx, audit_id=cancelled.pk, to="cancelled",
                              version=cancelled.version)
    elsewhere = services.programme_create(ctx=auditor_ctx, data={
        "name": "Last year", "start_date": datetime.date(2025, 1, 1)})
    other = make_audit(requirements=["4.1"], programme=elsewhere.pk)
    _report(auditor_ctx, other)

    cov = selectors.programme_coverage(ctx=auditor_ctx, programme=programme)
    state = _state(cov)
    # 32 leaf clauses and 38 controls, less the one the SoA excludes.
    assert len(state) == 69 and cov.required == 69
    assert [r.ref for r in cov.excluded] == ["A.10.4"] and "A.10.4" not in state
    assert "6.1" not in state and "A.6.1" not in state  # only the leaves are audited
    assert {k for k, v in state.items() if v == "covered"} == {"6.1.2", "A.6.2.4"}
    assert {k for k, v in state.items() if v == "planned"} == {"8.2", "8.3", "A.5.2"}
    assert state["7.2"] == "missing"  # a cancelled audit counts for nothing
    assert state["4.1"] == "missing"  # another cycle's audit counts for nothing here
    assert cov.counts == {"covered": 2, "planned": 3, "missing": 64}
    assert cov.undecided == 36  # 38 controls: one applicable, one excluded
    rows = {r.requirement.ref: r for r in cov.rows}
    assert rows["A.5.2"].soa == "applicable" and rows["A.6.2.4"].soa == "undecided"
    assert rows["6.1.2"].soa == "clause"
    assert [a.ref for a in rows["6.1.2"].covered_by] == [reported.ref]
    assert [a.ref for a in rows["6.1.2"].planned_in] == ["AUD-002"]
    groups = [g.ref for g in cov.groups]
    assert groups[:7] == [f"Clause {n}" for n in range(4, 11)]
    assert groups[7:] == [f"A.{n}" for n in range(2, 11)]


def test_closing_keeps_coverage(auditor_ctx, programme,
                                                            make_audit):
    audit = _report(auditor_ctx, make_audit(requirements=["9.2"]))
    services.audit_transition(ctx=auditor_ctx, audit_id=audit.pk, to="closed",
                              version=audit.version)
    state = _state(selectors.programme_coverage(ctx=auditor_ctx, programme=programme))
    assert state["9.2.1"] == state["9.2.2"] == "covered"


def test_coverage_queries_are_bounded(auditor_ctx, programme, make_audit,
                                      django_assert_max_num_queries):
    counts = []
    for n in (2, 12):
        for _ in range(n):
            make_audit(requirements=["A.6", "8"])
        with django_assert_max_num_queries(4) as captured:
            selectors.programme_coverage(ctx=auditor_ctx, programme=programme)
        counts.append(len(captured))
    assert counts[0] == counts[1]
