"""The executive brief: one page on where the AIMS stands, read from every domain's selectors,
on screen and as a PDF."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import timezone

from aims.core.pdf import html_to_pdf
from aims.improvement.models import NcStatus
from aims.improvement.selectors import incidents_between, nonconformity_list
from aims.inventory.selectors import eu_class_counts
from aims.orgs.context import Ctx
from aims.readiness import charts, report, selectors
from aims.reviews.inputs import end_of
from aims.risks.selectors import RiskFilters, risk_list
from aims.tasks.selectors import TaskFilters, task_list

SHOWN = 5  # rows of each list on the page: it must stay one page


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def brief_context(*, ctx: Ctx, for_pdf: bool = False) -> dict:
    """Everything the brief shows (a fixed number of queries, whatever the record's size)."""
    day = report.judgement_day(ctx=ctx)
    evaluation = selectors.readiness_evaluate(ctx=ctx, as_of=day.as_of)
    today = day.today
    overdue = task_list(ctx=ctx, filters=TaskFilters(overdue=True))
    ncs = nonconformity_list(ctx=ctx).exclude(status=NcStatus.CLOSED)
    since = quarter_start(today)
    incidents = incidents_between(ctx=ctx, after=end_of(since - datetime.timedelta(days=1)),
                                  before=end_of(today))
    shown: dict[str, Sequence[object]] = {
        "overdue": list(overdue[:SHOWN]), "ncs": list(ncs[:SHOWN]),
        "incidents": list(incidents.reverse()[:SHOWN])}
    counts = {"overdue": overdue.count(), "ncs": ncs.count(), "incidents": incidents.count()}
    return {
        "org": ctx.org, "day": day, "evaluation": evaluation, "for_pdf": for_pdf,
        "counts": report.counts(evaluation), "missing": report.missing_documented(evaluation),
        "trend": charts.trend(selectors.trend(ctx=ctx), id="brief-trend"),
        "risks": list(risk_list(ctx=ctx, filters=RiskFilters(status="open",
                                                             sort="-residual"))[:SHOWN]),
        "eu_classes": eu_class_counts(ctx=ctx),
        **shown, "overdue_count": counts["overdue"], "nc_count": counts["ncs"],
        "incident_count": counts["incidents"],
        "overdue_more": counts["overdue"] - len(shown["overdue"]),
        "nc_more": counts["ncs"] - len(shown["ncs"]),
        "incident_more": counts["incidents"] - len(shown["incidents"]),
        "quarter_start": since, "printed": timezone.localtime(),
    }


def brief_pdf(*, ctx: Ctx) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the brief as a one-page PDF."""
    content = html_to_pdf(render_to_string("readiness/brief_print.html",
                                           brief_context(ctx=ctx, for_pdf=True)))
    return (content, "application/pdf",
            f"{ctx.org.slug}-executive-brief-{timezone.localdate():%Y%m%d}.pdf")
