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

The inventory reads impact assessments and risks here, in a module of its own, so that those
apps may keep importing the inventory's models and selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from aims.impact.models import Status as AssessmentStatus
from aims.impact.selectors import system_standing
from aims.inventory.models import AISystem, DeploymentApproval, LifecycleStage
from aims.inventory.selectors import deployment_approval_current
from aims.orgs.context import Ctx
from aims.risks.models import Risk, RiskStatus

GATED_STAGES = (LifecycleStage.DEPLOYED,)

RISKS_RULE = ("At least one risk linked to the system; every linked risk that is not closed "
              "has a residual rating, is not overdue for review, and is signed off by its "
              "owner when its residual level is above the acceptance threshold.")
IMPACT_RULE = ("The standing impact assessment is approved, not marked for re-assessment, not "
               "past its re-assessment date, and not older than the last significant change.")
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


def _url(name: str, ctx: Ctx, query: str = "", **kwargs) -> str:
    return reverse(name, kwargs={"slug": ctx.org.slug, **kwargs}) + query


def _impact_check(ctx: Ctx, system: AISystem) -> Check:
    standing = system_standing(ctx=ctx, system=system)
    current, open_one = standing.current, standing.open
    start = (_url("impact:detail", ctx, assessment_id=open_one.pk) if open_one else
             _url("impact:create", ctx, f"?system={system.pk}"))
    start_label = (f"Open version {open_one.number}" if open_one else
                   "Start the impact assessment" if current is None else
                   f"Start version {standing.versions + 1}")
    finish = ("finish it, submit it for review and have an owner or admin approve it"
              if open_one is None or open_one.status == AssessmentStatus.DRAFT else
              "have an owner or admin who did not write it approve it")
    problems: list[Problem] = []
    detail = ""
    if current is None:
        if open_one is not None:
            msg = (f"Impact assessment: version {open_one.number} of {system.name}'s assessment "
                   f"is {open_one.get_status_display().lower()} and not yet approved: {finish}.")
        else:
            msg = (f"Impact assessment: {system.name} has no approved impact assessment. Start "
                   "one, submit it for review and have an owner or admin approve it.")
        problems.append(Problem(msg, start, start_label))
    else:
        where = f"version {current.number}"
        redo = (f"{finish}." if open_one else
                "start a new version, submit it and have it approved.")
        if current.status == AssessmentStatus.NEEDS_REASSESSMENT:
            reason = (current.reassessment_reason.strip().splitlines() or [""])[-1].rstrip(".")
            problems.append(Problem(
                f"Impact assessment: {where} needs re-assessment"
                f"{f' ({reason})' if reason else ''}. To re-assess it, {redo}",
                start, start_label))
        elif current.is_overdue:
            problems.append(Problem(
                f"Impact assessment: {where} was due for re-assessment on "
                f"{current.next_due:%Y-%m-%d}. To re-assess it, {redo}", start, start_label))
        else:
            who = current.approved_by.display_name if current.approved_by_id else "a former member"
            detail = (f"Version {current.number} approved on {current.approved_on:%Y-%m-%d} by "
                      f"{who}; re-assessment due "
                      f"{current.next_due:%Y-%m-%d}." if current.next_due and current.approved_on
                      else f"Version {current.number} is approved.")
    url = (_url("impact:detail", ctx, assessment_id=current.pk) if current else start)
    return Check(key="impact_assessment", label="Current approved impact assessment",
                 rule=IMPACT_RULE, detail=detail, problems=tuple(problems), url=url,
                 action="Impact assessment")


def _risk_name(risk: Risk) -> str:
    return f"{risk.ref} “{risk.title}”"


