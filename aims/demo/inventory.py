"""The demo organisation's lifecycle records, deployment approvals and resources.

The demo systems were entered in the inventory at the stage they had reached, so their earlier
moves are recorded here after the fact, dated when they happened: Northwind started its AIMS
with most systems already live. Deployment approvals go through the service and are then
dated when they were given, like the impact demo's past sign-offs. All text is invented for
the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from aims.demo import MemberCtx
from aims.inventory.models import DeploymentApproval, LifecycleRecord
from aims.inventory.selectors import ai_system_list
from aims.inventory.services import deployment_approval_create, resource_create
from aims.records import writes

AFTER_THE_FACT = "(Entered later from the project file; no deployment checks were recorded.)"

# system → [(days ago, from stage, to stage, role of who moved it, note)], oldest first.
HISTORY = {
    "Credit decision engine": [
        (1460, "", "concept", "editor", "Business case for an in-house score approved by the "
                                        "retail credit committee."),
        (1370, "concept", "design", "editor", "Target definition and feature list agreed with "
                                              "credit risk."),
        (1250, "design", "development", "editor", "Model build started on five years of "
                                                  "repayment history."),
        (1130, "development", "verification", "editor", "Back-testing and independent model "
                                                         "validation."),
        (1060, "verification", "deployed", "admin", "Go-live in Germany after validation sign-"
                                                    "off; France and the Netherlands followed."),
    ],
    "CV screening assistant": [
        (820, "", "concept", "admin", "HR asked for help with the volume of applications."),
        (700, "concept", "verification", "admin", "Vendor selected; six-week trial on closed "
                                                  "vacancies to compare rankings with recruiters."),
        (640, "verification", "deployed", "admin", "Rolled out to all external vacancies."),
    ],
    "Customer service chatbot": [
        (540, "", "concept", "editor", "Proposal to answer common servicing questions around "
                                       "the clock."),
        (470, "concept", "development", "editor", "Retrieval pipeline built on the public help "
                                                  "centre."),
        (330, "development", "verification", "editor", "Scripted evaluation and staff pilot."),
        (270, "verification", "deployed", "owner", "Launched on the website; the app followed a "
                                                   "month later."),
    ],
    "Card fraud detection": [
        (1800, "", "concept", "editor", "Replace the rules engine's static thresholds."),
        (1700, "concept", "development", "editor", "Anomaly and classification models built."),
        (1600, "development", "verification", "editor", "Shadow run beside the rules engine."),
        (1540, "verification", "deployed", "admin", "Holds switched from rules to the models."),
    ],
    "Developer coding assistant": [
        (400, "", "concept", "admin", "Engineering asked for an AI coding tool."),
        (350, "concept", "verification", "admin", "Pilot with two teams on internal "
                                                  "repositories only."),
        (300, "verification", "deployed", "admin", "Licensed for all engineers."),
    ],
    "Collections prioritisation model": [
        (240, "", "concept", "editor", "Idea from collections: call first whoever a payment "
                                       "plan helps most."),
        (200, "concept", "design", "editor", "Outcome definition agreed with collections and "
                                             "the vulnerable-customers lead."),
        (150, "design", "development", "editor", "Survival model built on two years of "
                                                  "arrears data."),
        (45, "development", "verification", "editor", "Validation before a pilot; the pilot "
                                                      "waits for its impact assessment."),
    ],
    "E-mail spam filter": [
        (2200, "", "deployed", "admin", "Came with the e-mail security gateway."),
    ],
}

# system → (days ago, approver role, note): each deployed system's latest approval. The fraud
# model's predates the significant change the impact demo records, so it no longer stands.
APPROVALS = {
    "Credit decision engine": (70, "admin",
                               "Continued deployment confirmed against impact assessment v1, "
                               "on condition that the thin-file risk is reviewed each quarter."),
    "CV screening assistant": (420, "owner",
                               "Approved for external vacancies only; recruiters must keep "
                               "seeing every application."),
    "Customer service chatbot": (270, "owner",
                                 "Launch approved with the hand-over to agents and daily "
                                 "review of flagged conversations."),
    "Card fraud detection": (150, "admin",
                             "Confirmed after the v1 impact assessment; threshold changes to "
                             "go through the fraud committee."),
    "Developer coding assistant": (300, "admin",
                                   "Approved for repositories classified internal or lower."),
    "E-mail spam filter": (2200, "admin", "Accepted as part of the e-mail gateway; outside the "
                                          "AIMS scope."),
}

RESOURCES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("editor", {
        "name": "Loan applications and repayment history 2019–2024", "kind": "data",
        "description": "Training and monitoring data for the credit model: every application "
                       "with its decision and, for granted loans, the repayment record.",
        "location": "Data warehouse, credit schema (EU region)",
        "data_categories": "Application data, income and expenditure, decisions, repayment "
                           "history; no special categories.",
        "data_provenance": "Our own loan origination and servicing systems, collected under "
                           "the loan contract and our privacy notice.",
        "quality_notes": "Applicants with thin credit files are under-represented before 2021; "
                         "declined applications have no repayment outcome (reject inference "
                         "used). Completeness checks run on every monthly extract.",
        "retention": "Ten years after the loan ends, then deleted",
        "contains_personal_data": True,
    }, ["Credit decision engine", "Collections prioritisation model"]),
    ("editor", {
        "name": "Credit bureau feed", "kind": "data",
        "description": "Bureau records fetched for each application.",
        "location": "Bureau API, stored with the application",
        "data_categories": "Credit history, defaults, existing credit lines.",
        "data_provenance": "Bought from a licensed credit bureau under our data supply "
                           "contract; used only for credit decisions.",
        "quality_notes": "Coverage is weaker for recent movers between countries.",
        "retention": "As the application it belongs to",
        "contains_personal_data": True,
    }, ["Credit decision engine"]),
    ("editor", {
        "name": "Card authorisation stream", "kind": "data",
        "description": "Real-time card transactions scored by the fraud models, and their "
                       "confirmed fraud labels.",
        "location": "Payments event bus; labelled history in the fraud data mart",
        "data_categories": "Transaction data, merchant data, device and location signals.",
        "data_provenance": "Our card processing platform; fraud labels from cardholder "
                           "confirmations and chargebacks.",
        "quality_notes": "Labels arrive up to 90 days late; the merchant network signals "
                         "added this year have only twelve months of history.",
        "retention": "Thirteen months online, seven years archived",
        "contains_personal_data": True,
    }, ["Card fraud detection"]),
    ("editor", {
        "name": "Help-centre articles and product terms", "kind": "data",
        "description": "The content the chatbot retrieves its answers from.",
        "location": "Content management system, published pages only",
        "data_categories": "Public product information and servicing guides.",
        "data_provenance": "Written and approved by customer operations and legal.",
        "quality_notes": "Re-indexed nightly; fee tables are checked against the product "
                         "catalogue every month.",
        "retention": "Current versions only; superseded pages leave the index",
    }, ["Customer service chatbot"]),
    ("editor", {
        "name": "Chatbot conversation transcripts", "kind": "data",
        "description": "Conversations kept for quality review and complaint handling.",
        "location": "Contact-centre platform (EU region)",
        "data_categories": "Chat messages; account identifiers when signed in.",
        "data_provenance": "Customers' own messages in our chat channels, with notice given at "
                           "the start of each chat.",
        "quality_notes": "Not used for training the model; samples are reviewed daily.",
        "retention": "Eighteen months, then deleted",
        "contains_personal_data": True,
    }, ["Customer service chatbot"]),
    ("admin", {
        "name": "Model development platform", "kind": "tooling",
        "description": "Notebooks, experiment tracking and the model registry used for every "
                       "model we build, with the fairness test suite run on each release.",
        "location": "Platform team's Kubernetes cluster",
    }, ["Credit decision engine", "Card fraud detection", "Collections prioritisation model"]),
    ("admin", {
        "name": "Vector database service", "kind": "tooling",
        "description": "Stores the embeddings of help-centre content for retrieval.",
        "location": "Managed service, EU region",
    }, ["Customer service chatbot"]),
    ("admin", {
        "name": "Hosted large language model API", "kind": "computing",
        "description": "The third-party model that writes the chatbot's answers.",
        "location": "External model provider, EU endpoint",
    }, ["Customer service chatbot"]),
    ("admin", {
        "name": "Training and scoring cluster", "kind": "computing",
        "description": "GPU and CPU nodes for retraining and batch scoring.",
        "location": "Our cloud tenancy, Frankfurt region",
    }, ["Credit decision engine", "Collections prioritisation model"]),
    ("admin", {
        "name": "Payments real-time cluster", "kind": "computing",
        "description": "Low-latency serving for the fraud models on the authorisation path.",
        "location": "Payments data centre, active-active in two sites",
    }, ["Card fraud detection"]),
    ("editor", {
        "name": "Credit risk modelling team", "kind": "human",
        "description": "Four data scientists and a model validator; builds, validates and "
                       "monitors the credit and collections models.",
        "location": "Retail credit",
    }, ["Credit decision engine", "Collections prioritisation model"]),
    ("editor", {
        "name": "Fraud analysts", "kind": "human",
        "description": "Confirm held transactions with cardholders and tune thresholds "
                       "weekly.",
        "location": "Payments",
    }, ["Card fraud detection"]),
    ("admin", {
        "name": "Recruitment team", "kind": "human",
        "description": "Reviews every application whatever its ranking; trained on the "
                       "tool's limits.",
        "location": "People & HR",
    }, ["CV screening assistant"]),
]


def _at(days_ago: int, hour: int = 11) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """Lifecycle history and deployment approvals of the demo systems, and their resources;
    the AI systems, risks and impact assessments must already exist."""
    systems = {s.name: s for s in ai_system_list(ctx=ctxs["owner"])}
    users = {role: c.user for role, c in ctxs.items()}

    for name, moves in HISTORY.items():
        system = systems[name]
        for days_ago, from_stage, to_stage, role, note in moves:
            # Past moves written as they happened: the service records moves made now.
            writes.create(ctx=ctxs[role], obj=LifecycleRecord(
                org=system.org, ai_system=system, from_stage=from_stage, to_stage=to_stage,
                changed_by=users[role], changed_at=_at(days_ago), note=f"{note}\n{AFTER_THE_FACT}"))

    for name, (days_ago, role, note) in APPROVALS.items():
        system = systems[name]
        approval = deployment_approval_create(ctx=ctxs[role], system_id=system.pk,
                                              version=system.version, note=note)
        DeploymentApproval.objects.for_org(system.org).filter(pk=approval.pk).update(
            approved_at=_at(days_ago, 9))  # before a same-day go-live

    for role, data, system_names in RESOURCES:
        resource_create(ctx=ctxs["editor"], data={
            **data, "owner": users[role].pk,
            "ai_systems": [systems[n].pk for n in system_names]})
