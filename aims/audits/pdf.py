"""An internal audit report on paper: the print view's HTML, and a PDF made from it by WeasyPrint."""

from __future__ import annotations

import uuid

from django.template.loader import render_to_string
from django.utils import timezone

from aims.audits.models import FINDINGS, LineResult
from aims.audits.selectors import (
    audit_get,
    audit_independence,
    line_list,
    result_counts,
)
from aims.core.pdf import html_to_pdf
from aims.evidence.models import Evidence
from aims.orgs.context import Ctx


def report_context(*, ctx: Ctx, audit_id, for_pdf: bool = False) -> dict:
    """Everything the report shows: scope, team, dates, criteria, summary, the results by
    requirement, the findings and the evidence relied on (with SHA-256 for files)."""
    audit = audit_get(ctx=ctx, audit_id=audit_id)
    lines = list(line_list(ctx=ctx, audit_id=audit.pk))
    evidence: dict[uuid.UUID, Evidence] = {}
    for line in lines:
        for e in line.evidence.all():
            evidence.setdefault(e.pk, e)
    counts = result_counts(ctx=ctx, audit=audit)
    return {
        "org": ctx.org, "audit": audit, "for_pdf": for_pdf, "lines": lines,
        "findings": [ln for ln in lines if ln.result in FINDINGS],
        "evidence": sorted(evidence.values(), key=lambda e: e.number),
        "counts": [(LineResult(k).label, v) for k, v in counts.items() if v],
        "warnings": audit_independence(ctx=ctx, audit=audit),
        "printed": timezone.localtime(),
    }


def audit_report_pdf(*, ctx: Ctx, audit_id) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the audit report as a PDF."""
    context = report_context(ctx=ctx, audit_id=audit_id, for_pdf=True)
    html = render_to_string("audits/report_print.html", context)
    content = html_to_pdf(html)
    a = context["audit"]
    return content, "application/pdf", f"{ctx.org.slug}-audit-report-{a.ref.lower()}.pdf"
