"""The risk register as CSV or XLSX: one row per risk, every column, in the register's order.

The same column titles are what an import reads (aims.risks.imports), so an exported file,
with its references removed, can be imported into another organisation.
"""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.utils import timezone

from aims.core.errors import ValidationError
from aims.core.tables import FORMATS, Column, render
from aims.orgs.context import Ctx
from aims.risks.models import RiskLevel, TreatmentAction
from aims.risks.selectors import RiskFilters, risk_list

COLUMNS = [
    Column("Ref", 9), Column("Title", 40, wrap=True), Column("Description", 60, wrap=True),
    Column("Category", 28), Column("Risk source", 40, wrap=True),
    Column("AI systems", 30, wrap=True), Column("Owner (e-mail)", 28),
    Column("Methodology version", 12),
    Column("Inherent likelihood", 11), Column("Inherent impact", 11),
    Column("Inherent score", 10), Column("Inherent level", 11),
    Column("Treatment option", 16), Column("Treatment rationale", 50, wrap=True),
    Column("Annex A controls", 22, wrap=True), Column("Treatment actions", 60, wrap=True),
    Column("Residual likelihood", 11), Column("Residual impact", 11),
    Column("Residual score", 10), Column("Residual level", 11),
    Column("Sign-off required", 10), Column("Accepted by", 28), Column("Accepted at", 18),
    Column("Next review", 12), Column("Status", 14), Column("Enterprise risk reference", 18),
]

# Columns aims works out itself: an import skips them.
COMPUTED = ("Methodology version", "Inherent score", "Inherent level", "Residual score",
            "Residual level", "Sign-off required", "Accepted by", "Accepted at",
            "Treatment actions")


def _level(level: str | None) -> str:
    return RiskLevel(level).label if level else ""


def _action(a: TreatmentAction) -> str:
    parts = [a.title, a.get_status_display().lower()]
    if a.owner is not None:
        parts.append(a.owner.email)
    if a.due_date:
        parts.append(f"due {a.due_date.isoformat()}")
    return " — ".join(parts)


def risk_rows(*, ctx: Ctx, filters: RiskFilters | None = None) -> list[list]:
    """The register's rows in COLUMNS order (a bounded number of queries)."""
    qs = risk_list(ctx=ctx, filters=filters).prefetch_related(
        Prefetch("actions", queryset=TreatmentAction.all_orgs.select_related("owner")
                 .order_by(F("due_date").asc(nulls_last=True), "created_at")))
    rows = []
    for r in qs:
        rows.append([
            r.ref, r.title, r.description, r.get_category_display(), r.risk_source,
            "; ".join(s.name for s in r.ai_systems.all()),
            r.owner.email if r.owner is not None else "", r.methodology.number,
            r.inherent_likelihood, r.inherent_impact, r.inherent_score,
            _level(r.inherent_level), r.get_treatment_option_display(), r.treatment_rationale,
            "; ".join(c.requirement.ref for c in r.controls.all()),
            "\n".join(_action(a) for a in r.actions.all()),
            r.residual_likelihood, r.residual_impact, r.residual_score,
            _level(r.residual_level), r.acceptance_required,
            r.accepted_by.email if r.accepted_by is not None else "",
            timezone.localtime(r.accepted_at).strftime("%Y-%m-%d %H:%M") if r.accepted_at else "",
            r.next_review.isoformat() if r.next_review else "", r.get_status_display(),
            r.enterprise_ref,
        ])
    return rows


def risk_export(*, ctx: Ctx, fmt: str,
                filters: RiskFilters | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the register in `fmt` (csv or xlsx)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Choose csv or xlsx."]})
    content = render(fmt, COLUMNS, risk_rows(ctx=ctx, filters=filters), sheet="AI risk register",
                     title=f"{ctx.org.name} — AI risk register")
    name = f"{ctx.org.slug}-risks-{timezone.localdate():%Y%m%d}.{fmt}"
    return content, FORMATS[fmt], name
