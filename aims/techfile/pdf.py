"""The drafted documents on paper: the print view's HTML and a PDF made from it."""

from __future__ import annotations

import uuid

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from aims.core.pdf import html_to_pdf
from aims.orgs.context import Ctx
from aims.techfile.drafts import draft_get


def print_context(*, ctx: Ctx, system_id: uuid.UUID | str, kind: str,
                  for_pdf: bool = False) -> dict:
    """What the print template shows: the draft with every section and its gaps."""
    draft = draft_get(ctx=ctx, system_id=system_id, kind=kind)
    return {
        "org": ctx.org, "draft": draft, "for_pdf": for_pdf,
        "doc_kind": draft.title, "doc_title": draft.system.name,
        "back_url": reverse("techfile:draft", args=[ctx.org.slug, draft.system.pk, kind]),
        "pdf_url": reverse("techfile:pdf", args=[ctx.org.slug, draft.system.pk, kind]),
    }


def draft_pdf(*, ctx: Ctx, system_id: uuid.UUID | str, kind: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the draft as a PDF."""
    context = print_context(ctx=ctx, system_id=system_id, kind=kind, for_pdf=True)
    content = html_to_pdf(render_to_string("techfile/print.html", context))
    name = f"{ctx.org.slug}-{kind}-{slugify(context['draft'].system.name)[:60]}.pdf"
    return content, "application/pdf", name
