from typing import Literal

from ninja import Query, Schema

from aims.core.responses import file_response
from aims.frameworks import selectors, services
from aims.frameworks.exports import coverage_export
from aims.frameworks.schemas import FrameworkCoverageOut, ReportingIn, ReportingOut
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


@router.get("/{slug}/frameworks", response=ReportingOut)
def reporting_get(request: OrgRequest, slug: str):
    """The frameworks the organisation reports against, besides ISO/IEC 42001."""
    return selectors.reporting_get(ctx=request.ctx)


@router.put("/{slug}/frameworks", response=ReportingOut, perm=services.PERM)
def reporting_set(request: OrgRequest, slug: str, payload: ReportingIn):
    """Replace the list; quote the version you read (1 before the first choice)."""
    return services.reporting_frameworks_set(ctx=request.ctx, frameworks=payload.frameworks,
                                             version=payload.version)


class CoverageQuery(Schema):
    verdict: Literal["", "covered", "partial", "gap"] = ""
    q: str = ""
    format: Literal["json", "csv", "xlsx"] = "json"


@router.get("/{slug}/frameworks/{framework}/coverage", response={200: FrameworkCoverageOut})
def coverage_get(request: OrgRequest, slug: str, framework: str, query: Query[CoverageQuery]):
    """One row per requirement of the framework with its verdict (covered, partial or gap)
    and the ISO/IEC 42001 items that map to it; `format=csv|xlsx` downloads the same rows."""
    filters = selectors.CoverageFilters(verdict=query.verdict, q=query.q)
    if query.format != "json":
        return file_response(*coverage_export(ctx=request.ctx, code=framework, fmt=query.format,
                                              filters=filters))
    report = selectors.coverage_report(ctx=request.ctx, code=framework, filters=filters)
    return {"framework": report.framework.code, "total": report.total, "counts": report.counts,
            "rows": report.rows}
