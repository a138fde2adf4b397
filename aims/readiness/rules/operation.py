"""Operation (clause 8, A.6, A.10): systems in production that passed their deployment gate,
risk treatment carried out on time, suppliers of AI kept under review."""

from __future__ import annotations

from collections.abc import Iterator

from aims.readiness.facts import Facts
from aims.readiness.rules.base import Hit, Phase, Severity, Subject, rule

MAJOR, MINOR = Severity.MAJOR, Severity.MINOR


def _gate_problems(facts: Facts, system) -> list[str]:
    """What a deployed system lacks of the deployment gate today (see aims.inventory.gates)."""
    problems = []
    a = facts.assessments.get(system.id)
    changed = system.last_significant_change
    if a is None or a.status != "approved" or (a.next_due and a.next_due < facts.as_of) or (
            changed and a.approved_on and changed > a.approved_on):
        problems.append("no current approved impact assessment")
    risks = facts.risks.systems.get(system.id)
    if risks is None:
        problems.append("no risk linked to it")
    elif risks.unready:
        problems.append("risks not rated, reviewed or signed off")
    if system.id not in facts.standing_approvals:
        problems.append("no standing deployment approval")
    return problems


@rule("OPS-DEPLOYED-NO-GATE", title="Deployed AI system that does not pass its deployment gate",
      refs=("8.1", "A.6.2.5"), severity=MINOR, phase=Phase.OPERATION)
def deployed_without_gate(facts: Facts) -> Iterator[Hit]:
    deployed = [s for s in facts.in_scope_systems if s.lifecycle_stage == "deployed"]
    failing = [(s, p) for s in deployed if (p := _gate_problems(facts, s))]
    # Not one system in production passes the gate: the control is not operating at all.
    systematic = len(deployed) >= 2 and len(failing) == len(deployed)
    for s, problems in failing:
        yield Hit(f"{s.name} is deployed but would not pass its deployment gate today: "
                  f"{'; '.join(problems)}.",
                  "Open the system's deployment checklist and complete what it lists.",
                  facts.url("inventory:detail", s.id) + "#lifecycle",
                  Subject("ai_system", str(s.id), s.name),
                  severity=MAJOR if systematic else None)


@rule("OPS-TREATMENT-OVERDUE", title="Risk treatment action overdue", refs=("8.3", "6.1.3"),
      severity=MINOR, phase=Phase.OPERATION)
def treatment_overdue(facts: Facts) -> Iterator[Hit]:
    for a in facts.overdue_actions:
        yield Hit(f"The treatment action “{a.title}” of {a.risk_ref} was due on "
                  f"{a.due_date:%Y-%m-%d} and is not done.",
                  "Finish it, or re-plan it with a new date and the reason.",
                  facts.url("risks:detail", a.risk_id) + "?tab=actions",
                  Subject("risk", str(a.risk_id), f"{a.risk_ref}: {a.title}"))


@rule("OPS-SUPPLIER-REVIEW", title="Supplier of AI never reviewed or past its review",
      refs=("A.10.3",), severity=MINOR, phase=Phase.OPERATION)
def supplier_review(facts: Facts) -> Iterator[Hit]:
    for s in facts.ai_suppliers:
        subject = Subject("supplier", str(s.id), s.name)
        url = facts.url("suppliers:detail", s.id)
        if s.last_review_date is None:
            yield Hit(f"{s.name} supplies the organisation's AI but has never been reviewed.",
                      "Review the supplier against the AI due-diligence checklist and record "
                      "the outcome and the next review date.", url, subject,
                      severity=MAJOR if s.criticality == "high" else None)
        elif s.next_review_date and s.next_review_date < facts.as_of:
            yield Hit(f"{s.name} was due for review on {s.next_review_date:%Y-%m-%d}.",
                      "Review the supplier again and record the outcome.", url, subject)