def _risks_check(ctx: Ctx, system: AISystem) -> Check:
    risks = list(Risk.objects.for_org(ctx.org).filter(ai_systems=system)
                 .select_related("methodology").order_by("number"))
    register = _url("risks:list", ctx, f"?ai_system={system.pk}&status=open")
    problems: list[Problem] = []
    if not risks:
        problems.append(Problem(
            f"Risks: no risk in the register is linked to {system.name}. Identify what could go "
            "wrong for the people its outputs affect and record at least one risk for it, with "
            "its rating and treatment.",
            _url("risks:create", ctx, f"?system={system.pk}"), "Add a risk for this system"))
    open_risks = [r for r in risks if r.status != RiskStatus.CLOSED]
    for risk in open_risks:
        edit = _url("risks:edit", ctx, risk_id=risk.pk)
        page = _url("risks:detail", ctx, risk_id=risk.pk)
        if risk.residual_score is None:
            problems.append(Problem(
                f"Risks: {_risk_name(risk)} has no residual rating. Decide its treatment and "
                "rate its likelihood and impact once the treatment is in place.",
                edit, f"Rate {risk.ref}"))
        if risk.review_overdue:
            problems.append(Problem(
                f"Risks: {_risk_name(risk)} was due for review on "
                f"{risk.next_review:%Y-%m-%d}. Review it, update its ratings if needed and set "
                "its next review date.", edit, f"Review {risk.ref}"))
        # Sign-off is asked for once the residual level is known.
        if (risk.residual_score is not None and risk.acceptance_required
                and risk.accepted_at is None):
            problems.append(Problem(
                f"Risks: {_risk_name(risk)} stays {risk.residual_level} after treatment, above "
                f"the acceptance threshold ({risk.methodology.acceptance_threshold}). Its owner "
                "must sign off the residual risk, or treat it further.",
                page, f"Sign off {risk.ref}"))
    detail = ""
    if not problems:
        closed = len(risks) - len(open_risks)
        detail = (f"{len(open_risks)} open risk{'' if len(open_risks) == 1 else 's'} reviewed"
                  f"{f', {closed} closed' if closed else ''}.")
    return Check(key="risks", label="Reviewed risks", rule=RISKS_RULE, detail=detail,
                 problems=tuple(problems), url=register, action="Risks of this system")


def _approval_check(ctx: Ctx, system: AISystem, approval: DeploymentApproval | None) -> Check:
    here = _url("inventory:detail", ctx, "#lifecycle", system_id=system.pk)
    problems: list[Problem] = []
    detail = ""
    if approval is None:
        problems.append(Problem(
            f"Deployment approval: nobody has approved deploying {system.name}. An owner or "
            "admin must record a deployment approval.", here, "Approve the deployment"))
    elif not approval.is_valid:
        who = approval.approved_by.display_name if approval.approved_by_id else "a former member"
        problems.append(Problem(
            f"Deployment approval: the approval of {approval.approved_at:%Y-%m-%d} by {who} no "
            f"longer stands: {approval.ended_reason} on {approval.ended_at:%Y-%m-%d}. An owner "
            "or admin must approve the deployment again.", here, "Approve the deployment"))
    else:
        who = approval.approved_by.display_name if approval.approved_by_id else "a former member"
        detail = f"Approved on {approval.approved_at:%Y-%m-%d} by {who}."
    return Check(key="approval", label="Deployment approval", rule=APPROVAL_RULE, detail=detail,
                 problems=tuple(problems), url=here, action="Deployment approval")


def deployment_checks(*, ctx: Ctx, system: AISystem) -> Gate:
    """The deployment checks of one system as they stand now (a fixed number of queries)."""
    approval = deployment_approval_current(ctx=ctx, system=system)
    checks = (_impact_check(ctx, system), _risks_check(ctx, system),
              _approval_check(ctx, system, approval))
    return Gate(system=system, to_stage=LifecycleStage.DEPLOYED, checks=checks,
                approval=approval)


def stage_gate(*, ctx: Ctx, system: AISystem, to_stage: str) -> Gate:
    """What a move of `system` to `to_stage` requires: the deployment checks for deployed,
    nothing for any other stage."""
    if to_stage in GATED_STAGES:
        return deployment_checks(ctx=ctx, system=system)
    return Gate(system=system, to_stage=to_stage)
