"""Context of the organisation (clause 4): the issues, the interested parties and their
requirements, the AI systems and the organisation's role for each, and the scope."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Phase, Severity, Subject, rule

MAJOR, MINOR, OBSERVATION = Severity.MAJOR, Severity.MINOR, Severity.OBSERVATION
# Issues a year old and never looked at again: the context was not kept under review.
ISSUES_STALE_AFTER = datetime.timedelta(days=365)


@rule("CTX-SCOPE-MISSING", title="No scope statement", refs=("4.3",), severity=MAJOR,
      phase=Phase.CONTEXT)
def scope_missing(facts: Facts) -> Iterator[Hit]:
    if facts.scope is None or not facts.scope.statement.strip():
        yield Hit("The AIMS has no scope statement: nobody can tell which units, sites and AI "
                  "systems it covers.",
                  "Write the scope: its boundaries, what is included and excluded and why.",
                  facts.url("context:scope"))


@rule("CTX-SCOPE-UNAPPROVED", title="Scope not under document control", refs=("4.3", "7.5.3"),
      severity=MINOR, phase=Phase.CONTEXT)
def scope_unapproved(facts: Facts) -> Iterator[Hit]:
    if facts.scope is None:
        return
    approved = [d for d in facts.documents if (d.kind == "scope" or "4.3" in d.requirement_refs)
                and d.in_force]
    if not approved:
        yield Hit("The scope statement is not backed by an approved, controlled document: "
                  "its current wording has not been signed off.",
                  "Put the scope under document control (a document of kind Scope naming "
                  "4.3) and have it approved by someone who did not write it.",
                  facts.url("documents:create"))


@rule("CTX-SCOPE-SYSTEM-MISSING", title="In-scope AI system missing from the scope statement",
      refs=("4.3",), severity=MINOR, phase=Phase.CONTEXT)
def scope_system_missing(facts: Facts) -> Iterator[Hit]:
    if facts.scope is None:
        return
    named = set((facts.scope.systems_snapshot or {}).get("in_scope", []))
    for s in facts.in_scope_systems:
        if s.name not in named:
            yield Hit(f"{s.name} is in scope but the scope statement (version "
                      f"{facts.scope.number}) was written without it.",
                      "Record a new version of the scope that covers the system.",
                      facts.url("context:scope"), Subject("ai_system", str(s.id), s.name))


@rule("CTX-ISSUES-NONE", title="No internal or external issues on record", refs=("4.1",),
      severity=MAJOR, phase=Phase.CONTEXT)
def issues_none(facts: Facts) -> Iterator[Hit]:
    if facts.context.issues == 0:
        yield Hit("No internal or external issue is on record: the context the AIMS answers to "
                  "has not been determined.",
                  "Record the issues that affect what the AIMS must achieve: laws and "
                  "regulators, customers' expectations, technology, the organisation's own "
                  "goals and constraints.", facts.url("context:issues"))


@rule("CTX-ISSUES-STALE", title="Issues not reviewed for a year", refs=("4.1",),
      severity=MINOR, phase=Phase.CONTEXT)
def issues_stale(facts: Facts) -> Iterator[Hit]:
    last = facts.context.issues_last_changed
    if facts.context.issues and last and last < facts.as_of - ISSUES_STALE_AFTER:
        yield Hit(f"The register of issues has not changed since {last:%Y-%m-%d}: there is no "
                  "sign the context was reviewed in the last year.",
                  "Review the issues (at the management review, say), update or retire those "
                  "that changed and add new ones.", facts.url("context:issues"))


@rule("CTX-PARTIES-NONE", title="No interested parties on record", refs=("4.2",),
      severity=MAJOR, phase=Phase.CONTEXT)
def parties_none(facts: Facts) -> Iterator[Hit]:
    if not facts.context.parties:
        yield Hit("No interested party is on record: whose needs the AIMS must meet is unknown.",
                  "Record the parties that matter to your AI (customers, affected people, "
                  "regulators, staff, suppliers) and what each needs.",
                  facts.url("context:parties"))


@rule("CTX-PARTY-REQUIREMENTS", title="Interested party without the requirements the AIMS "
      "adopts", refs=("4.2",), severity=MINOR, phase=Phase.CONTEXT)
def party_requirements(facts: Facts) -> Iterator[Hit]:
    parties = facts.context.parties
    without = [p for p in parties if not p.has_requirements]
    if parties and len(without) == len(parties):
        yield Hit("No interested party's needs are turned into requirements of the AIMS.",
                  "For each party, say which of its needs the AIMS adopts as requirements "
                  "(legal, contractual or voluntary).", facts.url("context:parties"),
                  severity=MAJOR)
        return
    for p in without:
        yield Hit(f"“{p.name}” has needs on record but none adopted as a requirement of the "
                  "AIMS.", "Say which of its needs the AIMS adopts as requirements, or why none.",
                  facts.url("context:party_edit", p.id),
                  Subject("interested_party", str(p.id), p.name))


@rule("CTX-SYSTEM-NO-ROLE", title="AI system with no role for the organisation", refs=("4.1",),
      severity=MINOR, phase=Phase.CONTEXT)
def system_no_role(facts: Facts) -> Iterator[Hit]:
    for s in facts.in_scope_systems:
        if not s.roles:
            yield Hit(f"{s.name} does not say what the organisation is for it (developer, "
                      "provider, deployer, user…), so which obligations apply is unclear.",
                      "Record the organisation's roles for the system.",
                      facts.url("inventory:edit", s.id), Subject("ai_system", str(s.id), s.name))
