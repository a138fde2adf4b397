"""Documented information of the demo organisation (Northwind Lending), made through the
services.

- AI policy: version 1 approved by the owner thirteen months ago and superseded; version 2
  (adds generative AI and supplier commitments) approved six weeks ago and in force.
- AI risk assessment methodology: approved three months ago.
- Generative AI acceptable use policy: approved fourteen months ago on a yearly review cycle,
  so its review is overdue.
- AI system impact assessment procedure: in review, waiting for an approver.
- AI system life cycle procedure: a draft being written.

All text is invented for the demo and written in aims's own words.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from aims.core.dates import add_months
from aims.demo import MemberCtx
from aims.documents import services
from aims.documents.models import DocumentVersion
from aims.documents.starters import starter_get
from aims.orgs.context import Ctx

ORG = "Northwind Lending"


def _policy_v1() -> str:
    text = starter_get("ai_policy").content
    return (text.replace("We build, buy and use AI systems to serve our customers and run our "
                         "business.",
                         f"{ORG} builds, buys and uses AI systems to lend responsibly, fight "
                         "fraud and serve customers in Germany, France and the Netherlands.")
            .replace("| Executive board |", "| Board of directors |")
            .replace("| AI governance lead |", "| Head of AI governance (Olivia Owner) |"))


GENAI_SECTION = """
## 8. Generative AI

- Generative AI tools may only be used through the company-approved assistant, never with
  customer data in public tools.
- Content produced by generative AI that reaches customers is reviewed by a person first and
  labelled as AI-assisted.
- The customer service chatbot tells customers they are talking to an AI and offers a person
  at any time.
"""

SUPPLIER_LINE = ("6. **Suppliers held to the same standard.** We check third-party AI against "
                 "this policy before we buy it and review it while we use it.")
SUPPLIER_V2 = ("6. **Suppliers held to the same standard.** We check third-party AI against "
               "this policy before we buy it, require suppliers to tell us about material "
               "model changes and incidents within five working days, and review each AI "
               "supplier at least once a year.")


def _policy_v2() -> str:
    return _policy_v1().replace(SUPPLIER_LINE, SUPPLIER_V2).replace(
        "## 4. Roles", GENAI_SECTION.strip() + "\n\n## 4. Roles")


ACCEPTABLE_USE = """# Generative AI acceptable use policy

## Purpose

Staff increasingly use generative AI assistants to draft text, summarise documents and write
code. This policy sets out what is allowed so that customer data, confidential information and
our reputation stay protected.

## Allowed

- Drafting and summarising internal documents that contain no customer data, using the
  company-approved assistant.
- Writing and reviewing code in the approved development assistant, with the usual code review.

## Not allowed

- Pasting customer data, credit files or card data into any AI tool that is not approved.
- Letting AI output reach a customer without a person reading it first.
- Using AI to make or explain a credit decision outside the approved credit decision engine.

## Reporting

Report a suspected breach of this policy to the information security team or through the
confidential reporting channel.
"""


def _approved(*, author: Ctx, approver: Ctx, document, approved_on: datetime.date,
              comment: str = "") -> DocumentVersion:
    """Submit the document's open version and approve it on `approved_on`."""
    draft = document.versions.get(status__in=("draft", "in_review"))
    v = services.document_version_submit(ctx=author, document_id=document.pk,
                                         version_id=draft.pk, version=draft.version)
    # The story's sign-offs were given in the past: the submission before each is dated the
    # same day (an approval may not precede its submission).
    DocumentVersion.objects.for_org(document.org).filter(pk=v.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime.combine(approved_on,
                                                                   datetime.time(9))))
    v.refresh_from_db()
    return services.document_version_approve(ctx=approver, document_id=document.pk,
                                              version_id=v.pk, version=v.version,
                                              comment=comment, approved_on=approved_on)


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    """The demo organisation's controlled documents, at every stage of their life."""
    owner, admin, editor = ctxs["owner"], ctxs["admin"], ctxs["editor"]
    today = timezone.localdate()

    policy = services.document_create(ctx=admin, data={
        "template": "ai_policy", "owner": admin.user.pk, "content": _policy_v1(),
        "description": "The board's commitments for AI at Northwind Lending; every procedure "
                       "of the AI management system follows from it.",
        "change_summary": "First AI policy, adapted from the aims template."})
    _approved(author=admin, approver=owner, document=policy, approved_on=add_months(today, -13),
              comment="Approved by the board on 12 votes to 0.")
    services.document_version_create(ctx=admin, document_id=policy.pk, data={
        "content": _policy_v2(),
        "change_summary": "Adds a generative AI section and firmer supplier commitments after "
                          "the chatbot launch and the yearly review."})
    _approved(author=admin, approver=owner, document=policy,
              approved_on=today - datetime.timedelta(days=42),
              comment="Approved at the quarterly board meeting.")

    methodology = services.document_create(ctx=editor, data={
        "template": "ai_risk_methodology", "owner": editor.user.pk,
        "description": "How AI risks are rated in the AI risk register."})
    _approved(author=editor, approver=admin, document=methodology,
              approved_on=add_months(today, -3))

    acceptable_use = services.document_create(ctx=editor, data={
        "title": "Generative AI acceptable use policy", "kind": "topic_policy",
        "owner": editor.user.pk, "content": ACCEPTABLE_USE, "requirements": ["A.2.2", "A.9.2"],
        "review_interval_months": 12,
        "description": "What staff may and may not do with generative AI tools."})
    _approved(author=editor, approver=admin, document=acceptable_use,
              approved_on=add_months(today, -14))

    procedure = services.document_create(ctx=editor, data={
        "template": "ai_impact_procedure", "owner": editor.user.pk})
    draft = procedure.versions.get(number=1)
    services.document_version_submit(ctx=editor, document_id=procedure.pk, version_id=draft.pk,
                                     version=draft.version)

    services.document_create(ctx=editor, data={
        "template": "ai_lifecycle_procedure", "owner": editor.user.pk,
        "change_summary": "Draft: the deployment gate still needs the CRO's input."})
