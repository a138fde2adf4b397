"""The demo organisation's content: a mid-sized lender that builds, buys and uses AI.

All text is invented for the demo and written in aims's own words.
"""

from typing import Any

ORG_SLUG = "demo"
ORG_NAME = "Northwind Lending (demo)"

USERS = {
    "owner": ("owner@example.com", "Olivia Owner"),
    "admin": ("admin@example.com", "Adam Admin"),
    "editor": ("editor@example.com", "Erin Editor"),
    "viewer": ("viewer@example.com", "Victor Viewer"),
    "auditor": ("auditor@example.com", "Aisha Auditor"),
}
# The auditor is external: access from this many days ago until this many days ahead.
AUDITOR_DAYS = (30, 60)
# Someone invited who has not answered yet (no account exists for the address).
PENDING_INVITATION = ("risk.analyst@example.com", "editor")

AI_SYSTEMS: list[dict[str, Any]] = [
    {
        "name": "Credit decision engine",
        "intended_purpose": "Estimates the probability of default for consumer loan applications "
                            "and recommends approve, refer or decline to a credit officer.",
        "description": "Gradient-boosted model trained on five years of repayment history, "
                       "served as an internal API called by the loan origination system.",
        "owner": "editor", "business_unit": "Retail credit", "lifecycle_stage": "deployed",
        "roles": ["developer", "provider", "deployer"], "eu_risk_class": "high",
        "deployment_context": "Online and branch loan applications in Germany, France and the Netherlands.",
        "affected_parties": "Loan applicants; co-applicants; credit officers.",
        "data_categories": "Application data, income and expenditure, credit bureau records, repayment history.",
        "processes_personal_data": True,
        "human_oversight": "Every decline and every referral is reviewed by a credit officer who can override the score; overrides are sampled monthly.",
        "third_party_components": "Credit bureau data feed; open-source gradient boosting library.",
    },
    {
        "name": "CV screening assistant",
        "intended_purpose": "Ranks job applications against the role profile to help recruiters decide whom to interview first.",
        "description": "Vendor SaaS configured by HR; returns a match score and highlighted skills.",
        "owner": "admin", "business_unit": "People & HR", "lifecycle_stage": "deployed",
        "roles": ["deployer", "user"], "eu_risk_class": "high",
        "deployment_context": "Used by the recruitment team for all external vacancies in the EU.",
        "affected_parties": "Job applicants; recruiters; hiring managers.",
        "data_categories": "CVs, cover letters, application form answers.",
        "processes_personal_data": True,
        "human_oversight": "Recruiters see every application; the score only orders the queue and never rejects anyone automatically.",
        "third_party_components": "TalentMatch Cloud (SaaS) and its hosted ranking model.",
    },
    {
        "name": "Customer service chatbot",
        "intended_purpose": "Answers customer questions about products, repayments and account servicing, and hands over to an agent when needed.",
        "description": "Retrieval-augmented assistant built on a third-party large language model, grounded on the public help centre and product terms.",
        "owner": "editor", "business_unit": "Customer operations", "lifecycle_stage": "deployed",
        "roles": ["deployer", "integrator"], "eu_risk_class": "limited",
        "deployment_context": "Website and mobile app chat, 24/7, English, German and French.",
        "affected_parties": "Customers and prospective customers; contact-centre agents.",
        "data_categories": "Chat transcripts; account identifiers when the customer is signed in.",
        "processes_personal_data": True,
        "human_oversight": "Customers are told they are talking to an AI and can ask for a person at any time; agents review flagged conversations daily.",
        "third_party_components": "Hosted LLM API from an external model provider; vector database service.",
    },
    {
        "name": "Card fraud detection",
        "intended_purpose": "Flags card transactions that look fraudulent so they can be held and confirmed with the cardholder.",
        "description": "Real-time anomaly and classification models on the card authorisation stream.",
        "owner": "editor", "business_unit": "Payments", "lifecycle_stage": "deployed",
        "roles": ["developer", "deployer"], "eu_risk_class": "minimal",
        "deployment_context": "All card authorisations, in real time.",
        "affected_parties": "Cardholders; merchants; fraud analysts.",
        "data_categories": "Transaction data, device and location signals.",
        "processes_personal_data": True,
        "human_oversight": "Held transactions are confirmed with the cardholder by SMS or an analyst; analysts tune thresholds weekly.",
        "third_party_components": "None beyond open-source libraries.",
    },
    {
        "name": "Developer coding assistant",
        "intended_purpose": "Suggests code and tests to internal software engineers inside their editor.",
        "description": "Licensed AI coding tool; suggestions are reviewed like any other code change.",
        "owner": "admin", "business_unit": "Technology", "lifecycle_stage": "deployed",
        "roles": ["user"], "eu_risk_class": "minimal",
        "deployment_context": "Engineering laptops; repositories classified internal or lower only.",
        "affected_parties": "Software engineers; indirectly, users of the software they write.",
        "data_categories": "Source code and comments from internal repositories.",
        "processes_personal_data": False,
        "human_oversight": "All generated code goes through peer review and automated tests before merge.",
        "third_party_components": "Commercial coding-assistant service.",
    },
    {
        "name": "Collections prioritisation model",
        "intended_purpose": "Orders overdue accounts so the collections team contacts first the customers most likely to benefit from a payment plan.",
        "description": "Prototype survival model being validated before a pilot.",
        "owner": "editor", "business_unit": "Collections", "lifecycle_stage": "verification",
        "roles": ["developer", "deployer"], "eu_risk_class": "unassessed",
        "deployment_context": "Planned for the collections work queue; not yet in production.",
        "affected_parties": "Customers in arrears; collections agents.",
        "data_categories": "Account and repayment history, contact history.",
        "processes_personal_data": True,
        "human_oversight": "Agents will decide every contact and offer; the model only orders the queue.",
        "third_party_components": "None.",
    },
    {
        "name": "E-mail spam filter",
        "intended_purpose": "Filters unsolicited and malicious e-mail before it reaches staff mailboxes.",
        "description": "Built-in machine-learning filter of the e-mail security gateway.",
        "owner": "admin", "business_unit": "Technology", "lifecycle_stage": "deployed",
        "roles": ["user"], "eu_risk_class": "minimal", "in_scope": False,
        "scope_justification": "Commodity security feature managed under the information security management system (ISO/IEC 27001 certificate); it makes no decisions about people and its behaviour cannot be configured by us.",
        "deployment_context": "Corporate e-mail gateway.",
        "affected_parties": "Staff.",
        "data_categories": "E-mail metadata and content.",
        "processes_personal_data": True,
        "human_oversight": "Staff can release quarantined messages; the security team reviews false positives.",
        "third_party_components": "E-mail security gateway vendor.",
    },
]

