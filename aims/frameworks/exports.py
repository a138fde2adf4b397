"""The coverage export: one row per requirement of the target framework."""

from __future__ import annotations

from django.utils import timezone

from aims.core.errors import ValidationError
from aims.core.tables import FORMATS, Column, render
from aims.frameworks.selectors import CoverageFilters, CoverageReport, coverage_report
from aims.orgs.context import Ctx

COLUMNS = [
    Column("Ref", 14), Column("Title", 45, wrap=True), Column("Verdict", 10),
    Column("Why", 45, wrap=True), Column("ISO/IEC 42001 items", 40, wrap=True),
    Column("Their status", 50, wrap=True), Column("Evidence", 10),
    Column("Mapping coverage", 40, wrap=True), Column("Applies from", 24),
]


def coverage_rows(report: CoverageReport) -> list[list]:
    rows = []
    for r in report.rows:
        rows.append([
            r.ref, r.title, r.verdict, r.reason,
            "; ".join(i.ref for i in r.items),
            "; ".join(f"{i.ref}: {i.status}" for i in r.items),
            sum(i.evidence_count for i in r.items),
            "; ".join(f"{i.ref}: {i.coverage}" for i in r.items),
            ", ".join(d["date"] for d in r.applies_from),
        ])
    return rows


def coverage_export(*, ctx: Ctx, code: str, fmt: str,
                    filters: CoverageFilters | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of one framework's coverage in `fmt` (csv or xlsx)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Choose csv or xlsx."]})
    report = coverage_report(ctx=ctx, code=code, filters=filters)
    content = render(fmt, COLUMNS, coverage_rows(report), sheet="Coverage",
                     title=f"{ctx.org.name} — coverage of {report.framework.name} "
                           "by the ISO/IEC 42001 record")
    name = f"{ctx.org.slug}-coverage-{code}-{timezone.localdate():%Y%m%d}.{fmt}"
    return content, FORMATS[fmt], name
