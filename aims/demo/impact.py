"""Impact assessments of the demo organisation (Northwind Lending), made through the services.

- Credit decision engine: approved (author: the editor, approver: the admin), five impacts, one
  raised as a risk in the register.
- CV screening assistant: approved fourteen months ago, so its re-assessment is overdue.
- Customer service chatbot: a first draft in progress.
- Card fraud detection: approved, then flagged by a significant change to the model.

All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.core.dates import add_months
from aims.demo import MemberCtx
from aims.impact import services
from aims.impact.models import ImpactAssessment
from aims.inventory.selectors import ai_system_list
from aims.inventory.services import system_change_record
from aims.orgs.context import Ctx

CREDIT = {
    "trigger_note": "First assessment before the engine's use was extended to branch "
                    "applications.",
    "intended_purpose": "Estimates the probability that a consumer loan applicant will default "
                        "and recommends approve, refer or decline. A credit officer takes every "
                        "decline and referral decision; approvals under EUR 15,000 are issued "
                        "automatically when every policy rule is met. It is not used for "
                        "pricing, marketing or collections.",
    "context_of_use": "About 9,000 applications a month from the website, the app and branches "
                      "in Germany, France and the Netherlands. Officers see the score, the main "
                      "reasons behind it and the policy rules that fired, and can override the "
                      "recommendation with a written reason. Overrides are sampled monthly by "
                      "the credit risk team.",
    "foreseeable_misuse": "Officers accepting declines without reading the reasons when queues "
                          "are long; sales staff coaching applicants to adjust declared income "
                          "until the score passes; reuse of the score to set credit limits on "
                          "existing cards, which it was not validated for.",
    "affected_individuals": "Applicants and co-applicants, whose access to credit and its terms "
                            "depend on the recommendation; credit officers, whose workload and "
                            "accountability change with it.",
    "affected_groups": "Young adults and recent arrivals with thin credit files; self-employed "
                       "applicants with irregular income; older applicants close to "
                       "retirement. Validation shows a higher refer rate for thin files that "
                       "later repayment data only partly justifies.",
    "societal_effects": "Faster and more consistent lending decisions across the regions we "
                        "serve; a risk of entrenching exclusion from mainstream credit for "
                        "people already underserved by credit bureaus.",
    "conclusion": "Acceptable with conditions: the thin-file referral gap is tracked as a risk "
                  "with a fairness objective, overrides keep being sampled monthly, and the "
                  "assessment is redone before the model is retrained on new data sources.",
}
CREDIT_IMPACTS = [
    {"area": "fairness", "nature": "negative",
     "description": "Applicants with thin credit files are referred or declined more often "
                    "than their later repayment behaviour justifies.",
     "severity": 4, "likelihood": 3, "reversibility": "hard_to_reverse", "scale": "group",
     "mitigations": "Every thin-file decline goes to a senior officer; quarterly disparity "
                    "testing by age band and file depth; alternative data (rent and utility "
                    "payments) under evaluation.",
     "residual_rating": "medium"},
    {"area": "transparency", "nature": "negative",
     "description": "Declined applicants receive reasons too generic to understand or "
                    "challenge the decision.",
     "severity": 3, "likelihood": 3, "reversibility": "reversible", "scale": "individual",
     "mitigations": "Decline letters name the three main reasons in plain language and explain "
                    "how to ask for a human review.",
     "residual_rating": "low"},
    {"area": "autonomy", "nature": "negative",
     "description": "Officers defer to the recommendation instead of exercising judgement "
                    "(automation bias), especially at month end.",
     "severity": 3, "likelihood": 3, "reversibility": "reversible", "scale": "group",
     "mitigations": "Override sampling, officer training each year, and queue limits that "
                    "leave time to read the reasons.",
     "residual_rating": "medium"},
    {"area": "privacy", "nature": "negative",
     "description": "Credit bureau and transaction data are used beyond what applicants "
                    "expect, for example kept after a withdrawn application.",
     "severity": 2, "likelihood": 2, "reversibility": "reversible", "scale": "individual",
     "mitigations": "Data minimisation review at each model release; withdrawn applications "
                    "are deleted after 90 days.",
     "residual_rating": "low"},
    {"area": "economic", "nature": "positive",
     "description": "Most applicants get an answer within minutes instead of days.",
     "severity": 3, "likelihood": 5, "reversibility": "reversible", "scale": "society",
     "mitigations": "Service levels are monitored monthly.", "residual_rating": ""},
]

CV = {
    "trigger_note": "First assessment after the vendor tool was rolled out to all vacancies.",
    "intended_purpose": "Orders incoming job applications by how well they match the role "
                        "profile so recruiters read the strongest matches first. It never "
                        "rejects an applicant; recruiters see every application.",
    "context_of_use": "All external vacancies in the EU, around 1,200 applications a month. "
                      "Recruiters configure the role profile; the vendor hosts the model.",
    "foreseeable_misuse": "Recruiters reading only the top of the ranking under time pressure; "
                          "hiring managers asking for the raw scores to compare candidates.",
    "affected_individuals": "Job applicants; recruiters and hiring managers.",
    "affected_groups": "Applicants with career breaks, older applicants, applicants whose CVs "
                       "follow other countries' conventions, people with disabilities.",
    "societal_effects": "Small at our volume, but contributes to automated gatekeeping of "
                        "employment.",
    "conclusion": "Acceptable while the ranking only orders the queue and recruiters are "
                  "required to open every application; to be redone yearly given the "
                  "sensitivity of hiring.",
}
CV_IMPACTS = [
    {"area": "employment", "nature": "negative",
     "description": "Suitable applicants with career breaks are ranked low and read late or "
                    "not at all.",
     "severity": 4, "likelihood": 3, "reversibility": "hard_to_reverse", "scale": "group",
     "mitigations": "Recruiters must open every application before closing a vacancy; career "
                    "gaps are removed from the matching criteria.",
     "residual_rating": "medium"},
    {"area": "fairness", "nature": "negative",
     "description": "The vendor model may favour wording common in one language or education "
                    "system.",
     "severity": 3, "likelihood": 3, "reversibility": "reversible", "scale": "group",
     "mitigations": "Annual adverse-impact test on our own hiring data; contractual right to "
                    "the vendor's bias testing results.",
     "residual_rating": "medium"},
    {"area": "transparency", "nature": "negative",
     "description": "Applicants are not aware that software orders their application.",
     "severity": 2, "likelihood": 4, "reversibility": "reversible", "scale": "individual",
     "mitigations": "The careers page and acknowledgement e-mail say how applications are "
                    "handled and who to contact.",
     "residual_rating": "low"},
]

CHATBOT = {
    "trigger_note": "",
    "foreseeable_misuse": "Customers treating answers about repayment holidays as binding "
                          "offers; attempts to make the assistant reveal other customers' data.",
    "affected_groups": "Customers in financial difficulty, who may need a person rather than "
                       "an assistant; customers who write in languages other than the three "
                       "supported.",
}
CHATBOT_IMPACTS = [
    {"area": "safety", "nature": "negative",
     "description": "A customer in financial distress receives a generic answer instead of "
                    "being handed to a trained agent.",
     "severity": 4, "likelihood": 2, "reversibility": "hard_to_reverse",
     "scale": "individual",
     "mitigations": "Distress keywords trigger an immediate hand-over; agents review flagged "
                    "conversations daily.",
     "residual_rating": "medium"},
    {"area": "transparency", "nature": "negative",
     "description": "The assistant states product terms that differ from the current terms.",
     "severity": 3, "likelihood": 3, "reversibility": "reversible", "scale": "individual",
     "mitigations": "", "residual_rating": "medium"},
]

FRAUD = {
    "trigger_note": "",
    "intended_purpose": "Scores each card authorisation for fraud in real time and holds "
                        "suspicious ones until the cardholder confirms them.",
    "context_of_use": "All card authorisations, about 40 per second at peak. Held transactions "
                      "are confirmed by SMS or by an analyst; thresholds are tuned weekly.",
    "foreseeable_misuse": "Using the fraud score to decide on account closures or credit "
                          "limits.",
    "affected_individuals": "Cardholders, whose payments may be held; merchants.",
    "affected_groups": "Cardholders who travel often or shop from abroad; people who rely on a "
                       "single card for essentials.",
    "societal_effects": "Lower card fraud losses for customers and the wider payment system.",
    "conclusion": "Acceptable: holds are short and confirmed by the cardholder, and false "
                  "positives are monitored weekly.",
}
FRAUD_IMPACTS = [
    {"area": "economic", "nature": "negative",
     "description": "Legitimate payments are held, leaving customers unable to pay for "
                    "essentials while abroad.",
     "severity": 3, "likelihood": 3, "reversibility": "reversible", "scale": "individual",
     "mitigations": "Instant SMS confirmation releases the hold; travel notices lower the "
                    "score; 24/7 analyst line.",
     "residual_rating": "low"},
    {"area": "economic", "nature": "positive",
     "description": "Fraud is stopped before customers lose money.",
     "severity": 4, "likelihood": 4, "reversibility": "reversible", "scale": "society",
     "mitigations": "Weekly threshold review.", "residual_rating": ""},
]


def _draft(*, author: Ctx, system, sections: dict, impacts: list[dict]) -> ImpactAssessment:
    a = services.assessment_create(ctx=author, data={"ai_system": system.pk, **sections})
    for impact in impacts:
        services.impact_create(ctx=author, assessment_id=a.pk, data=impact)
    return a


def _approved(*, author: Ctx, approver: Ctx, system, sections: dict, impacts: list[dict],
              approved_on: datetime.date, comment: str = ""):
    a = _draft(author=author, system=system, sections=sections, impacts=impacts)
    a.refresh_from_db()
    a = services.assessment_submit(ctx=author, assessment_id=a.pk, version=a.version)
    # The story's sign-offs were given months ago: the submission before them is dated the
    # same day (an approval may not precede its submission).
    ImpactAssessment.objects.for_org(a.org).filter(pk=a.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(approved_on,
                                                                   datetime.time(9))))
    a.refresh_from_db()
    return services.assessment_approve(ctx=approver, assessment_id=a.pk, version=a.version,
                                       comment=comment, approved_on=approved_on)


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """The demo organisation's impact assessments, change log and one risk raised from an
    impact; the AI systems must already exist."""
    systems = {s.name: s for s in ai_system_list(ctx=ctxs["owner"])}
    editor, admin, owner = ctxs["editor"], ctxs["admin"], ctxs["owner"]
    today = timezone.localdate()

    credit = _approved(
        author=editor, approver=admin, system=systems["Credit decision engine"],
        sections=CREDIT, impacts=CREDIT_IMPACTS, approved_on=today - datetime.timedelta(days=75),
        comment="Approved on condition that the thin-file risk is reviewed each quarter.")
    thin_file = credit.impacts.order_by("created_at").first()
    services.impact_raise_risk(ctx=editor, assessment_id=credit.pk, impact_id=thin_file.pk,
                               version=thin_file.version, data={
                                   "title": "Thin-file applicants referred or declined unfairly"})

    _approved(author=editor, approver=owner, system=systems["CV screening assistant"],
              sections=CV, impacts=CV_IMPACTS, approved_on=add_months(today, -14))

    _draft(author=editor, system=systems["Customer service chatbot"], sections=CHATBOT,
           impacts=CHATBOT_IMPACTS)

    fraud_system = systems["Card fraud detection"]
    _approved(author=editor, approver=admin, system=fraud_system, sections=FRAUD,
              impacts=FRAUD_IMPACTS, approved_on=today - datetime.timedelta(days=160))
    system_change_record(ctx=editor, system_id=fraud_system.pk, data={
        "description": "Moved model serving to the new payments cluster; no change to the "
                       "model or thresholds.",
        "significant": False, "changed_on": today - datetime.timedelta(days=60)})
    system_change_record(ctx=editor, system_id=fraud_system.pk, data={
        "description": "Replaced the classification model with a graph-based model that also "
                       "uses merchant network signals, and lowered the hold threshold for "
                       "online purchases.",
        "significant": True, "changed_on": today - datetime.timedelta(days=12)})
