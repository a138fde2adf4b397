"""Improvement (clause 10, A.8.4): nonconformities corrected on time and on the right footing,
incidents reported by their deadline."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from aims.core.wording import counted
from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Phase, Severity, Subject, rule

MAJOR, MINOR = Severity.MAJOR, Severity.MINOR
# An open nonconformity whose cause is still unknown after this long is being left to drift.
ROOT_CAUSE_WITHIN = datetime.timedelta(days=30)


def _nc(n) -> Subject:
    return Subject("nonconformity", str(n.id), f"{n.ref} {n.title}")


@rule("IMP-NC-ACTION-OVERDUE", title="Nonconformity with overdue corrective actions",
      refs=("10.2",), severity=MINOR, phase=Phase.IMPROVEMENT)
def nc_action_overdue(facts: Facts) -> Iterator[Hit]:
    for n in facts.nonconformity_rows:
        if not n.closed and n.actions_overdue:
            yield Hit(f"{n.ref} “{n.title}” has {counted(n.actions_overdue, 'corrective action')} "
                      "overdue.", "Finish the actions, or re-plan them with the reason.",
                      facts.url("improvement:nc_detail", n.id), _nc(n))


@rule("IMP-NC-NO-ROOT-CAUSE", title="Nonconformity open for over 30 days without a root cause",
      refs=("10.2",), severity=MINOR, phase=Phase.IMPROVEMENT)
def nc_no_root_cause(facts: Facts) -> Iterator[Hit]:
    for n in facts.nonconformity_rows:
        if not n.closed and not n.root_cause and facts.as_of - n.raised_on > ROOT_CAUSE_WITHIN:
            yield Hit(f"{n.ref} “{n.title}” was raised on {n.raised_on:%Y-%m-%d} and its root "
                      "cause is still not recorded.",
                      "Find and record the root cause, then plan actions against it.",
                      facts.url("improvement:nc_detail", n.id), _nc(n))


@rule("IMP-NC-CLOSED-UNVERIFIED", title="Nonconformity closed without a check that its actions "
      "worked", refs=("10.2",), severity=MINOR, phase=Phase.IMPROVEMENT)
def nc_closed_unverified(facts: Facts) -> Iterator[Hit]:
    for n in facts.nonconformity_rows:
        if n.closed and not n.verified_effective:
            yield Hit(f"{n.ref} “{n.title}” is closed, but no check recorded that its "
                      "corrective actions were effective.",
                      "Record the effectiveness check (and reopen it if they were not).",
                      facts.url("improvement:nc_detail", n.id), _nc(n))


@rule("IMP-INCIDENT-REPORT-LATE", title="Incident not reported by its deadline",
      refs=("A.8.4", "10.2"), severity=MAJOR, phase=Phase.IMPROVEMENT)
def incident_report_late(facts: Facts) -> Iterator[Hit]:
    for i in facts.late_reports:
        yield Hit(f"{i.ref} “{i.title}” had to be reported to {i.report_to or 'an outside body'} "
                  f"by {i.deadline:%Y-%m-%d %H:%M} and was not.",
                  "Report it now, record when and how, and raise a nonconformity on the missed "
                  "deadline.", facts.url("improvement:incident_detail", i.id),
                  Subject("incident", str(i.id), f"{i.ref} {i.title}"))
