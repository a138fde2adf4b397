"""The demo organisation's incidents, nonconformities and improvement opportunities.

- INC-001: the credit decision engine drifted after new income bands went live; declined
  applicants were told and offered a manual review. Raised from the breached monitoring result
  when the monitoring demo has one.
- NC-001: the internal audit's minor nonconformity (drift alerts not switched on), raised from
  its checklist line when the audit demo has one; root cause found, action done, verified
  effective and closed.
- NC-002: raised from the incident; one action done, one overdue.
- Improvement opportunities: one from the audit's opportunity for improvement, one from
  monitoring, one suggestion.

Everything goes through the services, so the activity log is real. All text is invented for
the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from aims.demo import MemberCtx
from aims.improvement.services import (
    improvement_create,
    incident_create,
    incident_raise_nonconformity,
    nonconformity_action_complete,
    nonconformity_action_create,
    nonconformity_close,
    nonconformity_create,
    nonconformity_update,
    nonconformity_verify,
)
from aims.inventory.selectors import ai_system_list
from aims.orgs.context import Ctx

SYSTEM = "Credit decision engine"


def _audit_line(ctx: Ctx, result: str):
    """The demo audit's checklist line with `result`, if the audits demo made one."""
    if not apps.is_installed("aims.audits"):
        return None
    AuditLine = apps.get_model("audits", "AuditLine")
    return (AuditLine.objects.for_org(ctx.org).filter(result=result)
            .select_related("requirement", "audit", "ai_system").order_by("sort_key").first())


def _breached_result(ctx: Ctx, system):
    """The latest breached monitoring result of `system`, if the monitoring demo made one."""
    MonitorResult = apps.get_model("objectives", "MonitorResult")
    return (MonitorResult.objects.for_org(ctx.org)
            .filter(breached=True, monitor__ai_system=system).select_related("monitor")
            .order_by("-measured_on").first())