SCOPE_V1 = {
    "statement": "The AIMS covers the development, provision and use of AI systems by Northwind Lending in its retail credit, payments and customer operations.",
    "boundaries": "Northwind Lending B.V. and its branches in Germany, France and the Netherlands; AI systems hosted in our cloud tenancy or used as SaaS by our staff.",
    "included_units": "Retail credit\nPayments\nCustomer operations\nTechnology",
    "excluded_units": "",
    "exclusion_rationale": "",
    "change_note": "First scope statement approved by the AI steering committee.",
}

SCOPE_V2 = {
    "statement": "The AIMS covers the development, provision and use of AI systems by Northwind Lending across retail credit, payments, collections, customer operations and people & HR, including AI services bought from third parties.",
    "boundaries": "Northwind Lending B.V. and its branches in Germany, France and the Netherlands; AI systems hosted in our cloud tenancy or used as SaaS by our staff; the third-party AI services they depend on, up to the supplier boundary.",
    "included_units": "Retail credit\nPayments\nCollections\nCustomer operations\nPeople & HR\nTechnology",
    "excluded_units": "Northwind Leasing GmbH (subsidiary) — runs its own management system and uses no AI system of ours.",
    "exclusion_rationale": "The subsidiary shares no AI systems, data or staff with the in-scope units, so leaving it out does not affect what the AIMS can achieve.",
    "change_note": "Added People & HR (CV screening) and Collections after the 2026 AI inventory refresh.",
}

