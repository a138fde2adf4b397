"""The rules an auditor applies to the record, declared in one place.

A rule is one small function over the organisation's facts (`aims.readiness.facts.Facts`,
loaded once per evaluation) that yields a `Hit` for each thing an auditor would raise. Its
declaration says what it protects and how grave a hit is, as certification bodies grade: a
missing or systematically failing element of a requirement is `major`; a lapse in an element
that exists is `minor`; a weakness or risk is an `observation`. A hit may set another grade
where one rule covers both (no policy at all vs. a policy past its review).

Rules live in one module per family (clauses 4–10 with their Annex A controls); each module
registers its rules with `@rule(...)` when imported; the package imports every family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aims.readiness.facts import Facts
from aims.risks.selectors import Offenders, RiskRow


class Severity(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"


SEVERITY_RANK = {Severity.MAJOR: 0, Severity.MINOR: 1, Severity.OBSERVATION: 2}


class Phase(StrEnum):
    """The phases of an implementation plan, in the order the work is usually done."""

    CONTEXT = "context"
    LEADERSHIP = "leadership"
    RISK = "risk"
    CONTROLS = "controls"
    SUPPORT = "support"
    OPERATION = "operation"
    EVALUATION = "evaluation"
    IMPROVEMENT = "improvement"
    CERTIFICATION = "certification"


# Keyed by the stored value as well: a Phase is a str.
PHASE_TITLES: dict[str, str] = {
    Phase.CONTEXT: "Context and scope",
    Phase.LEADERSHIP: "Leadership and policy",
    Phase.RISK: "Risk and impact",
    Phase.CONTROLS: "SoA and controls",
    Phase.SUPPORT: "Support",
    Phase.OPERATION: "Operation",
    Phase.EVALUATION: "Evaluation",
    Phase.IMPROVEMENT: "Improvement",
    Phase.CERTIFICATION: "Certification",
}

@dataclass(frozen=True)
class Subject:
    """The record at fault: its record kind (as in each app's records.py), id and label."""

    kind: str
    id: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Hit:
    """What one rule function yields: one thing an auditor would raise."""

    message: str  # names the record and says why it fails
    fix: str  # what to do about it
    url: str = ""  # where to do it
    subject: Subject | None = None  # None: the finding is about the organisation
    severity: Severity | None = None  # the rule's own unless set
    refs: tuple[str, ...] = ()  # the rule's own unless set (e.g. the one control at fault)


@dataclass(frozen=True)
class Omitted:
    """What a rule yields after its first MAX_PER_RULE hits instead of the rest: how many more
    there are. Spelling out thousands of hits (a large register's risks without an owner)
    only for the summary to drop them costs most of an evaluation."""

    count: int


def listed(offenders: Offenders, hit: Callable[[RiskRow], Hit]) -> Iterator[Hit | Omitted]:
    """The hits of the risks failing one check: those listed (the first MAX_PER_RULE, in the
    order findings are listed) spelled out, the rest counted. Only for rules whose hits share
    one severity and one set of refs."""
    yield from map(hit, offenders.first)
    if offenders.count > len(offenders.first):
        yield Omitted(offenders.count - len(offenders.first))


@dataclass(frozen=True)
class Rule:
    id: str  # stable: plans and snapshots refer to it
    title: str  # what the rule looks for, for people
    refs: tuple[str, ...]  # the clauses and controls it protects
    severity: Severity
    phase: Phase
    check: Callable[[Facts], Iterable[Hit | Omitted]]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    refs: tuple[str, ...]
    message: str
    fix: str
    url: str
    subject: Subject | None
    phase: Phase
    more: int = 0  # a summary standing for this many more findings of the rule

    @property
    def key(self) -> str:
        """The finding's identity from one evaluation to the next: the rule and the record at
        fault, or the requirements named when it is about the organisation."""
        if self.subject:
            return f"{self.rule}:{self.subject.kind}:{self.subject.id}"
        return f"{self.rule}:{','.join(self.refs)}"

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": str(self.severity), "refs": list(self.refs),
                "object": self.subject.as_dict() if self.subject else None,
                "message": self.message, "fix": self.fix}


_REGISTRY: dict[str, Rule] = {}


def rule(id: str, *, title: str, refs: Iterable[str], severity: Severity,
         phase: Phase) -> Callable[[Callable[[Facts], Iterable[Hit | Omitted]]],
                                   Callable[[Facts], Iterable[Hit | Omitted]]]:
    """Declare the decorated function as rule `id`."""

    def register(check: Callable[[Facts], Iterable[Hit | Omitted]]
                 ) -> Callable[[Facts], Iterable[Hit | Omitted]]:
        if id in _REGISTRY:
            raise RuntimeError(f"readiness rule {id!r} declared twice")
        _REGISTRY[id] = Rule(id=id, title=title, refs=tuple(refs), severity=severity,
                             phase=phase, check=check)
        return check

    return register


def registered() -> tuple[Rule, ...]:
    """Every rule declared so far, in declaration order."""
    return tuple(_REGISTRY.values())


def run(rules: Iterable[Rule], facts: Facts) -> list[Finding]:
    """The findings of `rules` over `facts`, gravest first. A rule that counted hits instead
    of spelling them out (`Omitted`) gets a summary finding standing for them (`more`), after
    its own."""
    found: list[Finding] = []
    for r in rules:
        last: Finding | None = None
        for hit in r.check(facts):
            if isinstance(hit, Omitted):
                if last is not None and hit.count:
                    found.append(summary(last, hit.count))
                continue
            last = Finding(rule=r.id, severity=hit.severity or r.severity,
                           refs=hit.refs or r.refs, message=hit.message, fix=hit.fix,
                           url=hit.url, subject=hit.subject, phase=r.phase)
            found.append(last)
    return sorted(found, key=lambda f: (SEVERITY_RANK[f.severity], _ref_key(f.refs[0]),
                                        f.rule, _ref_key(f.refs[-1]), f.more > 0,
                                        f.subject.label if f.subject else ""))


def summary(like: Finding, more: int) -> Finding:
    """One finding standing for `more` findings of `like`'s rule not listed."""
    return Finding(rule=like.rule, severity=like.severity, refs=like.refs,
                   message=f"… and {more} more like the ones above.", fix=like.fix,
                   url=like.url, subject=None, phase=like.phase, more=more)


def _ref_key(ref: str) -> tuple:
    """'A.6.2.10' after 'A.6.2.9', and every clause before Annex A."""
    annex = ref.startswith("A.")
    parts = ref.removeprefix("A.").split(".")
    return (annex, *(int(p) if p.isdigit() else 0 for p in parts))