def _at(days_ago: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    editor, auditor = ctxs["editor"], ctxs["auditor"]
    users = {role: c.user for role, c in ctxs.items()}
    today = timezone.localdate()
    system = next(s for s in ai_system_list(ctx=editor) if s.name == SYSTEM)

    # ------------------------------------------------------------------ the incident
    breach = _breached_result(editor, system)
    incident = incident_create(ctx=editor, origin=breach, data={
        "title": "Credit engine declined sound applicants after the income-band change",
        "incident_type": "drift", "severity": "high", "ai_systems": [system.pk],
        "occurred_at": _at(24, 9), "detected_at": _at(20, 14),
        "description": "After the new declared-income bands went live, underwriters overrode "
                       "far more automated declines than usual. Analysis showed the model "
                       "scoring self-employed applicants with irregular income as higher risk "
                       "than their repayment history supports: about 310 applicants were "
                       "declined in four days who would have been approved before.",
        "containment": "Automated declines for self-employed applicants routed to an "
                       "underwriter from day one; the income-band change rolled back two days "
                       "later.",
        "status": "resolved", "owner": users["admin"].pk,
        "communication_needed": True, "communicated_at": _at(15, 10),
        "communication_method": "Letter and e-mail to each affected applicant",
        "communication_note": "We told them their application was decided with a model error, "
                              "that an underwriter had re-assessed it, and how to ask for a "
                              "further review.",
        "reporting_needed": False,
    })

    # ------------------------------------------------------------------ a serious incident
    # (EU AI Act Art. 73) whose reporting clock is still running: aware 3 days ago, 15 allowed.
    incident_create(ctx=editor, data={
        "title": "Applicants from two postcode areas declined at twice the usual rate",
        "incident_type": "bias", "severity": "critical", "ai_systems": [system.pk],
        "occurred_at": _at(9, 8), "detected_at": _at(4, 11), "aware_at": _at(3, 16),
        "serious_kind": "other",
        "description": "The monthly fairness review found that applicants living in two "
                       "postcode areas were declined about twice as often as comparable "
                       "applicants elsewhere since the last data refresh. The areas have a "
                       "large share of residents of one ethnic background, so the declines "
                       "may breach equal-treatment obligations.",
        "containment": "Every automated decline in the two areas is routed to a credit "
                       "officer until the cause is found.",
        "status": "contained", "owner": users["admin"].pk,
    })

    # ------------------------------------------------------------------ NC-001: closed
    line = _audit_line(auditor, "minor_nc")
    audit_nc = nonconformity_create(ctx=auditor, origin=line, data={
        "source": "audit_finding", "severity": "minor", "owner": users["editor"].pk,
        "raised_on": today - datetime.timedelta(days=36),
        **({} if line else {
            "title": "Drift alerts of the credit engine not switched on",
            "requirement": "A.6.2.6",
            "description": "Drift alerts are defined in the monitoring standard but were not "
                           "switched on in production; nobody was told when two stability "
                           "values passed the threshold."}),
    })
    audit_nc = nonconformity_update(ctx=editor, nc_id=audit_nc.pk, version=audit_nc.version,
                                    data={
        "correction": "Alerts switched on for the credit engine the day after the audit.",
        "corrected_on": today - datetime.timedelta(days=35),
        "rca_method": "five_whys",
        "whys": ["Nobody was notified when stability passed the threshold.",
                 "The alert rules existed only in the monitoring standard, not in the tool.",
                 "Go-live of the monitoring tool was signed off on dashboards alone.",
                 "The go-live checklist had no step for alert routing."],
        "root_cause": "Model go-live checklists do not require alert routing to be tested, so "
                      "monitoring can go live without anyone being notified.",
    })
    action = nonconformity_action_create(ctx=editor, nc_id=audit_nc.pk, data={
        "title": "Add a tested alert-routing step to the model go-live checklist",
        "owner": users["editor"].pk, "due_date": today - datetime.timedelta(days=10),
        "description": "Include a test alert to the model owner and Risk Analytics."})
    nonconformity_action_complete(ctx=editor, nc_id=audit_nc.pk, action_id=action.pk,
                                  version=action.version,
                                  note="Checklist v3 approved; applied to the fraud model.")
    audit_nc = nonconformity_verify(ctx=auditor, nc_id=audit_nc.pk, version=audit_nc.version,
                                    data={
        "result": "effective",
        "notes": "Sampled the last two go-lives: both show a test alert received by the "
                 "owner. Threshold breaches since then reached the on-call analyst within "
                 "the hour."})
    nonconformity_close(ctx=auditor, nc_id=audit_nc.pk, version=audit_nc.version)

    # ------------------------------------------------------------------ NC-002: overdue action
    nc = incident_raise_nonconformity(ctx=editor, incident_id=incident.pk, data={
        "title": "Model change released without checking its effect on applicant groups",
        "requirement": "A.6.2.5", "owner": users["admin"].pk})
    nc = nonconformity_update(ctx=editor, nc_id=nc.pk, version=nc.version, data={
        "rca_method": "free_text",
        "analysis": "The income-band change was treated as a data-preparation change, not a "
                    "model change, so the release skipped the group-level validation that "
                    "model changes go through.",
        "root_cause": "The change process does not say which data-preparation changes count "
                      "as model changes."})
    first = nonconformity_action_create(ctx=editor, nc_id=nc.pk, data={
        "title": "Re-assess declined applicants from the affected days",
        "owner": users["editor"].pk, "due_date": today - datetime.timedelta(days=14)})
    nonconformity_action_complete(ctx=editor, nc_id=nc.pk, action_id=first.pk,
                                  version=first.version, note="All 310 cases re-assessed.")
    nonconformity_action_create(ctx=editor, nc_id=nc.pk, data={
        "title": "Define which feature and data changes need full model validation",
        "owner": users["admin"].pk, "due_date": today - datetime.timedelta(days=5),
        "priority": "high"})

    # ------------------------------------------------------------------ improvement
    ofi = _audit_line(auditor, "ofi")
    improvement_create(ctx=auditor, origin=ofi, data={
        "source": "audit", "status": "accepted", "owner": users["editor"].pk,
        "target_date": today + datetime.timedelta(days=60),
        "benefit": "Auditors and risk owners follow each impact to its treatment in one "
                   "click instead of reading free text.",
        **({} if ofi else {"title": "Link each identified impact to the risk that treats it"}),
    })
    improvement_create(ctx=editor, origin=breach, data={
        "title": "Alert on the human override rate weekly, not monthly",
        "source": "monitoring", "status": "proposed", "owner": users["admin"].pk,
        "description": "The override rate showed the income-band problem within days; the "
                       "monthly result only arrived after three weeks.",
        "benefit": "Problems with automated declines found within a week."})
    improvement_create(ctx=editor, data={
        "title": "Publish a plain-language note on how automated credit decisions are made",
        "source": "suggestion", "status": "in_progress", "owner": users["admin"].pk,
        "target_date": today + datetime.timedelta(days=30),
        "benefit": "Fewer complaints and calls from declined applicants; supports "
                   "transparency duties."})