ISSUES = [
    ("external", "EU AI Act obligations for high-risk credit and recruitment systems",
     "Legal and regulatory",
     "Creditworthiness assessment and recruitment tools are high-risk uses; deployer and provider duties apply on the Act's timeline.",
     "Drives the impact assessments, logging, human oversight and documentation the AIMS must evidence."),
    ("external", "Dependence on a few foundation-model providers", "Technological / supply chain",
     "The chatbot relies on one hosted LLM whose behaviour and terms can change without notice.",
     "Needs supplier monitoring, change testing and an exit plan."),
    ("external", "Supervisory expectations on model risk management", "Legal and regulatory",
     "Banking supervisors expect validation, monitoring and governance of models used in credit decisions.",
     "Aligns the AIMS with the existing model-risk policy."),
    ("internal", "Scarce AI assurance skills", "Organisational",
     "Only two people can validate machine-learning models independently.",
     "Competence planning and training are priorities for the AIMS."),
    ("internal", "Appetite to automate customer service", "Strategic",
     "The board wants half of routine contacts handled by AI within two years.",
     "More customer-facing AI raises transparency and complaint-handling needs."),
]

PARTIES = [
    ("Loan applicants and customers", "Customers",
     "Fair, explainable credit decisions; a person to talk to; protection of their data.",
     "Explain adverse decisions; offer human review; meet data-protection law.",
     "Credit decision engine oversight; chatbot hand-over; impact assessments."),
    ("Job applicants", "Affected individuals",
     "Not to be screened out unfairly or by a machine alone.",
     "No fully automated rejection; bias testing of the screening tool.",
     "CV screening assistant configuration and vendor due diligence."),
    ("Financial supervisor", "Regulators",
     "Sound model risk management and evidence of control over AI in credit.",
     "Model validation before use and at least yearly; documented governance.",
     "AI risk register; validation records; management review."),
    ("Data protection authority", "Regulators",
     "Lawful, transparent processing of personal data by AI systems.",
     "Data-protection impact assessments where required; transparency notices.",
     "Impact assessments; privacy notices; records of processing."),
    ("Staff and works council", "Employees",
     "Clarity on how AI changes their work; training; consultation on HR uses.",
     "Consult the works council before deploying AI in HR; provide training.",
     "Competence records; HR AI deployment plan."),
    ("LLM and SaaS providers", "Suppliers",
     "Clear use within their acceptable-use terms.",
     "Contractual commitments on data use, incident notice and model changes.",
     "Supplier reviews; contract clauses."),
]

