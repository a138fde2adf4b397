"""An impact assessment on paper: the print view's HTML, and a PDF made from it by WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from aims.core.pdf import html_to_pdf
from aims.impact.guidance import SECTIONS
from aims.impact.selectors import assessment_get, assessment_history
from aims.orgs.context import Ctx


def print_context(*, ctx: Ctx, assessment_id, for_pdf: bool = False) -> dict:
    """Everything the print template shows: the assessment, its sections with their questions,
    its impacts and every version of the system's assessment."""
    assessment = assessment_get(ctx=ctx, assessment_id=assessment_id)
    return {
        "org": ctx.org, "assessment": assessment, "for_pdf": for_pdf,
        "sections": [(s, getattr(assessment, s.field)) for s in SECTIONS],
        "impacts": list(assessment.impacts.all()),
        "history": list(assessment_history(ctx=ctx, system_id=assessment.ai_system_id)),
        "printed": timezone.localtime(),
    }


def assessment_pdf(*, ctx: Ctx, assessment_id) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the assessment as a PDF."""
    context = print_context(ctx=ctx, assessment_id=assessment_id, for_pdf=True)
    html = render_to_string("impact/print.html", context)
    content = html_to_pdf(html)
    a = context["assessment"]
    name = (f"{ctx.org.slug}-impact-assessment-{slugify(a.ai_system.name)[:60]}"
            f"-v{a.number}.pdf")
    return content, "application/pdf", name


def fria_context(*, ctx: Ctx, assessment_id, for_pdf: bool = False) -> dict:
    """The fundamental rights impact assessment (EU AI Act, Art. 27): its own answers plus
    what the impact assessment and the system record already hold."""
    assessment = assessment_get(ctx=ctx, assessment_id=assessment_id)
    impacts = list(assessment.impacts.all())
    return {
        "org": ctx.org, "assessment": assessment, "system": assessment.ai_system,
        "for_pdf": for_pdf, "printed": timezone.localtime(),
        "harms": [i for i in impacts if i.nature == "negative"],
        "doc_kind": "Fundamental rights impact assessment (EU AI Act, Art. 27)",
        "doc_title": f"{assessment.ai_system.name} — assessment version {assessment.number}",
    }


def fria_pdf(*, ctx: Ctx, assessment_id) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the FRIA as a PDF."""
    context = fria_context(ctx=ctx, assessment_id=assessment_id, for_pdf=True)
    content = html_to_pdf(render_to_string("impact/fria.html", context))
    a = context["assessment"]
    return (content, "application/pdf",
            f"{ctx.org.slug}-fria-{slugify(a.ai_system.name)[:60]}-v{a.number}.pdf")
