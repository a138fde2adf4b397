"""The draft of a serious-incident report (EU AI Act, Art. 73) on paper: HTML for the print
view and a PDF made from it by WeasyPrint. A draft to check and complete, not a filing."""

from __future__ import annotations

import uuid

from django.template.loader import render_to_string
from django.utils import timezone

from aims.core.errors import ValidationError
from aims.core.pdf import html_to_pdf
from aims.improvement.selectors import incident_get
from aims.orgs.context import Ctx

TO_COMPLETE = "To complete before sending."


def serious_report_context(*, ctx: Ctx, incident_id: uuid.UUID, for_pdf: bool = False) -> dict:
    """What the report draft shows: the reporting organisation, the systems involved, the
    incident and its clock, the harm, what was done and what is still to do."""
    incident = incident_get(ctx=ctx, incident_id=incident_id)
    if not incident.serious_kind:
        raise ValidationError({"serious_kind": [
            f"{incident.ref} is not marked as a serious incident: choose its kind first."]})
    systems = list(incident.ai_systems.all())
    nc = incident.nonconformity
    return {
        "org": ctx.org, "incident": incident, "systems": systems, "nc": nc,
        "for_pdf": for_pdf, "printed": timezone.localtime(), "to_complete": TO_COMPLETE,
        "doc_kind": "Serious incident report — draft",
        "doc_title": f"{incident.ref} {incident.title}",
    }


def serious_report_pdf(*, ctx: Ctx, incident_id: uuid.UUID) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report draft as a PDF."""
    context = serious_report_context(ctx=ctx, incident_id=incident_id, for_pdf=True)
    content = html_to_pdf(render_to_string("improvement/serious_report.html", context))
    return (content, "application/pdf",
            f"{ctx.org.slug}-{context['incident'].ref.lower()}-serious-incident-report.pdf")
