"""How the readiness pages put an evaluation into words."""

from __future__ import annotations

import datetime

from aims.readiness import report
from aims.readiness.engine import NOT_READY, Evaluation
from aims.readiness.rules.base import Finding, Phase, Severity


def _finding(severity: Severity, n: int) -> Finding:
    return Finding(rule=f"R-{n}", severity=severity, refs=("6.1.2",), message="m", fix="f",
                   url="/", subject=None, phase=next(iter(Phase)))


def test_counts_in_words_only_the_noun_takes_a_plural():
    findings = [_finding(Severity.MAJOR, 1), _finding(Severity.MAJOR, 2),
                _finding(Severity.MINOR, 3), _finding(Severity.OBSERVATION, 4),
                _finding(Severity.OBSERVATION, 5)]
    evaluation = Evaluation(organization="o", as_of=datetime.date(2026, 12, 7),
                            verdict=NOT_READY, score=0, clauses=[], domains=[],
                            findings=findings, documented=[])
    assert [c["words"] for c in report.counts(evaluation)] == [
        "2 major", "1 minor", "2 observations"]
    one = Evaluation(organization="o", as_of=datetime.date(2026, 12, 7), verdict=NOT_READY,
                     score=0, clauses=[], domains=[], findings=findings[-1:], documented=[])
    assert [c["words"] for c in report.counts(one)] == ["0 major", "0 minor", "1 observation"]
