"""Leadership (clause 5, A.2, A.3): the AI policy, the AIMS roles and who holds them, the
channel for reporting concerns."""

from __future__ import annotations

from collections.abc import Iterator

from aims.people.standard_roles import GOVERNANCE_OWNER, TOP_MANAGEMENT
from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Phase, Severity, Subject, rule

MAJOR, MINOR = Severity.MAJOR, Severity.MINOR
# Roles the AIMS cannot run without: their vacancy is a systematic failure, not a lapse.
ESSENTIAL_ROLES = {TOP_MANAGEMENT, GOVERNANCE_OWNER}


def _policies(facts: Facts) -> list:
    return [d for d in facts.documents if d.kind == "ai_policy" or "5.2" in d.requirement_refs]


@rule("LEAD-POLICY-MISSING", title="No approved AI policy in force", refs=("5.2", "A.2.2"),
      severity=MAJOR, phase=Phase.LEADERSHIP)
def policy_missing(facts: Facts) -> Iterator[Hit]:
    policies = _policies(facts)
    if any(d.in_force for d in policies):
        return
    if policies:
        d = policies[0]
        yield Hit(f"{d.ref} {d.title} is the AI policy but no version of it is approved and in "
                  "force.", "Have the policy approved by top management (someone who did not "
                  "write it).", facts.url("documents:detail", d.id),
                  Subject("document", str(d.id), f"{d.ref} {d.title}"))
    else:
        yield Hit("There is no AI policy: nothing states the organisation's commitments for "
                  "developing, providing or using AI.",
                  "Write the AI policy (start from the AI policy template), and have it "
                  "approved by top management.", facts.url("documents:create"))


@rule("LEAD-POLICY-REVIEW", title="AI policy past its review date", refs=("5.2", "A.2.4"),
      severity=MINOR, phase=Phase.LEADERSHIP)
def policy_review(facts: Facts) -> Iterator[Hit]:
    for d in _policies(facts):
        if d.state(facts.as_of) == "past_review":
            yield Hit(f"{d.ref} {d.title} was due for review on {d.review_due:%Y-%m-%d}.",
                      "Review the policy; approve a new version, or confirm the current one "
                      "by approving it unchanged.", facts.url("documents:detail", d.id),
                      Subject("document", str(d.id), f"{d.ref} {d.title}"))


@rule("LEAD-ROLES-NONE", title="No AIMS roles defined", refs=("5.3", "A.3.2"), severity=MAJOR,
      phase=Phase.LEADERSHIP)
def roles_none(facts: Facts) -> Iterator[Hit]:
    if not facts.roles:
        yield Hit("No AIMS role is defined: responsibilities and authorities for the AIMS are "
                  "not assigned.",
                  "Create the AIMS roles (the standard ones are a good start) and name who "
                  "holds each.", facts.url("people:roles"))


@rule("LEAD-ROLE-VACANT", title="AIMS role without a holder", refs=("5.3", "A.3.2"),
      severity=MINOR, phase=Phase.LEADERSHIP)
def role_vacant(facts: Facts) -> Iterator[Hit]:
    for r in facts.roles:
        if r.holders == 0:
            essential = r.code in ESSENTIAL_ROLES
            yield Hit(f"Nobody holds the role “{r.name}”"
                      f"{' on which the AIMS depends' if essential else ''}.",
                      "Assign the role to a member, with the date they took it on.",
                      facts.url("people:roles_detail", r.id),
                      Subject("aims_role", str(r.id), r.name),
                      severity=MAJOR if essential else None)


@rule("LEAD-CONCERN-CHANNEL", title="No way to report concerns about AI", refs=("A.3.3",),
      severity=MINOR, phase=Phase.LEADERSHIP)
def concern_channel(facts: Facts) -> Iterator[Hit]:
    channel = facts.concern_channel
    if channel is None or not channel.channels.strip():
        yield Hit("There is no described channel for reporting concerns about the "
                  "organisation's AI: who to tell, how, and how reporters are protected.",
                  "Describe the reporting-of-concerns channel.",
                  facts.url("people:concern_channel_edit"))
