"""The nonconformity register as CSV or XLSX: one row per nonconformity, with its corrective
actions, verification and ageing, filtered like the register page."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from aims.core.errors import ValidationError
from aims.core.tables import FORMATS, Column, render
from aims.improvement.models import NcStatus
from aims.improvement.selectors import (
    AGE_BUCKETS,
    AGE_LABELS,
    NcFilters,
    corrective_actions,
    nonconformity_list,
)
from aims.orgs.context import Ctx
from aims.records.kinds import resolve

COLUMNS = [
    Column("Ref", 9), Column("Title", 40, wrap=True), Column("Source", 18),
    Column("Origin", 30, wrap=True), Column("Requirement", 12), Column("Severity", 9),
    Column("Status", 18), Column("Raised on", 12), Column("Raised by", 26),
    Column("Days open", 9), Column("Age", 16), Column("Owner (e-mail)", 26),
    Column("Description", 60, wrap=True), Column("Correction", 50, wrap=True),
    Column("Corrected on", 12), Column("Root-cause method", 14),
    Column("Five whys", 60, wrap=True), Column("Analysis", 50, wrap=True),
    Column("Root cause", 50, wrap=True), Column("Corrective actions", 70, wrap=True),
    Column("Overdue actions", 9), Column("Verified by", 26), Column("Verified on", 12),
    Column("Effectiveness", 14), Column("Verification notes", 50, wrap=True),
    Column("Closed on", 12),
]


def _age_label(days: int, closed: bool) -> str:
    if closed:
        return ""
    for key, (low, high) in AGE_BUCKETS.items():
        if days >= low and (high is None or days <= high):
            return AGE_LABELS[key]
    return ""


def _action(t) -> str:
    parts = [t.ref, t.title, t.get_status_display().lower()]
    if t.owner_id:
        parts.append(t.owner.email)
    if t.due_date:
        parts.append(f"due {t.due_date.isoformat()}" + (" (overdue)" if t.overdue else ""))
    if t.completed_at:
        parts.append(f"done {timezone.localtime(t.completed_at):%Y-%m-%d}")
    return " — ".join(parts)


def nonconformity_rows(*, ctx: Ctx, filters: NcFilters | None = None) -> list[list]:
    """The register's rows in COLUMNS order (a bounded number of queries)."""
    ncs = list(nonconformity_list(ctx=ctx, filters=filters))
    actions = defaultdict(list)
    for t in (corrective_actions(ctx).filter(subject_id__in=[n.pk for n in ncs])
              .select_related("owner").order_by("number")):
        actions[t.subject_id].append(t)
    origins = resolve(ctx=ctx, refs=[n.subject_ref for n in ncs if n.subject_ref])
    today = timezone.localdate()
    rows = []
    for n in ncs:
        origin = origins.get(n.subject_ref) if n.subject_ref else None
        days = n.days_open(today)
        rows.append([
            n.ref, n.title, n.get_source_display(),
            f"{origin.label}: {origin.title}" if origin else "",
            n.requirement.ref if n.requirement is not None else "", n.get_severity_display(),
            NcStatus(n.status).label, n.raised_on.isoformat(),
            n.raised_by.email if n.raised_by is not None else "", days,
            _age_label(days, n.is_closed), n.owner.email if n.owner is not None else "",
            n.description, n.correction,
            n.corrected_on.isoformat() if n.corrected_on else "",
            n.get_rca_method_display() if n.rca_method else "",
            "\n".join(f"{i}. {w}" for i, w in enumerate(n.whys, start=1)),
            n.analysis, n.root_cause, "\n".join(_action(t) for t in actions[n.pk]),
            n.actions_overdue, n.verified_by.email if n.verified_by is not None else "",
            n.verified_on.isoformat() if n.verified_on else "",
            n.get_verification_result_display() if n.verification_result else "",
            n.verification_notes,
            f"{timezone.localtime(n.closed_at):%Y-%m-%d}" if n.closed_at else "",
        ])
    return rows


def nonconformity_export(*, ctx: Ctx, fmt: str,
                         filters: NcFilters | None = None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the register in `fmt` (csv or xlsx)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Choose csv or xlsx."]})
    content = render(fmt, COLUMNS, nonconformity_rows(ctx=ctx, filters=filters),
                     sheet="Nonconformities",
                     title=f"{ctx.org.name} — nonconformities and corrective actions")
    name = f"{ctx.org.slug}-nonconformities-{timezone.localdate():%Y%m%d}.{fmt}"
    return content, FORMATS[fmt], name
