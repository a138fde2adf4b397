"""Every readiness rule, family by family in clause order (see `base` for what a rule is)."""

from __future__ import annotations

from aims.readiness.rules import (  # each family registers its rules when imported
    context,
    evaluation,
    improvement,
    leadership,
    operation,
    planning,
    support,
)
from aims.readiness.rules.base import Rule, registered

FAMILIES = (context, leadership, planning, support, operation, evaluation, improvement)


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the order the families were declared."""
    return registered()


def rule_get(rule_id: str) -> Rule:
    return next(r for r in registered() if r.id == rule_id)