# Control ref → (inclusion_reason, status, owner role, justification, notes). Anything not
# listed stays "not decided", so the demo also shows open work.
SOA = {
    "A.2.2": ("legal", "implemented", "admin", "An AI policy is needed to direct the AIMS and to meet EU AI Act governance expectations.", "AI policy v1.2 approved by the board in March; published on the intranet."),
    "A.2.3": ("business", "implemented", "admin", "The AI policy must fit the existing risk, privacy and security policies.", "Cross-references reviewed with the CISO and the DPO."),
    "A.2.4": ("business", "planned", "admin", "The policy has to stay current as regulation and our use of AI change.", "Annual review booked for the Q1 management review."),
    "A.3.2": ("legal", "implemented", "owner", "Accountability for each AI system must be clear to supervisors and auditors.", "RACI in the AI governance charter; system owners named in the inventory."),
    "A.3.3": ("business", "partial", "admin", "Staff need a safe way to raise concerns about AI systems.", "Whistleblowing channel extended to AI concerns; awareness campaign pending."),
    "A.4.2": ("risk_treatment", "partial", "editor", "Resources of each AI system must be known to manage its risks.", "Resource records exist for the credit engine and fraud models."),
    "A.4.3": ("risk_treatment", "partial", "editor", "Data resources drive most credit and fraud model risks.", "Data catalogue entries for training sets; lineage for the credit engine."),
    "A.4.4": ("risk_treatment", "implemented", "editor", "Tooling used to build and run models affects reproducibility.", "ML platform inventory maintained by the platform team."),
    "A.4.5": ("risk_treatment", "implemented", "editor", "Computing resources affect availability of real-time fraud scoring.", "Capacity plan and SLOs for the scoring cluster."),
    "A.4.6": ("business", "planned", "admin", "People and skills are a known constraint (see internal issues).", "Skills matrix to be built with HR."),
    "A.5.2": ("legal", "implemented", "admin", "High-risk uses in credit and recruitment require assessing impacts on people.", "Impact assessment procedure v1.0; assessments for the credit engine and CV screening."),
    "A.5.3": ("legal", "implemented", "admin", "Assessment results must be retained as evidence.", "Assessments stored in aims with approvals."),
    "A.5.4": ("legal", "partial", "editor", "Applicants and job candidates are directly affected by our AI systems.", "Done for the credit engine; CV screening assessment in review."),
    "A.5.5": ("business", "planned", "admin", "Wider societal effects of automated credit need to be understood.", "Societal impact section added to the template for next cycle."),
    "A.6.1.2": ("risk_treatment", "implemented", "editor", "Responsible development objectives steer the models we build.", "Fairness and explainability objectives in the model development standard."),
    "A.6.1.3": ("risk_treatment", "implemented", "editor", "Our in-house models need a controlled development process.", "Model development lifecycle with stage gates."),
    "A.6.2.2": ("risk_treatment", "implemented", "editor", "Requirements must be set before building or buying a system.", "Requirement templates used for all new AI projects since 2025."),
    "A.6.2.3": ("risk_treatment", "partial", "editor", "Design decisions must be traceable for validation and audit.", "Design records complete for the credit engine; partial for fraud."),
    "A.6.2.4": ("legal", "implemented", "editor", "Supervisors expect independent validation of credit models.", "Independent validation report before each major release."),
    "A.6.2.5": ("risk_treatment", "implemented", "editor", "Deployment must only follow successful validation.", "Release checklist in the ML platform."),
    "A.6.2.6": ("risk_treatment", "partial", "editor", "Drift and performance issues must be caught in production.", "Monitoring dashboards live for fraud; credit engine alerts in progress."),
    "A.6.2.7": ("legal", "partial", "editor", "High-risk providers must keep technical documentation.", "Technical file drafted for the credit engine."),
    "A.6.2.8": ("legal", "implemented", "editor", "Event logs are needed for traceability of decisions.", "Decision logs retained for seven years in the data lake."),
    "A.7.2": ("risk_treatment", "implemented", "editor", "Data management drives model quality and fairness.", "Data management standard for ML."),
    "A.7.3": ("contractual", "partial", "editor", "Bureau and vendor data come with contractual use limits.", "Acquisition records for bureau data; vendor data pending."),
    "A.7.4": ("risk_treatment", "implemented", "editor", "Data quality problems are the top source of credit model error.", "Automated data quality checks in the training pipeline."),
    "A.7.5": ("risk_treatment", "partial", "editor", "Provenance is needed to answer supervisor questions about training data.", "Lineage captured for the credit engine only."),
    "A.7.6": ("risk_treatment", "implemented", "editor", "Preparation choices can introduce bias.", "Preparation steps versioned with the training code."),
    "A.8.2": ("legal", "implemented", "admin", "Users and deployers need documentation to use systems as intended.", "User guides for credit officers and recruiters."),
    "A.8.3": ("legal", "partial", "admin", "Affected people must be able to report adverse impacts.", "Complaint form has an AI category; external web form planned."),
    "A.8.4": ("legal", "planned", "admin", "Incidents affecting customers must be communicated promptly.", "Incident communication plan to be added to the AI incident procedure."),
    "A.8.5": ("legal", "planned", "admin", "Regulators and partners will ask for information about our AI systems.", "Register of reporting obligations being compiled."),
    "A.9.2": ("business", "implemented", "admin", "Staff use AI tools daily and need clear rules.", "Acceptable use of AI standard; training module."),
    "A.9.3": ("business", "partial", "admin", "Objectives for responsible use guide how AI tools are used.", "Objectives set for the chatbot and coding assistant."),
    "A.9.4": ("contractual", "implemented", "admin", "Bought AI services must be used only as their providers intend.", "Intended-use checks in the onboarding review."),
    "A.10.2": ("contractual", "partial", "admin", "Responsibilities with AI suppliers must be allocated in contracts.", "RACI in place for the LLM provider; pending for TalentMatch."),
    "A.10.3": ("risk_treatment", "partial", "admin", "Third-party AI is a top risk source for the chatbot and CV screening.", "AI due-diligence questionnaire added to supplier onboarding."),
}

EXCLUSIONS = {
    "A.10.4": "Northwind does not supply AI systems or AI-based services to other organisations: every AI system is used in our own operations. People affected by our AI as borrowers or applicants are covered by the impact assessment and transparency controls (A.5, A.8), so no customer-facing AI supply relationship exists to manage.",
}
