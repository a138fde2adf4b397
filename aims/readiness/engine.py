"""An evaluation: every rule over the organisation's facts as of a day, the scores they give,
the mandatory documented information and the Stage 1 verdict.

How the score is worked out (the readiness page says the same to its readers):
- Each requirement that counts scores 100 with no finding on it, 85 with observations only,
  50 with a minor finding, 0 with a major one. The requirements that count are the clauses
  4.1 to 10.2 (each at its most detailed level) and the Annex A controls the organisation has
  not excluded (an undecided control counts: deciding it is part of the work).
- A finding counts on each requirement it names; naming a clause or a domain counts on every
  requirement under it.
- A clause's score is the mean of its requirements', a domain's the mean of its controls',
  and the overall score the mean of every requirement that counts.
The verdict is `ready` when there is no major finding and every mandatory documented
information item exists; otherwise `not_ready`, with the reasons first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from aims.core.wording import counted
from aims.orgs.context import Ctx
from aims.readiness import documented
from aims.readiness.facts import MAX_PER_RULE, Facts
from aims.readiness.rules import all_rules
from aims.readiness.rules.base import (
    SEVERITY_RANK,
    Finding,
    Rule,
    Severity,
    run,
    summary,
)

READY, NOT_READY = "ready", "not_ready"
POINTS = {None: 100, Severity.OBSERVATION: 85, Severity.MINOR: 50, Severity.MAJOR: 0}
CLAUSES = ("4", "5", "6", "7", "8", "9", "10")


@dataclass(frozen=True)
class Score:
    ref: str
    title: str
    score: int | None  # None: nothing in it counts (a domain whose controls are all excluded)
    findings: int

    def as_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "title": self.title, "score": self.score,
                "findings": self.findings}


@dataclass(frozen=True)
class Evaluation:
    organization: str
    as_of: datetime.date
    verdict: str
    score: int
    clauses: list[Score]
    domains: list[Score]
    findings: list[Finding]
    documented: list[documented.Item]
    reasons: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {s.value: sum(f.severity == s for f in self.findings) for s in Severity}

    def as_dict(self) -> dict[str, Any]:
        """The JSON the CLI and the API give, identical for the same data."""
        return {"organization": self.organization, "as_of": self.as_of.isoformat(),
                "verdict": self.verdict, "score": self.score,
                "clauses": [c.as_dict() for c in self.clauses],
                "domains": [d.as_dict() for d in self.domains],
                "findings": [f.as_dict() for f in self.findings]}


def evaluate(*, ctx: Ctx, as_of: datetime.date, rules: tuple[Rule, ...] | None = None
             ) -> Evaluation:
    """Judge ctx.org's record as of `as_of` (a fixed number of queries)."""
    ctx.require("org.view")
    facts = Facts(ctx=ctx, as_of=as_of)
    findings = _capped(run(rules or all_rules(), facts))
    checklist = documented.checklist(facts)
    leaves = _counted_requirements(facts)
    worst = _worst_per_requirement(findings, leaves)
    points = {ref: POINTS[worst.get(ref)] for ref in leaves}
    clauses = [_score(ref, title, [r for r in leaves if _under(r, ref)], points, findings)
               for ref, _parent, kind, title, _domain in facts.requirements
               if kind == "clause" and ref in CLAUSES]
    domains = [_score(ref, title, [r for r in leaves if leaves[r] == ref], points, findings)
               for ref, title in _domains(facts)]
    majors = [f for f in findings if f.severity == Severity.MAJOR]
    missing = [i for i in checklist if not i.exists]
    reasons = ([counted(len(majors), "major finding")] if majors else []) + (
        [f"{counted(len(missing), 'mandatory documented information item')} missing: "
         + ", ".join(i.ref for i in missing)] if missing else [])
    return Evaluation(
        organization=ctx.org.slug, as_of=as_of, verdict=NOT_READY if reasons else READY,
        score=round(mean(points.values())) if points else 0, clauses=clauses, domains=domains,
        findings=findings, documented=checklist, reasons=reasons)


def _capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_PER_RULE findings a rule, the rest summed up in one more (a rule may have
    summed up some itself: `run` gives them as a summary already)."""
    out: list[Finding] = []
    seen: dict[str, int] = {}
    summed: dict[str, int] = {}
    for f in findings:
        if f.more:
            summed[f.rule] = summed.get(f.rule, 0) + f.more
            continue
        seen[f.rule] = seen.get(f.rule, 0) + 1
        if seen[f.rule] <= MAX_PER_RULE:
            out.append(f)
    for rule_id, n in seen.items():
        more = n - MAX_PER_RULE + summed.get(rule_id, 0) if n > MAX_PER_RULE \
            else summed.get(rule_id, 0)
        if more > 0:
            first = next(f for f in out if f.rule == rule_id)
            out.append(summary(first, more))
    return out


def _counted_requirements(facts: Facts) -> dict[str, str]:
    """{ref: the clause or domain it belongs to} of every requirement that counts: leaf
    clauses, and the Annex A controls not excluded."""
    parents = {parent for _ref, parent, *_ in facts.requirements if parent}
    excluded = {i.ref for i in facts.controls if i.applicable is False}
    out = {}
    for ref, _parent, kind, _title, domain in facts.requirements:
        if kind == "clause" and ref not in parents and ref.split(".")[0] in CLAUSES:
            out[ref] = ref.split(".")[0]
        elif kind == "annex_a_control" and ref not in excluded:
            out[ref] = domain
    return out


def _under(ref: str, ancestor: str) -> bool:
    return ref == ancestor or ref.startswith(ancestor + ".")


def _worst_per_requirement(findings: list[Finding], leaves: dict[str, str]
                           ) -> dict[str, Severity]:
    """{ref: the gravest finding on it} for the requirements that count."""
    worst: dict[str, Severity] = {}
    for f in findings:
        for named in f.refs:
            for ref in leaves:
                if _under(ref, named) and (
                        ref not in worst or SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst[ref]]):
                    worst[ref] = f.severity
    return worst


def _score(ref: str, title: str, members: list[str], points: dict[str, int],
           findings: list[Finding]) -> Score:
    n = sum(any(_under(named, ref) or _under(ref, named) for named in f.refs) for f in findings)
    return Score(ref=ref, title=title,
                 score=round(mean(points[m] for m in members)) if members else None,
                 findings=n)


def _domains(facts: Facts) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for _ref, _parent, kind, title, domain in facts.requirements:
        if kind == "annex_a_objective" and domain not in seen:
            seen[domain] = title
    return list(seen.items())
