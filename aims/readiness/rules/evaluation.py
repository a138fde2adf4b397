"""Performance evaluation (clause 9): monitoring kept up and acted on, the internal audit
programme covering the AIMS, audits and management reviews held in the last year."""

from __future__ import annotations

from collections.abc import Iterator

from aims.core.wording import plural_of
from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Phase, Severity, Subject, rule
from aims.reviews.inputs import INPUTS

MAJOR, MINOR = Severity.MAJOR, Severity.MINOR


@rule("EVAL-MONITOR-OVERDUE", title="Monitoring result overdue", refs=("9.1",),
      severity=MINOR, phase=Phase.EVALUATION)
def monitor_overdue(facts: Facts) -> Iterator[Hit]:
    for m in facts.monitors:
        if m.overdue:
            yield Hit(f"{m.ref} {m.name} has not been measured within its frequency.",
                      "Record the latest result, or change the frequency with a reason.",
                      facts.url("objectives:monitor_detail", m.id),
                      Subject("monitor", str(m.id), f"{m.ref} {m.name}"))


@rule("EVAL-BREACH-UNANSWERED", title="Monitoring result outside its thresholds with no "
      "response", refs=("9.1", "10.2"), severity=MINOR, phase=Phase.EVALUATION)
def breach_unanswered(facts: Facts) -> Iterator[Hit]:
    for b in facts.recent_breaches:
        if not b.analysed and b.id not in facts.breach_responses:
            yield Hit(f"{b.monitor} was outside its thresholds on {b.measured_on:%Y-%m-%d} and "
                      "nobody analysed it or raised anything from it.",
                      "Analyse the result and raise an incident, a nonconformity or an "
                      "improvement where it calls for one.",
                      facts.url("objectives:monitor_detail", b.monitor_id),
                      Subject("monitor_result", str(b.id), f"{b.monitor} {b.measured_on:%Y-%m-%d}"))


@rule("EVAL-AUDIT-PROGRAMME", title="No internal audit programme for the current cycle",
      refs=("9.2.2",), severity=MAJOR, phase=Phase.EVALUATION)
def audit_programme_missing(facts: Facts) -> Iterator[Hit]:
    if facts.programme is None:
        yield Hit("No internal audit programme covers the current cycle: nothing plans which "
                  "clauses and controls are audited, when and by whom.",
                  "Set up the audit programme for the cycle and plan its audits so that every "
                  "clause and applicable control is covered.", facts.url("audits:programmes"))


@rule("EVAL-AUDIT-COVERAGE", title="Audit programme leaves clauses or controls uncovered",
      refs=("9.2.2",), severity=MINOR, phase=Phase.EVALUATION)
def audit_coverage(facts: Facts) -> Iterator[Hit]:
    coverage = facts.programme_coverage
    if coverage is None:
        return
    missing = [r.requirement.ref for r in coverage.rows if r.state == "missing"]
    if missing:
        shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more"
                                           if len(missing) > 12 else "")
        yield Hit(f"The programme “{facts.programme.name}” neither covers nor plans to audit "
                  f"{len(missing)} {plural_of(len(missing), 'clause or applicable control', 'clauses or applicable controls')}: {shown}.",
                  "Plan audits in the cycle that cover them.",
                  facts.url("audits:programme", facts.programme.pk),
                  Subject("audit_programme", str(facts.programme.pk), facts.programme.name))


@rule("EVAL-AUDIT-NONE", title="No internal audit reported in the last twelve months",
      refs=("9.2.1",), severity=MAJOR, phase=Phase.EVALUATION)
def audit_none(facts: Facts) -> Iterator[Hit]:
    if facts.audits_last_year == 0:
        yield Hit("No internal audit report was issued in the twelve months to "
                  f"{facts.as_of:%Y-%m-%d}: the AIMS has not been checked by its own audit.",
                  "Carry out an internal audit of the AIMS and issue its report.",
                  facts.url("audits:list"))


@rule("EVAL-REVIEW-NONE", title="No management review in the last twelve months",
      refs=("9.3.1",), severity=MAJOR, phase=Phase.EVALUATION)
def review_none(facts: Facts) -> Iterator[Hit]:
    last = facts.last_review
    if last is None or (facts.as_of - last.meeting_date).days > 365:
        since = f" since {last.meeting_date:%Y-%m-%d}" if last else ""
        yield Hit(f"Top management has not reviewed the AIMS{since} (none in the last twelve "
                  "months).",
                  "Hold a management review with every required input and record its "
                  "decisions.", facts.url("reviews:list"))


@rule("EVAL-REVIEW-INPUTS", title="Management review without every required input",
      refs=("9.3.2",), severity=MINOR, phase=Phase.EVALUATION)
def review_inputs(facts: Facts) -> Iterator[Hit]:
    last = facts.last_review
    if last is None:
        return
    missing = [i.title for i in INPUTS if i.key not in facts.last_review_inputs]
    if missing:
        yield Hit(f"The management review {last.ref} did not consider: {'; '.join(missing)}.",
                  "Consider the missing inputs at the next review (its agenda holds them all).",
                  facts.url("reviews:detail", last.pk),
                  Subject("management_review", str(last.pk), last.ref))
