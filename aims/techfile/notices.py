"""The transparency notice of an AI system (ISO/IEC 42001 A.8.2, EU AI Act Art. 50): what the
people who use it, or are affected by it, should know, drafted in plain words from the AI
system record. Members read it in the product; anyone with an active public link reads the
same notice without signing in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from aims.core.pdf import html_to_pdf
from aims.inventory.selectors import ai_system_get
from aims.orgs.context import Ctx
from aims.techfile.models import NoticeLink

# What the notice opens with, by EU AI Act class: our own words.
OPENING = {
    "high": ("This notice is about an AI system that the EU AI Act counts as high-risk. It "
             "helps make decisions or produce results that can matter for you, so people "
             "oversee it and you can ask for a human to look again."),
    "limited": ("You are dealing with an AI system. This notice tells you what it does, so you "
                "know when content or answers come from a machine."),
    "prohibited": ("This AI system is under review and must not be used in the way described "
                   "until that review is done."),
}
DEFAULT_OPENING = ("This notice tells you about an AI system we use, what it is for and how "
                   "people stay in control of it.")


@dataclass
class Notice:
    org_name: str
    system_name: str
    opening: str
    sections: list[tuple[str, str]]
    contact: str
    drafted_at: object


def _notice(system, org_name: str, contact: str) -> Notice:
    s = system
    data = s.data_categories.strip()
    if s.processes_personal_data:
        data = (data + "\n" if data else "") + "It processes personal data."
    sections = [
        ("What it is for", s.intended_purpose.strip()),
        ("How it works", s.description.strip()),
        ("Who it concerns", s.affected_parties.strip()),
        ("Where it is used", s.deployment_context.strip()),
        ("What data it uses", data),
        ("How people stay in control", s.human_oversight.strip()),
    ]
    return Notice(org_name=org_name, system_name=s.name,
                  opening=OPENING.get(s.eu_risk_class, DEFAULT_OPENING),
                  sections=[(t, v) for t, v in sections if v], contact=contact.strip(),
                  drafted_at=timezone.localtime())


def notice_link_list(*, ctx: Ctx, system) -> list[NoticeLink]:
    """The public links of one of ctx.org's AI systems, newest first."""
    return list(NoticeLink.objects.for_org(ctx.org).filter(ai_system=system)
                .select_related("created_by", "revoked_by"))


def notice_get(*, ctx: Ctx, system_id: uuid.UUID | str) -> tuple[Any, Notice, list[NoticeLink]]:
    """(system, notice, links) for one of ctx.org's AI systems; the notice gives the contact
    of the newest active link."""
    system = ai_system_get(ctx=ctx, system_id=system_id)
    links = notice_link_list(ctx=ctx, system=system)
    contact = next((link.contact for link in links if link.active), "")
    return system, _notice(system, ctx.org.name, contact), links


def public_notice_get(*, token: str) -> Notice:
    """The notice behind an active public link; 404 for an unknown or revoked token, alike."""
    link = (NoticeLink.all_orgs.select_related("ai_system", "org")
            .filter(token_hash=NoticeLink.hash_token(token), revoked_at__isnull=True)
            .first()) if token else None
    if link is None:
        raise Http404("No such notice.")
    return _notice(link.ai_system, link.org.name, link.contact)


def notice_pdf(*, ctx: Ctx, system_id: uuid.UUID | str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the notice as a PDF."""
    system, notice, _ = notice_get(ctx=ctx, system_id=system_id)
    html = render_to_string("techfile/notice_print.html", {
        "notice": notice, "org": ctx.org, "for_pdf": True,
        "doc_kind": "Transparency notice", "doc_title": notice.system_name})
    return (html_to_pdf(html), "application/pdf",
            f"{ctx.org.slug}-transparency-notice-{slugify(system.name)[:60]}.pdf")
