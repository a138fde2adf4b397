"""The risk register as CSV or XLSX: one row per risk, every column, in the register's order.

The same column titles are what an import reads (aims.risks.imports), so an exported file,
with its references removed, can be imported into another organisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F
from django.utils import timezone

from aims.core.errors import ValidationError
from aims.core.tables import FORMATS, Column, render_stream, xlsx_write
from aims.inventory.selectors import ai_system_choices
from aims.jobs.kinds import JobRun
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_choices
from aims.risks.forms import RiskFilterForm
from aims.risks.models import (
    ActionStatus,
    Risk,
    RiskLevel,
    RiskMethodology,
    RiskStatus,
    TreatmentAction,
    level_above,
    risk_score,
)
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


def _action(title: str, status: str, owner_email: str | None, due) -> str:
    parts = [title, ACTION_STATUS[status].lower()]
    if owner_email is not None:
        parts.append(owner_email)
    if due:
        parts.append(f"due {due.isoformat()}")
    return " — ".join(parts)


ACTION_STATUS = dict(ActionStatus.choices)
CATEGORY = dict(Risk._meta.get_field("category").flatchoices)
TREATMENT = dict(Risk._meta.get_field("treatment_option").flatchoices)
STATUS = dict(RiskStatus.choices)
FIELDS = ("id", "ref", "title", "description", "category", "risk_source", "owner__email",
          "methodology_id", "inherent_likelihood", "inherent_impact", "treatment_option",
          "treatment_rationale", "residual_likelihood", "residual_impact",
          "accepted_by__email", "accepted_at", "next_review", "status", "enterprise_ref")


def _grouped(rows) -> dict[Any, list]:
    out: dict[Any, list] = {}
    for risk_id, *rest in rows:
        out.setdefault(risk_id, []).append(rest[0] if len(rest) == 1 else rest)
    return out


def risk_rows(*, ctx: Ctx, filters: RiskFilters | None = None) -> Iterator[list]:
    """The register's rows in COLUMNS order, one at a time (five queries, whatever the size of
    the register). Read as plain values, not model objects: a register of 20,000 risks with
    their systems, controls and actions would otherwise build some 150,000 objects."""
    risks = risk_list(ctx=ctx, filters=filters)
    ids = risks.order_by().values("pk")
    methodologies = {m.pk: m for m in RiskMethodology.objects.for_org(ctx.org)}
    systems = _grouped(Risk.ai_systems.through.objects.filter(risk_id__in=ids)
                       .order_by("aisystem__name").values_list("risk_id", "aisystem__name"))
    controls = _grouped(Risk.controls.through.objects.filter(risk_id__in=ids)
                        .order_by("complianceitem__requirement__sort_key")
                        .values_list("risk_id", "complianceitem__requirement__ref"))
    actions = _grouped(TreatmentAction.objects.for_org(ctx.org).filter(risk_id__in=ids)
                       .order_by(F("due_date").asc(nulls_last=True), "created_at")
                       .values_list("risk_id", "title", "status", "owner__email", "due_date"))
    for r in risks.prefetch_related(None).values(*FIELDS).iterator(chunk_size=2000):
        m = methodologies[r["methodology_id"]]
        inherent = risk_score(r["inherent_likelihood"], r["inherent_impact"])
        residual = risk_score(r["residual_likelihood"], r["residual_impact"])
        inherent_level, residual_level = m.level_for(inherent), m.level_for(residual)
        current = residual_level if residual is not None else inherent_level
        yield [
            r["ref"], r["title"], r["description"], CATEGORY.get(r["category"], r["category"]),
            r["risk_source"], "; ".join(systems.get(r["id"], ())), r["owner__email"] or "",
            m.number, r["inherent_likelihood"], r["inherent_impact"], inherent,
            _level(inherent_level), TREATMENT.get(r["treatment_option"], r["treatment_option"]),
            r["treatment_rationale"], "; ".join(controls.get(r["id"], ())),
            "\n".join(_action(*a) for a in actions.get(r["id"], ())),
            r["residual_likelihood"], r["residual_impact"], residual, _level(residual_level),
            level_above(current, m.acceptance_threshold), r["accepted_by__email"] or "",
            timezone.localtime(r["accepted_at"]).strftime("%Y-%m-%d %H:%M")
            if r["accepted_at"] else "",
            r["next_review"].isoformat() if r["next_review"] else "", STATUS[r["status"]],
            r["enterprise_ref"],
        ]


def risk_export(*, ctx: Ctx, fmt: str,
                filters: RiskFilters | None = None) -> tuple[bytes | Iterator[bytes], str, str]:
    """(content, content type, file name) of the register in `fmt` (csv or xlsx)."""
    if fmt not in FORMATS:
        raise ValidationError({"format": ["Choose csv or xlsx."]})
    # A CSV streams as it is read; an XLSX is built whole (it is zipped), row by row.
    content = render_stream(fmt, COLUMNS, risk_rows(ctx=ctx, filters=filters),
                            sheet="AI risk register", title=f"{ctx.org.name} — AI risk register")
    name = f"{ctx.org.slug}-risks-{timezone.localdate():%Y%m%d}.{fmt}"
    return content, FORMATS[fmt], name


# ------------------------------------------------------------------- as a background job

FILTER_FIELDS = tuple(RiskFilterForm.base_fields)


def risk_xlsx_clean(params: dict) -> dict:
    """The register's filters, as its page sends them; anything else is refused, naming it."""
    unknown = sorted(set(params) - set(FILTER_FIELDS))
    if unknown:
        raise ValidationError(f"Unknown filter(s): {', '.join(unknown)}.", field="params")
    cleaned = {k: str(v) for k, v in params.items() if v not in (None, "")}
    # Owner and AI system are checked against the organisation when the job runs.
    form = RiskFilterForm({k: v for k, v in cleaned.items() if k not in ("owner", "ai_system")},
                          owner_choices=[], system_choices=[])
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise ValidationError(" ".join(str(e) for e in errors), field=f"params.{name}")
    return cleaned


def risk_xlsx_run(run: JobRun) -> None:
    """The register (filtered like its page) as XLSX, written into the job's file with
    progress: for registers too large to wait for in a request."""
    ctx = run.ctx
    form = RiskFilterForm(run.params or None, owner_choices=member_choices(ctx=ctx),
                          system_choices=ai_system_choices(ctx=ctx))
    if run.params and not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise ValidationError(f"{name}: {' '.join(str(e) for e in errors)}",
                              field=f"params.{name}")
    filters = form.filters()
    total = risk_list(ctx=ctx, filters=filters).count()
    run.progress(0, total, f"Writing {total} risks.")
    written = xlsx_write(run.out, COLUMNS, risk_rows(ctx=ctx, filters=filters),
                         sheet="AI risk register", title=f"{ctx.org.name} — AI risk register",
                         progress=lambda n: run.progress(n, total, f"{n} of {total} risks "
                                                                   "written."))
    run.progress(written, total, f"{written} risks written.")
    run.result(f"{ctx.org.slug}-risks-{timezone.localdate():%Y%m%d}.xlsx", FORMATS["xlsx"])
