"""The risk check of the deployment gate (8.1, A.6; see aims.inventory.gates): the system's
risks are identified, rated after treatment, reviewed and signed off."""

from __future__ import annotations

from aims.inventory.gates import Check, Problem, gate_url
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx
from aims.risks.models import Risk, RiskStatus

RISKS_RULE = ("At least one risk linked to the system; every linked risk that is not closed "
              "has a residual rating, is not overdue for review, and is signed off by its "
              "owner when its residual level is above the acceptance threshold.")


def _risk_name(risk: Risk) -> str:
    return f"{risk.ref} “{risk.title}”"


def risks_check(*, ctx: Ctx, system: AISystem) -> Check:
    """Whether the system's risks are identified, rated, reviewed and signed off."""
    risks = list(Risk.objects.for_org(ctx.org).filter(ai_systems=system)
                 .select_related("methodology").order_by("number"))
    register = gate_url("risks:list", ctx, f"?ai_system={system.pk}&status=open")
    problems: list[Problem] = []
    if not risks:
        problems.append(Problem(
            f"Risks: no risk in the register is linked to {system.name}. Identify what could go "
            "wrong for the people its outputs affect and record at least one risk for it, with "
            "its rating and treatment.",
            gate_url("risks:create", ctx, f"?system={system.pk}"), "Add a risk for this system"))
    open_risks = [r for r in risks if r.status != RiskStatus.CLOSED]
    for risk in open_risks:
        edit = gate_url("risks:edit", ctx, risk_id=risk.pk)
        page = gate_url("risks:detail", ctx, risk_id=risk.pk)
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
