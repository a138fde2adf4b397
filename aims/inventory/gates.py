"""The lifecycle gate (8.1, A.6): what must be true before an AI system is marked deployed.

Moving to deployed needs all three of:

1. A current approved impact assessment: the system's standing assessment is approved, not
   past its re-assessment date, and not marked as needing re-assessment (recording a
   significant change that took effect after its approval marks it, so an assessment older
   than the last significant change never counts as current).
2. Reviewed risks: at least one risk in the register is linked to the system, and every
   linked risk that is not closed has a residual rating (likelihood and impact once treated),
   is not past its next review date, and, if its residual level is above the acceptance
   threshold of its methodology version, has been signed off by its owner.
3. A standing deployment approval by an owner or admin (lifecycle.approve): the latest one,
   with no significant change recorded and no move out of deployed since it was given.

Every other move (concept → design → development → verification, back again, or to retired)
is recorded but not gated: verification is not required before deployed, and a system may be
retired from any stage. Entering a system in the inventory at a stage is not a move: the gate
applies to every later move to deployed.

The inventory owns the gate and the approval check; the impact assessment and risk checks are
contributed by those apps through `aims.records.hooks.DEPLOYMENT_CHECKS` (they build on the
inventory, so the inventory never imports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from aims.inventory.models import AISystem, DeploymentApproval, LifecycleStage
from aims.inventory.selectors import deployment_approval_current
from aims.orgs.context import Ctx
from aims.records import hooks

GATED_STAGES = (LifecycleStage.DEPLOYED,)

APPROVAL_RULE = ("An owner or admin approved the deployment, and no significant change was "
                 "recorded and the system did not leave deployed since.")


@dataclass(frozen=True)
class Problem:
    """One missing thing, said so a person knows what to do, with where to do it."""

    message: str
    url: str = ""
    action: str = ""


@dataclass(frozen=True)
class Check:
    key: str  # "impact_assessment" | "risks" | "approval"
    label: str
    rule: str
    detail: str  # what stands now, when the check passes
    problems: tuple[Problem, ...] = ()
    url: str = ""  # where the check's record lives
    action: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def snapshot(self) -> dict[str, Any]:
        """What a lifecycle record or approval keeps of the check."""
        return {"key": self.key, "label": self.label, "ok": self.ok, "detail": self.detail,
                "problems": [p.message for p in self.problems]}


@dataclass(frozen=True)
class Gate:
    system: AISystem
    to_stage: str
    checks: tuple[Check, ...] = ()
    approval: DeploymentApproval | None = field(default=None)

    @property
    def gated(self) -> bool:
        return bool(self.checks)

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def to_stage_label(self) -> str:
        return LifecycleStage(self.to_stage).label

    @property
    def problems(self) -> list[str]:
        """Every missing item, one actionable message each, in checklist order."""
        return [p.message for c in self.checks for p in c.problems]

    def snapshot(self) -> list[dict[str, Any]]:
        return [c.snapshot() for c in self.checks]


def gate_url(name: str, ctx: Ctx, query: str = "", **kwargs) -> str:
    """A page of ctx.org, by URL name, for a problem's link."""
    return reverse(name, kwargs={"slug": ctx.org.slug, **kwargs}) + query


def _approval_check(ctx: Ctx, system: AISystem, approval: DeploymentApproval | None) -> Check:
    here = gate_url("inventory:detail", ctx, "#lifecycle", system_id=system.pk)
    problems: list[Problem] = []
    detail = ""
    if approval is None:
        problems.append(Problem(
            f"Deployment approval: nobody has approved deploying {system.name}. An owner or "
            "admin must record a deployment approval.", here, "Approve the deployment"))
    elif not approval.is_valid:
        who = approval.approved_by.display_name if approval.approved_by is not None else "a former member"
        problems.append(Problem(
            f"Deployment approval: the approval of {approval.approved_at:%Y-%m-%d} by {who} no "
            f"longer stands: {approval.ended_reason} on {approval.ended_at:%Y-%m-%d}. An owner "
            "or admin must approve the deployment again.", here, "Approve the deployment"))
    else:
        who = approval.approved_by.display_name if approval.approved_by is not None else "a former member"
        detail = f"Approved on {approval.approved_at:%Y-%m-%d} by {who}."
    return Check(key="approval", label="Deployment approval", rule=APPROVAL_RULE, detail=detail,
                 problems=tuple(problems), url=here, action="Deployment approval")


# The order a checklist shows its checks in; a check of another key comes after these.
CHECK_ORDER = ("impact_assessment", "risks", "approval")


def deployment_checks(*, ctx: Ctx, system: AISystem) -> Gate:
    """The deployment checks of one system as they stand now (a fixed number of queries)."""
    approval = deployment_approval_current(ctx=ctx, system=system)
    found = [*hooks.run(hooks.DEPLOYMENT_CHECKS, ctx=ctx, system=system),
             _approval_check(ctx, system, approval)]
    checks = tuple(sorted(found, key=lambda c: (
        CHECK_ORDER.index(c.key) if c.key in CHECK_ORDER else len(CHECK_ORDER))))
    return Gate(system=system, to_stage=LifecycleStage.DEPLOYED, checks=checks,
                approval=approval)


def stage_gate(*, ctx: Ctx, system: AISystem, to_stage: str) -> Gate:
    """What a move of `system` to `to_stage` requires: the deployment checks for deployed,
    nothing for any other stage."""
    if to_stage in GATED_STAGES:
        return deployment_checks(ctx=ctx, system=system)
    return Gate(system=system, to_stage=to_stage)
