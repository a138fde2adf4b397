"""The impact assessment check of the deployment gate (8.1, A.6; see aims.inventory.gates):
the system's standing assessment is approved and current."""

from __future__ import annotations

from aims.impact.models import Status as AssessmentStatus
from aims.impact.selectors import system_standing
from aims.inventory.gates import Check, Problem, gate_url
from aims.inventory.models import AISystem
from aims.orgs.context import Ctx

IMPACT_RULE = ("The standing impact assessment is approved, not marked for re-assessment, not "
               "past its re-assessment date, and not older than the last significant change.")


def impact_check(*, ctx: Ctx, system: AISystem) -> Check:
    """Whether the system's standing impact assessment is approved and current."""
    standing = system_standing(ctx=ctx, system=system)
    current, open_one = standing.current, standing.open
    start = (gate_url("impact:detail", ctx, assessment_id=open_one.pk) if open_one else
             gate_url("impact:create", ctx, f"?system={system.pk}"))
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
            who = current.approved_by.display_name if current.approved_by is not None else "a former member"
            detail = (f"Version {current.number} approved on {current.approved_on:%Y-%m-%d} by "
                      f"{who}; re-assessment due "
                      f"{current.next_due:%Y-%m-%d}." if current.next_due and current.approved_on
                      else f"Version {current.number} is approved.")
    url = (gate_url("impact:detail", ctx, assessment_id=current.pk) if current else start)
    return Check(key="impact_assessment", label="Current approved impact assessment",
                 rule=IMPACT_RULE, detail=detail, problems=tuple(problems), url=url,
                 action="Impact assessment")
