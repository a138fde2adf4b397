"""The demo organisation's internal audit programme: this year's cycle, one audit reported with
findings, one planned, and coverage that still shows gaps.

Everything goes through the services, so the activity log is real. All text is invented for
the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.audits.models import AuditLine, LineResult
from aims.audits.services import (
    audit_create,
    audit_transition,
    audit_update,
    line_update,
    programme_create,
    report_issue,
)
from aims.demo import MemberCtx
from aims.inventory.selectors import ai_system_list

# Findings of the reported audit, by (requirement ref, AI system name or None).
FINDINGS = {
    ("A.6.2.6", "Credit decision engine"): (
        LineResult.MINOR_NC,
        "Drift alerts for the credit engine are defined in the monitoring standard but were "
        "not switched on in production: the dashboard showed population-stability values, "
        "and nobody was notified when two of them passed the threshold in February. "
        "Monitoring exists; acting on it is not yet assured."),
    ("6.2", None): (
        LineResult.OBSERVATION,
        "Two of the five AI objectives have no measurement recorded this quarter. The "
        "objectives are sound; without measurements the management review will not be able "
        "to tell whether they are met."),
    ("A.5.3", "Credit decision engine"): (
        LineResult.OFI,
        "The impact assessment is kept with its approvals, but the link from each identified "
        "impact to the risk that treats it is written as free text. Linking the records "
        "would make the trail from impact to treatment quicker to follow."),
}

CONFORMING_NOTES = {
    "6.1.2": "Risk assessments for all seven AI systems follow methodology v1; sampled "
             "R-001 and R-003: likelihood and impact rated and justified.",
    "6.1.3": "Treatments link controls in the SoA; the accepted residual risk on the chatbot "
             "carries the owner's sign-off.",
    "6.1.4": "Impact assessment procedure approved; assessments exist for both high-risk "
             "systems.",
    "8.2": "Risk assessment re-run after the credit model retraining in January.",
    "A.6.2.4": "Independent validation report for release 4.2 read; sign-off before "
               "deployment confirmed in the release ticket.",
}


def _note(ref: str) -> str:
    return CONFORMING_NOTES.get(ref, "Records sampled and the owner interviewed; the "
                                     "practice matches the documented process.")


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """This year's programme with a reported audit (clauses 6 and 8, A.5 and A.6, with a minor
    nonconformity, an observation and an opportunity for improvement) and a planned one."""
    auditor = ctxs["auditor"]
    users = {role: c.user for role, c in ctxs.items()}
    systems = {s.name: s for s in ai_system_list(ctx=auditor)}
    today = timezone.localdate()
    programme = programme_create(ctx=auditor, data={
        "name": f"Internal audit programme {today.year}",
        "start_date": today.replace(month=1, day=1), "months": 12,
        "owner": users["auditor"].pk,
        "objectives": "Audit every clause and every applicable Annex A control once in the "
                      "year. Priorities: the high-risk credit and recruitment systems, and "
                      "the follow-up of last year's finding on model monitoring. Reports go "
                      "to the AI governance committee and the management review."})

    done_start = today - datetime.timedelta(days=40)
    audit = audit_create(ctx=auditor, data={
        "title": "AI risk, impact and system life cycle", "programme": programme.pk,
        "requirements": ["6", "8", "A.5", "A.6"],
        "ai_systems": [systems["Credit decision engine"].pk],
        "units": "Retail credit (model development and credit operations); Risk management",
        "lead_auditor": users["auditor"].pk,
        "planned_start": done_start, "planned_end": done_start + datetime.timedelta(days=2)})
    audit = audit_transition(ctx=auditor, audit_id=audit.pk, to="in_progress",
                             version=audit.version)
    audit = audit_update(ctx=auditor, audit_id=audit.pk, version=audit.version, data={
        "actual_start": done_start, "actual_end": done_start + datetime.timedelta(days=3)})
    lines = (AuditLine.objects.for_org(auditor.org).filter(audit=audit)
             .select_related("requirement", "ai_system").order_by("sort_key"))
    for line in lines:
        key = (line.requirement.ref, line.ai_system.name if line.ai_system is not None else None)
        result, notes = FINDINGS.get(key, (LineResult.CONFORMING, _note(line.requirement.ref)))
        line_update(ctx=auditor, line_id=line.pk, version=line.version,
                    data={"result": result, "notes": notes})
    report_issue(ctx=auditor, audit_id=audit.pk, version=audit.version, data={
        "summary": "Three days on site with the credit modelling team, credit operations and "
                   "risk management. We interviewed the model owner, the validation lead and "
                   "two credit officers, and sampled the risk register, two impact "
                   "assessments, the release records of model version 4.2 and the "
                   "production monitoring dashboards.",
        "conclusion": "Risk and impact assessment and the development life cycle conform and "
                      "are effectively implemented for the credit decision engine. One minor "
                      "nonconformity (production drift alerts not acted on), one observation "
                      "and one opportunity for improvement are raised."})

    # The next audit, within this year's cycle (an audit dated next year belongs to next
    # year's programme): in six weeks, or before the year ends.
    assert programme.end_date is not None  # a programme's cycle has its dates
    planned_start: datetime.date = max(min(today + datetime.timedelta(days=45),
                                           programme.end_date - datetime.timedelta(days=1)),
                                       today)
    audit_create(ctx=auditor, data={
        "title": "Data, transparency and recruitment AI", "programme": programme.pk,
        "requirements": ["7.2", "7.5", "A.7", "A.8"],
        "ai_systems": [systems["CV screening assistant"].pk],
        "units": "People & HR (recruitment); Data office",
        "lead_auditor": users["auditor"].pk, "team": [users["admin"].pk],
        "planned_start": planned_start,
        "planned_end": planned_start + datetime.timedelta(days=1)})
