"""The demo organisation's suppliers and customers: Northwind Lending's hosted language-model
provider (reviewed, one concern open), its credit bureau (a dataset supplier now overdue for
review), the AI-enabled OCR service it is onboarding, and a motor-finance broker that uses its
credit decision engine, with responsibilities allocated. Dates are counted back from today, so
the picture stays current.

All names and text are invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime
from typing import Any, NotRequired, TypedDict

from django.utils import timezone

from aims.demo import MemberCtx
from aims.evidence.services import evidence_create
from aims.inventory.selectors import ai_system_list
from aims.suppliers.services import (
    due_diligence_update,
    responsibility_create,
    supplier_create,
    supplier_review_create,
)

S = "satisfactory"
C = "concern"
NP = "not_provided"
NA = "not_applicable"


class SupplierEvidence(TypedDict):
    title: str
    kind: str
    url: str
    description: str
    valid_days: int


class PartySpec(TypedDict):
    """One demo party: the supplier's fields, its due-diligence answers (status, notes,
    source), its responsibilities (topic, activity, responsible, note) and, when reviewed,
    the review."""

    data: dict[str, Any]
    answers: dict[str, tuple[str, str, str]]
    responsibilities: list[tuple[str, str, str, str]]
    reviewed_days_ago: NotRequired[int]
    rating: NotRequired[str]
    summary: NotRequired[str]
    evidence: NotRequired[SupplierEvidence]


PARTIES: list[PartySpec] = [
    {
        "data": {
            "name": "Stratus Language Models Ltd",
            "kind": "supplier", "supplies": ["api", "model"], "criticality": "high",
            "contact": "Enterprise account team, enterprise@stratus-lm.example\n"
                       "Incident notices: trust@stratus-lm.example (24/7)",
            "website": "https://stratus-lm.example",
            "description": "Hosted large language model behind the customer service chatbot, "
                           "called through their EU-region API under an enterprise agreement "
                           "(zero data retention, no training on our prompts).",
            "owner": "editor", "review_interval_months": 12,
            "systems": ["Customer service chatbot"],
        },
        "reviewed_days_ago": 120, "rating": "medium",
        "summary": "Renewed for another year. Contract terms, EU data residency and incident "
                   "notice are in good shape, and their evaluation reports cover the model "
                   "version we pin. The base model's training data is described only in "
                   "general terms: accepted because the chatbot answers from our own help "
                   "centre, but raised with the provider and to be revisited at renewal.",
        "answers": {
            "lineage": (S, "Model family, version and release notes published; we pin a dated "
                           "version and get 90 days' notice before it is retired.",
                        "Model catalogue and deprecation policy, trust centre"),
            "training_data": (C, "Only a high-level description of the pre-training data "
                                 "(public web, licensed and synthetic data). No dataset-level "
                                 "provenance or opt-out record for the base model. Asked for "
                                 "more at the quarterly business review.",
                              "Model card, section on training data"),
            "evaluation": (S, "Published evaluations for the pinned version, including "
                              "refusal and hallucination benchmarks; our own 400-answer "
                              "monthly sample sits on top.",
                           "System card for the pinned version"),
            "intended_use": (S, "Usage policy rules out credit decisions and other "
                                "high-impact decisions about people; we use it only to "
                                "answer service questions.", "Usage policy"),
            "incidents": (S, "Security incidents notified within 48 hours; status page and "
                             "enterprise support with a 4-hour response for severity 1.",
                          "Enterprise agreement, schedule 3"),
            "contract": (S, "Audit by report (SOC 2, pen-test summary), 90 days' notice of "
                            "material change, no training on our data, 30-day exit with "
                            "deletion certificate.", "Enterprise agreement clauses 9, 12, 17"),
            "data_location": (S, "Processing in EU regions only; no transfers outside the "
                                 "EEA under our configuration; zero retention of prompts.",
                              "Data processing addendum, annex 2"),
            "security": (S, "ISO/IEC 27001 certificate and SOC 2 Type II report cover the "
                            "API platform; two minor exceptions, both closed.",
                         "Trust centre, reports dated this year"),
            "subprocessors": (S, "Sub-processor list published with 30 days' notice of "
                                 "changes; hosting only.", "Sub-processor page"),
            "oversight": (S, "Per-request logs and content-filter signals returned to us; we "
                             "can switch the integration off from our side.",
                          "API reference"),
            "regulatory": (NP, "Provider says it will publish its general-purpose model "
                               "documentation; not yet received.", "E-mail from account team"),
        },
        "responsibilities": [
            ("model_updates", "Pinning and upgrading the model version", "us",
             "We choose when to move to a new version after our regression set passes."),
            ("model_updates", "Announcing deprecations and behaviour changes", "supplier",
             "90 days' notice under clause 12."),
            ("monitoring", "Monthly accuracy sample of chatbot answers", "us", ""),
            ("incidents", "", "shared",
             "They notify platform incidents within 48 hours; we handle customer impact and "
             "any report to the supervisor."),
        ],
        "evidence": {"title": "Stratus SOC 2 Type II report (current period)", "kind": "link",
                     "url": "https://stratus-lm.example/trust/soc2",
                     "description": "Read by the security team; two minor exceptions, closed.",
                     "valid_days": 240},
    },
    {
        "data": {
            "name": "Continental Credit Reference Bureau",
            "kind": "supplier", "supplies": ["dataset", "api"], "criticality": "high",
            "contact": "Data services desk, dataservices@ccrb.example",
            "website": "https://ccrb.example",
            "description": "Credit bureau records and bureau scores for applicants, delivered "
                           "through the bureau's enquiry API at application time and as a "
                           "monthly archive used to retrain the credit models.",
            "owner": "admin", "review_interval_months": 12,
            "systems": ["Credit decision engine", "Collections prioritisation model"],
        },
        "reviewed_days_ago": 430, "rating": "low",
        "summary": "Long-standing, regulated supplier. Data dictionary, lawful basis and "
                   "retention are documented; quality reports received monthly. No concerns.",
        "answers": {
            "lineage": (S, "Bureau score versions are named and changes announced six months "
                           "ahead.", "Score change notice process"),
            "training_data": (S, "Records come from lenders under the bureau's licence; "
                                 "consumers are informed under the bureau's notice.",
                              "Data licence, schedule 1"),
            "evaluation": (S, "Annual score validation report shared under NDA.",
                           "Validation report"),
            "intended_use": (S, "Use restricted to credit assessment and collections of our "
                                "own customers.", "Data licence, clause 4"),
            "incidents": (S, "Data-quality incidents notified within 2 working days.",
                          "Service agreement"),
            "contract": (S, "Audit rights, change notice and exit terms in place.",
                         "Data licence"),
            "data_location": (S, "Processed in the EU; no transfers.", "DPA"),
            "security": (S, "ISO/IEC 27001 certified.", "Certificate"),
            "subprocessors": (NA, "The bureau runs its own infrastructure; no sub-processors "
                                  "for this service.", "Questionnaire answer"),
            "oversight": (S, "Reason codes returned with every score.", "API reference"),
            "regulatory": (S, "Supervised as a credit bureau; confirms its obligations.",
                           "Regulatory statement"),
        },
        "responsibilities": [
            ("data_quality", "Accuracy of bureau records", "supplier",
             "Disputes from applicants are forwarded to the bureau within 5 days."),
            ("data_quality", "Checks on the monthly archive before retraining", "us", ""),
        ],
    },
    {
        "data": {
            "name": "PaperTrail Document AI",
            "kind": "supplier", "supplies": ["ai_saas"], "criticality": "medium",
            "status": "under_review",
            "contact": "Sales engineer: Jonas Weber, jonas.weber@papertrail.example",
            "website": "https://papertrail.example",
            "description": "AI-enabled OCR and field extraction for payslips and bank "
                           "statements uploaded with loan applications. In a pilot; due "
                           "diligence is in progress before the contract is signed.",
            "owner": "editor", "review_interval_months": 12,
            "systems": ["Credit decision engine"],
        },
        "answers": {
            "lineage": (S, "Extraction models versioned; release notes per version.",
                        "Product documentation"),
            "training_data": (NP, "Asked whether customer documents are used to train the "
                                  "models; answer awaited.", "Questionnaire, question 14"),
            "evaluation": (C, "Field-level accuracy only reported for English payslips; we "
                              "need German, French and Dutch results.",
                           "Accuracy report shared in the pilot"),
            "data_location": (S, "EU hosting available on the enterprise plan.", "DPA draft"),
        },
        "responsibilities": [],
    },
    {
        "data": {
            "name": "Bayside Motor Finance Brokers",
            "kind": "customer", "supplies": [], "criticality": "medium",
            "contact": "Head of compliance, compliance@bayside-brokers.example",
            "description": "Motor-finance broker that requests credit decisions from our "
                           "credit decision engine through the partner API at the point of "
                           "sale, under a broker agreement.",
            "owner": "admin", "review_interval_months": 12,
            "systems": ["Credit decision engine"],
        },
        "reviewed_days_ago": 60, "rating": "low",
        "summary": "Annual broker review. Agreed use and limits confirmed, incident "
                   "contacts tested in the spring exercise, responsibilities re-confirmed.",
        "answers": {
            "intended_use": (S, "Broker may only present our approve, refer or decline "
                                "outcome; it may not use the score for any other purpose.",
                             "Broker agreement, clause 5"),
            "incidents": (S, "Each side notifies the other of incidents or complaints about "
                             "automated decisions within one working day.",
                          "Broker agreement, clause 11"),
            "contract": (S, "Permitted use, responsibilities, liability and exit in the "
                            "broker agreement.", "Broker agreement"),
            "data_location": (S, "Application data passes from the broker to us in the EU; "
                                 "nothing returns but the outcome and reason codes.",
                              "Data flow diagram"),
        },
        "responsibilities": [
            ("monitoring", "Model performance and fairness monitoring", "us", ""),
            ("human_oversight", "Credit officer review of referrals and declines", "us",
             "Referred applications come to our credit officers, never to the broker."),
            ("transparency", "Telling applicants that an automated assessment is used",
             "customer", "Script and leaflet supplied by us; broker staff read it at the "
                         "point of sale."),
            ("data_quality", "Accurate and complete application data", "customer",
             "Broker verifies identity and income documents before submitting."),
            ("incidents", "", "shared",
             "Broker reports complaints and suspected errors; we investigate and answer the "
             "applicant."),
            ("model_updates", "Notice of model changes that affect outcomes", "us",
             "30 days' notice to the broker before a new model version goes live."),
        ],
    },
]


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    editor, owner = ctxs["editor"], ctxs["owner"]
    today = timezone.localdate()
    systems = {s.name: s.pk for s in ai_system_list(ctx=editor)}
    users = {role: ctx.user.pk for role, ctx in ctxs.items()}
    for spec in PARTIES:
        data = dict(spec["data"])
        data["owner"] = users[data.pop("owner")]
        data["ai_systems"] = [systems[name] for name in data.pop("systems") if name in systems]
        supplier = supplier_create(ctx=editor, data=data)
        answers = [{"item": key, "version": 0, "status": status, "notes": notes,
                    "source": source}
                   for key, (status, notes, source) in spec["answers"].items()]
        if "reviewed_days_ago" in spec:
            supplier_review_create(
                ctx=owner, supplier_id=supplier.pk, version=supplier.version,
                answers=answers, data={
                    "reviewed_on": today - datetime.timedelta(days=spec["reviewed_days_ago"]),
                    "rating": spec["rating"], "summary": spec["summary"]})
        else:
            due_diligence_update(ctx=editor, supplier_id=supplier.pk, answers=answers)
        for topic, activity, responsible, note in spec["responsibilities"]:
            responsibility_create(ctx=editor, supplier_id=supplier.pk, data={
                "topic": topic, "activity": activity, "responsible": responsible,
                "note": note})
        if ev := spec.get("evidence"):
            evidence_create(ctx=editor, links=[supplier], data={
                "title": ev["title"], "kind": ev["kind"], "url": ev["url"],
                "description": ev["description"], "owner": users["editor"],
                "valid_until": today + datetime.timedelta(days=ev["valid_days"]),
                "source": data["name"]})
