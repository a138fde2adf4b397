import datetime

from ninja import Field, Query, Schema

from aims.exchange.pack import period_of
from aims.exchange.serve import audit_pack_response
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class PackQuery(Schema):
    start: datetime.date | None = Field(
        None, alias="from", description="First day of the period (default a year before 'to').")
    end: datetime.date | None = Field(
        None, alias="to", description="Last day of the period (default today).")


@router.get("/{slug}/audit-pack", response={200: None}, perm="org.view")
def audit_pack(request: OrgRequest, slug: str, query: Query[PackQuery]):
    """Everything an auditor asks for about a period, in one ZIP (application/zip): index.html,
    manifest.json (SHA-256 of every file), SoA, risk register, impact assessments, documents in
    force, evidence covering the period, audit reports, management reviews, nonconformities,
    the activity log with its chain check, and the readiness report."""
    return audit_pack_response(ctx=request.ctx, period=period_of(query.start, query.end))
