"""The demo organisation's AI risk register: a mid-sized lender's real worries about its AI.

Everything goes through the services, so the activity log and the SoA links are real.
All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from aims.demo import MemberCtx
from aims.inventory.selectors import ai_system_list
from aims.risks.services import action_create, risk_accept, risk_create

# (owner role, data, treatment actions as (title, owner role, due in days, status)).
# Days are relative to today, so the demo always has something overdue and something soon.
# (owner's role, the risk's fields, its actions as (title, owner's role, due in days, status))
RISKS: list[tuple[str, dict[str, Any], list[tuple[str, str, int, str]]]] = [
    ("editor", {
        "title": "Approval rates differ unfairly between groups of applicants",
        "description": "The credit model may learn from history in which some groups were "
                       "declined more often, and repeat it: similar applicants would then get "
                       "different outcomes because of where they live, their age or their sex.",
        "category": "bias", "systems": ["Credit decision engine"],
        "risk_source": "Five years of historical lending decisions used as training labels; "
                       "postcode and employment-type features acting as proxies.",
        "inherent_likelihood": 4, "inherent_impact": 5, "treatment_option": "mitigate",
        "treatment_rationale": "Lending fairly is a legal duty and central to our licence; the "
                               "model stays, with fairness testing built into every release.",
        "controls": ["A.7.4", "A.7.6", "A.6.2.4", "A.5.4"],
        "residual_likelihood": 2, "residual_impact": 4, "status": "treating",
        "review_in": 90, "enterprise_ref": "ERM-CR-014",
    }, [("Quarterly disparity testing of approval rates across applicant groups", "editor",
         30, "in_progress"),
        ("Retrain on reweighted 2021–2025 data and compare fairness metrics", "editor", 75,
         "open")]),
    ("admin", {
        "title": "CV ranking disadvantages candidates with career breaks or unusual CVs",
        "description": "The vendor's ranking may score people with career breaks (often carers) "
                       "or non-standard CV layouts lower, so recruiters see them later or not "
                       "at all.",
        "category": "bias", "systems": ["CV screening assistant"],
        "risk_source": "Vendor model trained on other employers' hiring outcomes; we cannot "
                       "inspect its training data.",
        "inherent_likelihood": 4, "inherent_impact": 4, "treatment_option": "mitigate",
        "treatment_rationale": "Recruiters review every application, and we test the shortlist "
                               "for adverse impact each month; the vendor must share its audits.",
        "controls": ["A.10.3", "A.9.4", "A.5.4"],
        "residual_likelihood": 3, "residual_impact": 4, "status": "treating",
        "review_in": 60, "enterprise_ref": "ERM-HR-003",
    }, [("Obtain the vendor's independent bias audit for this year", "admin", -20, "done"),
        ("Monthly adverse-impact check of shortlist rates by group", "admin", -10, "open")]),
    ("editor", {
        "title": "Prompt injection makes the chatbot ignore its instructions",
        "description": "A customer, or text planted in a help-centre page, could instruct the "
                       "chatbot to reveal its system prompt, invent offers or discuss other "
                       "customers' accounts.",
        "category": "security", "systems": ["Customer service chatbot"],
        "risk_source": "Untrusted text in customer messages and in retrieved documents reaches "
                       "the language model.",
        "inherent_likelihood": 4, "inherent_impact": 3, "treatment_option": "mitigate",
        "treatment_rationale": "Injection cannot be ruled out for language models, but filters, "
                               "narrow tool permissions and red-teaming keep it contained.",
        "controls": ["A.6.2.5", "A.6.2.6", "A.6.2.8"],
        "residual_likelihood": 2, "residual_impact": 3, "status": "treating",
        "review_in": 45,
    }, [("Red-team the chatbot against known injection patterns before each release",
         "editor", -30, "done"),
        ("Filter retrieved passages and model answers for instructions and account data",
         "editor", 21, "in_progress")]),
    ("editor", {
        "title": "The chatbot gives wrong answers about repayments or fees",
        "description": "The model can state fees, dates or eligibility that are not in our "
                       "terms (hallucination); a customer acting on it could miss a payment or "
                       "complain to the ombudsman.",
        "category": "robustness", "systems": ["Customer service chatbot"],
        "risk_source": "Generative model fills gaps in the retrieved help content with "
                       "plausible text.",
        "inherent_likelihood": 4, "inherent_impact": 4, "treatment_option": "mitigate",
        "treatment_rationale": "Answers are grounded in the help centre and cite it; questions "
                               "about a customer's own account are handed to an agent.",
        "controls": ["A.8.2", "A.6.2.4", "A.9.4"],
        "residual_likelihood": 3, "residual_impact": 4, "status": "treating",
        "review_in": 30,
    }, [("Weekly sample review of 200 conversations for factual errors", "editor", 7,
         "in_progress")]),
    ("editor", {
        "title": "Fraud detection degrades as fraud patterns shift",
        "description": "Fraudsters change tactics within weeks; a model trained on last "
                       "quarter's fraud misses new patterns and blocks more genuine payments.",
        "category": "drift", "systems": ["Card fraud detection"],
        "risk_source": "Adversarial, fast-changing transaction behaviour.",
        "inherent_likelihood": 4, "inherent_impact": 3, "treatment_option": "mitigate",
        "treatment_rationale": "Monitoring with alert thresholds and monthly retraining keep "
                               "performance within the agreed range.",
        "controls": ["A.6.2.6", "A.7.4"],
        "residual_likelihood": 2, "residual_impact": 3, "status": "accepted",
        "review_in": 120,
    }, [("Weekly drift and precision monitoring with alert thresholds", "editor", -60,
         "done")]),
    ("admin", {
        "title": "Lock-in to one language-model provider",
        "description": "Price rises, changed terms or the retirement of the model behind the "
                       "chatbot could leave us without a tested alternative.",
        "category": "third_party", "systems": ["Customer service chatbot"],
        "risk_source": "Single hosted model provider; prompts tuned to one model's behaviour.",
        "inherent_likelihood": 3, "inherent_impact": 4, "treatment_option": "mitigate",
        "treatment_rationale": "Contract terms give us notice of changes, and a second provider "
                               "is kept tested so we can switch within a month.",
        "controls": ["A.10.2", "A.10.3"],
        "residual_likelihood": 2, "residual_impact": 3, "status": "treating",
        "review_in": 180, "enterprise_ref": "ERM-TP-021",
    }, [("Negotiate twelve months' notice before a model is retired", "admin", 45, "open"),
        ("Keep a tested fallback to a second model provider", "editor", 120, "open")]),
    ("owner", {
        "title": "Chat transcripts keep personal and financial details too long",
        "description": "Customers paste account numbers, income details and health "
                       "circumstances into the chat; transcripts kept indefinitely widen the "
                       "harm of any breach.",
        "category": "privacy", "systems": ["Customer service chatbot"],
        "risk_source": "Free-text conversations stored for quality review and model "
                       "improvement.",
        "inherent_likelihood": 3, "inherent_impact": 4, "treatment_option": "mitigate",
        "treatment_rationale": "Short retention, automatic redaction and no use of transcripts "
                               "for training without consent.",
        "controls": ["A.7.2", "A.7.3"],
        "residual_likelihood": 2, "residual_impact": 2, "status": "treating",
        "review_in": 90,
    }, [("Delete transcripts automatically after 30 days", "editor", -14, "done"),
        ("Redact card and account numbers before storage", "editor", 30, "in_progress")]),
    ("admin", {
        "title": "Source code or secrets leak through the coding assistant",
        "description": "Code sent to the assistant's service could be kept or used by the "
                       "provider, exposing our intellectual property or credentials in it.",
        "category": "security", "systems": ["Developer coding assistant"],
        "risk_source": "Editor plug-in sends surrounding code to an external service.",
        "inherent_likelihood": 3, "inherent_impact": 4, "treatment_option": "mitigate",
        "treatment_rationale": "The enterprise plan does not retain prompts, restricted "
                               "repositories are blocked, and secrets are scanned before commit.",
        "controls": ["A.9.2", "A.10.3", "A.4.4"],
        "residual_likelihood": 2, "residual_impact": 3, "status": "treating",
        "review_in": 150,
    }, [("Enable no-retention mode and block restricted repositories", "admin", -45, "done"),
        ("Secret scanning in the pre-commit hook for all repositories", "admin", 14,
         "in_progress")]),
    ("editor", {
        "title": "Collections ranking used to pressure customers in difficulty",
        "description": "If agents read a high rank as 'will pay if pushed', customers in "
                       "financial difficulty could be contacted more aggressively instead of "
                       "being offered help.",
        "category": "misuse", "systems": ["Collections prioritisation model"],
        "risk_source": "A ranking's meaning is easily lost in a busy work queue.",
        "inherent_likelihood": 3, "inherent_impact": 5, "treatment_option": "mitigate",
        "treatment_rationale": "The pilot cannot start until the agent script, training and "
                               "monitoring of outcomes for vulnerable customers are in place.",
        "controls": ["A.9.4", "A.6.1.2", "A.5.4"],
        "status": "assessed", "review_in": -5,
    }, []),
    ("editor", {
        "title": "Declined applicants get no meaningful explanation",
        "description": "Without understandable reasons, applicants cannot correct wrong data "
                       "or challenge a decision, and credit officers cannot check the model.",
        "category": "transparency", "systems": ["Credit decision engine"],
        "risk_source": "Complex model; reason codes not mapped to plain language.",
        "inherent_likelihood": 3, "inherent_impact": 4, "treatment_option": "mitigate",
        "treatment_rationale": "Plain-language principal reasons are generated for every "
                               "decline and reviewed by credit officers.",
        "controls": ["A.8.2", "A.6.2.7"],
        "residual_likelihood": 2, "residual_impact": 3, "status": "treating",
        "review_in": 100,
    }, [("Map the top reason codes to plain-language explanations", "editor", 40, "open")]),
    ("admin", {
        "title": "Energy use of frequent model retraining",
        "description": "Monthly retraining of the fraud and credit models uses noticeable "
                       "compute and energy.",
        "category": "environmental", "systems": ["Card fraud detection",
                                                 "Credit decision engine"],
        "risk_source": "Retraining schedule and hyper-parameter searches.",
        "inherent_likelihood": 2, "inherent_impact": 2, "treatment_option": "accept",
        "treatment_rationale": "The footprint is small against our data centre's total and the "
                               "retraining protects customers; we will review it yearly.",
        "residual_likelihood": 2, "residual_impact": 2, "status": "accepted",
        "review_in": 365,
    }, []),
]

ACCEPTED_BY_OWNER = "The chatbot gives wrong answers about repayments or fees"


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """Add the demo risks, their treatment actions and one owner sign-off."""
    editor = ctxs["editor"]
    systems = {s.name: s.pk for s in ai_system_list(ctx=editor)}
    today = timezone.localdate()
    users = {role: c.user for role, c in ctxs.items()}
    for owner_role, spec, actions in RISKS:
        data = dict(spec)
        data["ai_systems"] = [systems[name] for name in data.pop("systems")]
        data["owner"] = users[owner_role].pk
        data["next_review"] = today + datetime.timedelta(days=data.pop("review_in"))
        risk = risk_create(ctx=editor, data=data)
        for title, action_owner, due_in, status in actions:
            action_create(ctx=editor, risk_id=risk.pk, data={
                "title": title, "owner": users[action_owner].pk, "status": status,
                "due_date": today + datetime.timedelta(days=due_in)})
        if spec["title"] == ACCEPTED_BY_OWNER:
            # High residual risk: the owner signs it off, as only the owner may.
            risk_accept(ctx=ctxs[owner_role], risk_id=risk.pk, version=risk.version)
