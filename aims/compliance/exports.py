"""The Statement of Applicability export: one row per Annex A control, every column."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from aims.compliance.selectors import soa_linked_risks, soa_list
from aims.core.errors import ValidationError
from aims.core.pdf import html_to_pdf
from aims.core.tables import FORMATS, Column, render
from aims.orgs.context import Ctx

COLUMNS = [
    Column("Control", 10), Column("Title", 40, wrap=True), Column("Domain", 30, wrap=True),
    Column("Applicable", 12), Column("Reason for inclusion", 22),
    Column("Justification", 60, wrap=True), Column("Implementation status", 22),
    Column("Owner", 28), Column("Implementation notes", 60, wrap=True),
    Column("Last reviewed", 14), Column("Linked risks", 40, wrap=True),
]


def _applicable(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not decided"}[value]


def soa_rows(*, ctx: Ctx) -> list[list]:
    """The SoA as rows of COLUMNS, in control order: what every format of the export shows."""
    rows = []
    items = list(soa_list(ctx=ctx, risks=False))
    linked = soa_linked_risks(items=items)
    for item in items:
        req = item.requirement
        rows.append([
            req.ref, req.title, f"{req.domain} {req.framework.domain_title(req.domain)}",
            _applicable(item.applicable), item.get_inclusion_reason_display(),
            # An excluded control has no implementation to report.
            item.justification, "" if item.applicable is False else item.get_status_display(),
            item.owner.display_name if item.owner else "", item.notes,
            item.last_reviewed.isoformat() if item.last_reviewed else "",
            "; ".join(f"{ref} {title}" for ref, title in linked[item.pk]),
        ])
    return rows


def soa_export(*, ctx: Ctx, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the SoA in `fmt` (csv or xlsx)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Choose csv or xlsx."]})
    content = render(fmt, COLUMNS, soa_rows(ctx=ctx), sheet="Statement of Applicability",
                     title=f"{ctx.org.name} — Statement of Applicability (ISO/IEC 42001:2023)")
    name = f"{ctx.org.slug}-soa-{timezone.localdate():%Y%m%d}.{fmt}"
    return content, FORMATS[fmt], name


def soa_pdf(*, ctx: Ctx) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the SoA on paper: the same rows as the
    spreadsheet, landscape, one table."""
    html = render_to_string("compliance/soa_print.html", {
        "org": ctx.org, "columns": COLUMNS, "rows": soa_rows(ctx=ctx),
        "printed": timezone.localtime()})
    return (html_to_pdf(html), "application/pdf",
            f"{ctx.org.slug}-soa-{timezone.localdate():%Y%m%d}.pdf")
