"""The demo organisation's AI objectives: four measurable commitments of Northwind Lending's AI
policy, each with a run of measurements. One is off track, one is on track but its monthly
measurement is overdue. Dates are counted back from today, so the picture stays current.

All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, TypedDict

from django.utils import timezone

from aims.demo import MemberCtx
from aims.inventory.selectors import ai_system_list
from aims.objectives.services import (
    measurement_create,
    monitor_create,
    monitor_result_record,
    objective_create,
)


class ObjectiveSpec(TypedDict):
    """One demo objective: its fields, the months between measurements, the periods left
    out before the first, and the (value, note) of each measurement, oldest first."""

    data: dict[str, Any]
    every: int
    skip: int
    values: list[tuple[str, str]]


OBJECTIVES: list[ObjectiveSpec] = [
    {
        "data": {
            "title": "Keep approval-rate gaps between applicant groups within 5 points",
            "description": "Applicants of similar creditworthiness should be approved at similar "
                           "rates whatever their age band or sex. The gap is also a leading "
                           "indicator the supervisor asks about in its annual review.",
            "policy_topic": "fairness", "policy_reference": "AI policy §3.1 (fair outcomes)",
            "metric": "Largest difference in approval rate between any two age bands, and "
                      "between women and men, for consumer loans decided in the quarter, as a "
                      "fraction (0.05 = 5 percentage points). Risk Analytics computes it from "
                      "the decision log; groups with fewer than 200 applications are pooled "
                      "with the neighbouring band.",
            "target": "0.05", "unit": "ratio", "direction": "lower", "baseline": "0.09",
            "frequency": "quarterly", "owner": "editor", "due_months": 9,
            "systems": ["Credit decision engine"], "status": "active",
        },
        "every": 3, "skip": 0,
        "values": [("0.0880", "Before the reweighting of the income features."),
                   ("0.0740", "First quarter on the retrained model."),
                   ("0.0660", ""),
                   ("0.0580", "Gap now driven by the 18–24 band."),
                   ("0.0610", "Up again: a marketing campaign brought many thin-file young "
                              "applicants. Root-cause analysis opened.")],
    },
    {
        "data": {
            "title": "A credit officer reviews every automated decline",
            "description": "No applicant is declined on the model's word alone: a person looks "
                           "at each recommended decline before the applicant is told.",
            "policy_topic": "human_oversight", "policy_reference": "AI policy §4.2",
            "metric": "Share of declines recommended by the credit decision engine in the "
                      "month that a credit officer reviewed before the decision letter was "
                      "sent, taken from the case-management audit trail (all cases, no "
                      "sampling).",
            "target": "100", "unit": "%", "direction": "higher", "baseline": "82",
            "frequency": "monthly", "owner": "admin", "due_months": 3,
            "systems": ["Credit decision engine"], "status": "active",
        },
        "every": 1, "skip": 0,
        "values": [("91.5", "Review queue introduced mid-month."),
                   ("94.2", ""),
                   ("96.8", "Weekend cases now routed to the on-call officer."),
                   ("98.9", "Three cases sent before review during the system outage."),
                   ("100", ""),
                   ("100", "")],
    },
    {
        "data": {
            "title": "Keep wrong answers from the customer chatbot rare",
            "description": "Customers act on what the chatbot tells them about repayments and "
                           "fees, so its answers must be grounded in our own help centre and "
                           "product terms.",
            "policy_topic": "robustness", "policy_reference": "AI policy §5.3 (reliable outputs)",
            "metric": "Share of 400 randomly sampled chatbot answers per month that a "
                      "reviewer in Customer Operations marks as factually wrong or not "
                      "supported by the help centre or product terms.",
            "target": "2", "unit": "%", "direction": "lower", "baseline": "6.5",
            "frequency": "monthly", "owner": "editor", "due_months": 6,
            "systems": ["Customer service chatbot"], "status": "active",
        },
        # The reviewer moved teams: the last three monthly samples were never taken.
        "every": 1, "skip": 3,
        "values": [("5.9", "First sample after launch."),
                   ("4.1", "Retrieval restricted to current product terms."),
                   ("2.8", ""),
                   ("1.9", "Answers on fee waivers now hand over to an agent.")],
    },
    {
        "data": {
            "title": "Staff who build, buy or use AI are trained in its responsible use",
            "description": "People can only oversee AI they understand: everyone in an "
                           "AI-relevant role completes the internal course every year.",
            "policy_topic": "competence", "policy_reference": "AI policy §6 (people and skills)",
            "metric": "Share of staff on the AI-relevant roles list kept by People & HR who "
                      "completed the responsible-AI course in the last 12 months, from the "
                      "learning management system at quarter end.",
            "target": "95", "unit": "%", "direction": "higher", "baseline": "40",
            "frequency": "quarterly", "owner": "admin", "due_months": 6,
            "systems": [], "status": "active",
        },
        "every": 3, "skip": 0,
        "values": [("52", "Course launched for Retail credit and Technology."),
                   ("71", ""),
                   ("83", "Contact-centre agents added to the roles list."),
                   ("88", "")],
    },
]


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _period_ends(today: datetime.date, *, every: int, skip: int, count: int) -> list[datetime.date]:
    """The last `count` ends of periods of `every` months that closed at least a week ago,
    leaving out the `skip` most recent ones; oldest first."""
    year, month = today.year, today.month
    ends: list[datetime.date] = []
    while len(ends) < count + skip:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        end = _month_end(year, month)
        if month % every == 0 and end <= today - datetime.timedelta(days=7):
            ends.append(end)
    return sorted(ends[skip:])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return _month_end(day.year + index // 12, index % 12 + 1)


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """Set the demo objectives and record their measurements, as the owners would."""
    admin = ctxs["admin"]
    today = timezone.localdate()
    systems = {s.name: s.pk for s in ai_system_list(ctx=admin)}
    for spec in OBJECTIVES:
        data = dict(spec["data"])
        owner_role = data.pop("owner")
        due_months = data.pop("due_months")
        data["owner"] = ctxs[owner_role].user.pk
        data["ai_systems"] = [systems[name] for name in data.pop("systems")]
        data["due_date"] = _add_months(today, due_months)
        objective = objective_create(ctx=admin, data=data)
        recorder = ctxs[owner_role]
        ends = _period_ends(today, every=spec["every"], skip=spec["skip"],
                            count=len(spec["values"]))
        for day, (value, note) in zip(ends, spec["values"], strict=True):
            measurement_create(ctx=recorder, objective_id=objective.pk, data={
                "measured_on": day, "value": Decimal(value), "note": note})
    build_monitors(ctxs=ctxs)


# ------------------------------------------------------------------ monitoring (9.1)

# A monitor's fields, with the demo's own keys (values, analysis, stale, system) beside them.
MONITORS: list[dict[str, Any]] = [
    {"name": "Human override rate of automated credit declines", "indicator": "human_override",
     "system": "Credit decision engine", "frequency": "monthly", "unit": "%",
     "method": "Share of automated declines that an underwriter changed to an approval, from "
               "the case-management log, for all consumer loan decisions in the month.",
     "lower_threshold": "2", "upper_threshold": "12", "owner": "editor", "analyst": "admin",
     "values": ["6.1", "7.4", "8.0", "9.2", "13.6"],
     "analysis": {4: "Above the 12 % ceiling after the new income bands went live: the model "
                     "may be declining applicants underwriters consider sound."}},
    {"name": "Population stability of applicant income", "indicator": "drift",
     "system": "Credit decision engine", "frequency": "monthly", "unit": "PSI",
     "method": "Population stability index of declared income against the training sample, "
               "ten bands, computed by Risk Analytics' monitoring job.",
     "upper_threshold": "0.2", "owner": "editor", "analyst": "admin",
     "values": ["0.04", "0.06", "0.09", "0.11", "0.14"], "analysis": {}},
    {"name": "Fraud model precision at the alert threshold", "indicator": "accuracy",
     "system": "Card fraud detection", "frequency": "monthly", "unit": "%",
     "method": "Confirmed fraud among alerts raised, from the fraud operations case outcomes, "
               "30 days after the month ends.",
     "lower_threshold": "35", "owner": "editor", "analyst": "owner",
     "values": ["41", "39", "38"], "analysis": {}, "stale": True},
    {"name": "Complaints about automated decisions", "indicator": "complaints", "system": None,
     "frequency": "quarterly", "unit": "count",
     "method": "Complaints tagged 'automated decision' in the complaints system, all products.",
     "upper_threshold": "25", "owner": "admin", "analyst": "owner",
     "values": ["14", "19"], "analysis": {}},
]


def build_monitors(*, ctxs: dict[str, MemberCtx]) -> None:
    """Monitors with a run of results; one breaches its threshold, one is overdue."""
    admin = ctxs["admin"]
    today = timezone.localdate()
    systems = {s.name: s.pk for s in ai_system_list(ctx=admin)}
    for spec in MONITORS:
        spec = dict(spec)
        values, analysis = spec.pop("values"), spec.pop("analysis")
        stale, system = spec.pop("stale", False), spec.pop("system")
        every = 3 if spec["frequency"] == "quarterly" else 1
        data = {**spec, "ai_system": systems[system] if system else None,
                "owner": ctxs[spec["owner"]].user.pk, "analyst": ctxs[spec["analyst"]].user.pk}
        monitor = monitor_create(ctx=admin, data=data)
        ends = _period_ends(today, every=every, skip=0, count=len(values) + (3 if stale else 0))
        ends = ends[:len(values)] if stale else ends[-len(values):]
        for i, (day, value) in enumerate(zip(ends, values, strict=True)):
            monitor_result_record(ctx=ctxs[spec["owner"]], monitor_id=monitor.pk, data={
                "measured_on": day, "value": value, "analysis": analysis.get(i, "")})
