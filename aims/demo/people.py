"""The demo organisation's AIMS roles, concern channel and training records: a mid-sized
lender with a small governance team, one of whose AI-specific certificates has lapsed.

Everything goes through the services, so the activity log is real. All text is invented for
the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.demo import MemberCtx
from aims.evidence.services import evidence_create
from aims.inventory.selectors import ai_system_list
from aims.people import selectors, services
from aims.people.models import AimsRole

# Standard role code: (holder roles, AI systems covered by name, competence requirements as
# (title, AI-specific, how it is shown)).
ROLES = {
    "top_management": (["owner"], [], [
        ("Understands the AI risks the lender carries and the appetite set for them", True,
         "Board briefing on AI risk, attended and minuted"),
        ("Knows the duties the EU AI Act places on a deployer of high-risk credit scoring", True,
         "External regulatory briefing"),
    ]),
    "governance_owner": (["owner"], [], [
        ("Can run an AI management system to ISO/IEC 42001", True,
         "Implementer course with exam, or two years running the AIMS"),
        ("Can chair a meeting and keep decisions on record", False, "Experience"),
    ]),
    "risk_owner": (["admin"], [], [
        ("Can assess AI-specific risks: bias, drift, explainability, misuse", True,
         "Model risk management certificate"),
        ("Knows the enterprise risk framework and how AI risks feed into it", False,
         "Internal ERM induction"),
    ]),
    "system_owner": (["editor"], ["Credit decision engine", "Customer service chatbot",
                                  "Collections prioritisation model"], [
        ("Can test a model for unfair outcomes across applicant groups", True,
         "Fairness testing course, renewed every two years"),
        ("Knows how to monitor a deployed model for drift and failure", True,
         "Course or supervised practice on a live system"),
    ]),
    "data_steward": (["editor"], ["Credit decision engine", "Card fraud detection"], [
        ("Can document data provenance and quality for training data", True,
         "Data management for machine learning course"),
    ]),
    "internal_auditor": (["auditor"], [], [
        ("Can audit an AI management system against ISO/IEC 42001", True,
         "Lead auditor certificate"),
        ("Is independent of the areas audited", False, "Declaration of independence per audit"),
    ]),
}

# (member role, topic, AI-specific, completed days ago, valid for days or None, provider, notes)
TRAINING = [
    ("owner", "AI risk and governance for board members", True, 200, 730,
     "Institute of Directors", "Half-day session with the rest of the board."),
    ("owner", "ISO/IEC 42001 implementer", True, 420, None, "BSI Training Academy",
     "Passed the exam at the first attempt."),
    ("admin", "Model risk management for machine learning", True, 150, 1095,
     "Risk Management Association", "Covered SR 11-7 style validation and AI-specific risks."),
    ("admin", "Enterprise risk framework induction", False, 600, None, "Internal — Group Risk",
     ""),
    # The editor's fairness certificate has lapsed: the gap view shows it.
    ("editor", "Fairness testing of credit models", True, 800, 730, "Alan Turing Institute",
     "Two-year certificate; renewal was due last month."),
    ("editor", "Secure coding for Python services", False, 90, 365, "SANS", ""),
    ("auditor", "ISO/IEC 42001 lead auditor", True, 300, 1095, "PECB",
     "Certificate number on file with HR."),
    ("viewer", "Data protection essentials", False, 45, 365, "Internal — Compliance", ""),
]

CHANNEL = {
    "channels": "E-mail ai-concerns@northwind-lending.example (read only by the ethics "
                "officer)\nThe 'Raise a concern' form on the intranet, which can be sent "
                "anonymously\nThe independent Speak Up hotline, 0800 555 0142, open around "
                "the clock\nCustomers: the complaints form on the website, option 'Automated "
                "decision'",
    "recipients": "The AI ethics officer (currently the AI risk owner) reads every report "
                  "within one working day. Concerns about a specific AI system go to its "
                  "system owner for investigation; anything touching fairness to customers, "
                  "safety or the law goes straight to the Chief Risk Officer and the next "
                  "AI governance committee.",
    "confidentiality": "Reporters' names are shared only with the people investigating, and "
                       "only with consent. Anonymous reports are accepted and investigated. "
                       "Nobody is disadvantaged for raising a concern in good faith, even if "
                       "it turns out to be unfounded; the Speak Up policy applies in full.",
    "response_times": "Acknowledged within 2 working days; first assessment within 10 "
                      "working days; the reporter hears the outcome, as far as confidentiality "
                      "allows, within 30 days.",
    "notes": "Publicised in the staff handbook, on the intranet home page and in the annual "
             "AI awareness training. The ethics officer reports the number and themes of "
             "concerns to each management review.",
}


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    owner = ctxs["owner"]
    today = timezone.localdate()
    users = {role: c.user for role, c in ctxs.items()}
    systems = {s.name: s.pk for s in ai_system_list(ctx=owner)}
    services.aims_roles_add_standard(ctx=owner)
    roles = {r.code: r for r in selectors.aims_role_list(ctx=owner) if r.code}
    for code, (holders, system_names, competences) in ROLES.items():
        role: AimsRole = roles[code]
        if system_names:
            role = services.aims_role_update(ctx=owner, role_id=role.pk, version=role.version,
                                             data={"ai_systems": [systems[n] for n in
                                                                  system_names if n in systems]})
        for holder in holders:
            services.role_assignment_create(ctx=owner, role_id=role.pk, data={
                "member": users[holder].pk, "since": today - datetime.timedelta(days=400)})
        for title, ai_specific, shown in competences:
            services.competence_requirement_create(ctx=owner, role_id=role.pk, data={
                "title": title, "ai_specific": ai_specific, "demonstrated_by": shown})
    services.concern_channel_save(ctx=owner, data=CHANNEL, version=0)
    editor = ctxs["editor"]
    for who, topic, ai_specific, ago, valid_for, provider, notes in TRAINING:
        completed = today - datetime.timedelta(days=ago)
        record = services.training_record_create(ctx=editor, data={
            "member": users[who].pk, "topic": topic, "ai_specific": ai_specific,
            "completed_on": completed,
            "expires_on": completed + datetime.timedelta(days=valid_for) if valid_for else None,
            "provider": provider, "notes": notes})
        if who == "auditor":
            evidence_create(ctx=editor, links=[record], perm="training.change", data={
                "title": "Lead auditor certificate — Aisha Auditor", "kind": "note",
                "note": "Certificate PECB-42001-LA-88231 seen by HR; a copy is in the HR file.",
                "effective_from": completed, "valid_until": record.expires_on,
                "owner": users["auditor"].pk, "source": "HR"})
