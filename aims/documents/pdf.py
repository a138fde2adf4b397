"""A document version on paper: the print view's HTML, and a PDF made from it by WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from aims.core.pdf import html_to_pdf
from aims.documents.models import Document, DocumentVersion
from aims.documents.rendering import render_markdown
from aims.orgs.context import Ctx


def print_context(*, ctx: Ctx, document: Document, version: DocumentVersion,
                  for_pdf: bool = False) -> dict:
    """Everything the print template shows: the document's facts, the version's approval and
    its rendered text."""
    return {
        "org": ctx.org, "document": document, "v": version, "for_pdf": for_pdf,
        "body": render_markdown(version.content) if not version.is_file else "",
        "requirements": list(document.requirements.all()),
        "printed": timezone.localtime(),
    }


def version_pdf(*, ctx: Ctx, document: Document, version: DocumentVersion
                ) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the version as a PDF."""
    context = print_context(ctx=ctx, document=document, version=version, for_pdf=True)
    html = render_to_string("documents/print.html", context)
    # The document is self-contained: no protocol is allowed, so nothing is ever fetched
    # (not even a link or image someone put in the Markdown).
    content = html_to_pdf(html)
    name = f"{ctx.org.slug}-{document.ref.lower()}-{slugify(document.title)[:60]}-v{version.number}.pdf"
    return content, "application/pdf", name
