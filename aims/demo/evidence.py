"""The demo organisation's evidence: what Northwind Lending would show an auditor.

Small generated files (CSV, Markdown, text), links to where records live and notes of what
was observed, linked to the controls, risks and AI systems they support. Periods cover last
quarter; one item has expired and one expires soon, so the register has stale evidence.
All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aims.compliance.selectors import soa_item_get
from aims.demo import MemberCtx
from aims.evidence.services import evidence_create
from aims.inventory.selectors import ai_system_list
from aims.risks.selectors import risk_list


def last_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the calendar quarter before the one `today` is in."""
    start_month = 3 * ((today.month - 1) // 3) + 1
    this_start = datetime.date(today.year, start_month, 1)
    end = this_start - datetime.timedelta(days=1)
    return datetime.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def _access_review_csv(start: datetime.date, end: datetime.date) -> bytes:
    rows = [
        "system,account,role,reviewer,decision,reviewed_on",
        f"Credit decision engine,svc-scoring,service account,Erin Editor,keep,{end}",
        f"Credit decision engine,j.okafor,model developer,Erin Editor,keep,{end}",
        f"Credit decision engine,p.lindqvist,model developer,Erin Editor,remove (left team),{end}",
        f"Card fraud detection,r.moreau,fraud analyst,Adam Admin,keep,{end}",
        f"Card fraud detection,contractor-07,data engineer,Adam Admin,remove (contract ended),{end}",
    ]
    return ("\n".join(rows) + "\n").encode()


def _disparity_csv(start: datetime.date, end: datetime.date) -> bytes:
    return (
        f"# Approval-rate disparity, credit decision engine, {start} to {end}\n"
        "group,applications,approved,approval_rate,ratio_to_reference\n"
        "reference (age 35-54),4120,2884,0.700,1.00\n"
        "age 18-24,1310,825,0.630,0.90\n"
        "age 65+,880,590,0.670,0.96\n"
        "postcode band D,1540,1001,0.650,0.93\n"
        "threshold,,,,0.80\n"
    ).encode()


def _validation_md(start: datetime.date, end: datetime.date) -> bytes:
    return f"""# Independent validation: credit decision engine v4.3

Period of the data used: {start} to {end}. Validator: model risk team (independent of the
developers).

## Scope
Discrimination and calibration on the out-of-time sample; stability of the top 20 features;
fairness metrics against the thresholds of the model development standard.

## Results
- Gini 0.61 on the out-of-time sample (development sample 0.63): within tolerance.
- Calibration: predicted and observed default rates within 0.4 points in every decile.
- Population stability index 0.06: stable.
- Approval-rate ratio for every monitored group at or above 0.90 (threshold 0.80).

## Conclusion
Fit for release. Two observations for the next release: document the reason codes for the
new affordability features, and add the 65+ group to the monthly dashboard.
""".encode()


def _red_team_txt(end: datetime.date) -> bytes:
    return f"""Chatbot prompt-injection test log, release 2.8, finished {end}

Cases run: 140 (known injection patterns, planted help-centre text, role-play requests)
Blocked or refused: 136
Partial leaks: 4, all of the system prompt's greeting text, none of account data
Fixes: output filter extended to the greeting text; re-run of the 4 cases passed.
Tester: security engineering (not the chatbot team).
""".encode()


def _policy_md() -> bytes:
    return b"""# Northwind Lending AI policy v1.2 (approved copy)

Approved by the board risk committee. Applies to every AI system we build, buy or use.

1. Every AI system has a named owner and is recorded in the AI inventory.
2. Systems that affect customers or job candidates get an impact assessment before use.
3. Models that decide on credit are validated independently before each major release.
4. People can always ask for a human review of an automated credit decision.
5. Concerns about AI can be raised through the speak-up channel, anonymously if wished.
"""


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """About a dozen pieces of evidence for the controls, risks and AI systems of the demo."""
    editor, admin = ctxs["editor"], ctxs["admin"]
    today = timezone.localdate()
    start, end = last_quarter(today)
    systems = {s.name: s for s in ai_system_list(ctx=admin)}
    risks = list(risk_list(ctx=admin))

    def risk(words: str):
        return next((r for r in risks if words.lower() in r.title.lower()), None)

    def control(ref: str):
        return soa_item_get(ctx=admin, ref=ref)

    def links(*records):
        return [r for r in records if r is not None]

    def file(name: str, content: bytes):
        return SimpleUploadedFile(name, content)

    items = [
        (admin, {
            "title": "AI policy v1.2 as approved by the board risk committee",
            "description": "The approved copy circulated after the committee meeting; the "
                           "controlled version lives in the document register.",
            "effective_from": start, "valid_until": today + datetime.timedelta(days=300),
            "owner": admin.user.pk, "source": "Board risk committee papers"},
         file("AI-policy-v1.2-approved.md", _policy_md()),
         links(control("A.2.2"), control("A.2.3"))),
        (editor, {
            "title": f"Quarterly access review of model environments, {start:%b}–{end:%b %Y}",
            "description": "Who can change the credit and fraud models and their training "
                           "data; two leavers removed.",
            "effective_from": start, "effective_to": end,
            "valid_until": end + datetime.timedelta(days=100),
            "owner": editor.user.pk, "source": "Identity platform export, reviewed by owners"},
         file(f"access-review-{end:%Y}-Q{(end.month - 1) // 3 + 1}.csv",
              _access_review_csv(start, end)),
         links(control("A.4.4"), systems.get("Credit decision engine"),
               systems.get("Card fraud detection"))),
        (editor, {
            "title": "Approval-rate disparity test, credit decision engine",
            "description": "Quarterly fairness test of approval rates across applicant groups; "
                           "every ratio above the 0.80 threshold.",
            "effective_from": start, "effective_to": end,
            "valid_until": end + datetime.timedelta(days=95),
            "owner": editor.user.pk, "source": "Model risk team fairness notebook"},
         file("credit-engine-disparity-test.csv", _disparity_csv(start, end)),
         links(control("A.7.4"), control("A.5.4"), risk("Approval rates differ"),
               systems.get("Credit decision engine"))),
        (editor, {
            "title": "Independent validation report, credit decision engine v4.3",
            "description": "Validation by the model risk team before the release.",
            "effective_from": start, "effective_to": end,
            "valid_until": today + datetime.timedelta(days=180),
            "owner": editor.user.pk, "source": "Model risk team"},
         file("validation-credit-engine-v4.3.md", _validation_md(start, end)),
         links(control("A.6.2.4"), control("A.6.2.5"), systems.get("Credit decision engine"))),
        (editor, {
            "title": "Prompt-injection test log, chatbot release 2.8",
            "description": "Red-team run before release; four partial leaks fixed and re-tested.",
            "effective_from": end - datetime.timedelta(days=14), "effective_to": end,
            "valid_until": today + datetime.timedelta(days=60),
            "owner": editor.user.pk, "source": "Security engineering"},
         file("chatbot-red-team-2.8.txt", _red_team_txt(end)),
         links(risk("Prompt injection"), control("A.6.2.5"),
               systems.get("Customer service chatbot"))),
        (editor, {
            "title": "Fraud model drift dashboard",
            "description": "Live population-stability and precision charts for the card fraud "
                           "model, with the alert thresholds.",
            "url": "https://grafana.northwind.example/d/fraud-drift",
            "effective_from": start, "owner": editor.user.pk, "source": "ML platform"},
         None,
         links(control("A.6.2.6"), risk("Fraud detection degrades"),
               systems.get("Card fraud detection"))),
        (editor, {
            "title": "Decision-log retention setting in the data lake",
            "description": "The retention rule keeping credit decision logs for seven years.",
            "url": "https://datalake.northwind.example/policies/credit-decision-logs",
            "owner": editor.user.pk, "source": "Data platform"},
         None,
         links(control("A.6.2.8"), systems.get("Credit decision engine"))),
        (admin, {
            "title": "Walkthrough of a human review of a declined application",
            "note": "Observed a credit officer re-assess a declined application on request: the "
                    "reason codes were shown, the officer changed the outcome and recorded why. "
                    "Observed by Adam Admin with the head of credit operations.",
            "effective_from": end - datetime.timedelta(days=20),
            "effective_to": end - datetime.timedelta(days=20),
            "valid_until": today + datetime.timedelta(days=200),
            "owner": admin.user.pk, "source": "Walkthrough"},
         None,
         links(risk("meaningful explanation"), control("A.8.2"),
               systems.get("Credit decision engine"))),
        # Stale on purpose: last year's vendor bias audit has expired.
        (admin, {
            "title": "CV screening vendor's independent bias audit (last year)",
            "description": "The vendor's audit report summary; this year's report is overdue.",
            "effective_from": start - datetime.timedelta(days=365),
            "effective_to": end - datetime.timedelta(days=365),
            "valid_until": today - datetime.timedelta(days=12),
            "owner": admin.user.pk, "source": "Vendor (TalentRank)"},
         file("vendor-bias-audit-summary.txt",
              b"Vendor bias audit summary: adverse-impact ratios by sex and age band above 0.8 "
              b"for all roles tested; career-break candidates not analysed separately.\n"),
         links(risk("CV ranking"), control("A.10.3"), systems.get("CV screening assistant"))),
        # Expiring soon: the data-quality check run expires within the window.
        (editor, {
            "title": "Training-data quality check results, credit engine retraining",
            "description": "Automated checks on completeness, ranges and duplicates of the "
                           "training extract.",
            "effective_from": start, "effective_to": end,
            "valid_until": today + datetime.timedelta(days=9),
            "owner": editor.user.pk, "source": "Training pipeline"},
         file("data-quality-checks.csv",
              b"check,rows_checked,failures,result\ncompleteness,1204331,0,pass\n"
              b"income range,1204331,112,pass (under 0.01%)\nduplicates,1204331,0,pass\n"),
         links(control("A.7.4"), systems.get("Credit decision engine"))),
    ]
    for ctx, data, upload, subjects in items:
        evidence_create(ctx=ctx, data=data, upload=upload, links=subjects)
