"""Readiness in the API: the evaluation (the same JSON as `aims readiness --format json`),
saved snapshots, the mandatory documented information, the implementation plan and the
certification cycle."""

import datetime
import uuid

from django.utils import timezone
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.paging import BoundedPagination
from aims.orgs.api import OrgRequest, OrgRouter
from aims.readiness import selectors, services
from aims.readiness.documented import checklist
from aims.readiness.facts import Facts
from aims.readiness.schemas import (
    CertificationIn,
    CertificationOut,
    DocumentedOut,
    ExternalAuditIn,
    ExternalAuditOut,
    ExternalFindingIn,
    ExternalFindingOut,
    PlanIn,
    PlanOut,
    ReadinessOut,
    SnapshotIn,
    SnapshotOut,
)

router = OrgRouter()
PERM = services.PERM


class AsOf(Schema):
    as_of: datetime.date | None = None

    @property
    def day(self) -> datetime.date:
        return self.as_of or timezone.localdate()


@router.get("/{slug}/readiness", response=ReadinessOut)
def readiness(request: OrgRequest, slug: str, query: Query[AsOf]):
    """The Stage 1 verdict, the scores and every finding, as of a day (default today; a
    future day shows what will have lapsed by then)."""
    return selectors.readiness_evaluate(ctx=request.ctx, as_of=query.day).as_dict()


@router.get("/{slug}/readiness/documented-information", response=list[DocumentedOut])
def documented_information(request: OrgRequest, slug: str, query: Query[AsOf]):
    """The documented information ISO/IEC 42001 requires, and what in the record answers
    each item."""
    return checklist(Facts(ctx=request.ctx, as_of=query.day))


@router.get("/{slug}/readiness/snapshots", response=list[SnapshotOut])
@paginate(BoundedPagination)
def snapshot_list(request: OrgRequest, slug: str):
    return selectors.snapshot_list(ctx=request.ctx)


@router.post("/{slug}/readiness/snapshots", response={201: SnapshotOut}, perm=PERM)
def snapshot_save(request: OrgRequest, slug: str, payload: SnapshotIn):
    """Save an evaluation for the trend."""
    return Status(201, services.snapshot_save(ctx=request.ctx, as_of=payload.as_of))


@router.get("/{slug}/readiness/plan", response=PlanOut)
def plan_get(request: OrgRequest, slug: str):
    """The implementation plan (no target date and no steps before the first one is
    generated)."""
    return selectors.plan_get(ctx=request.ctx) or {"target_date": None, "generated_at": None,
                                                   "version": 0, "steps": []}


@router.post("/{slug}/readiness/plan", response=PlanOut, perm=PERM)
def plan_generate(request: OrgRequest, slug: str, payload: PlanIn):
    """Turn the open findings into owned, dated tasks toward the target date; regenerating
    adds tasks only for new findings and marks done those whose finding is gone."""
    services.plan_generate(ctx=request.ctx, target_date=payload.target_date,
                           owner=payload.owner)
    return selectors.plan_get(ctx=request.ctx)


@router.get("/{slug}/certifications", response=list[CertificationOut])
def certification_list(request: OrgRequest, slug: str):
    return selectors.certification_list(ctx=request.ctx)


@router.post("/{slug}/certifications", response={201: CertificationOut}, perm=PERM)
def certification_create(request: OrgRequest, slug: str, payload: CertificationIn):
    cert = services.certification_create(ctx=request.ctx, data=payload.dict())
    return Status(201, cert)


@router.post("/{slug}/certifications/{certification_id}/audits",
             response={201: ExternalAuditOut}, perm=PERM)
def external_audit_create(request: OrgRequest, slug: str, certification_id: uuid.UUID,
                          payload: ExternalAuditIn):
    audit = services.external_audit_create(ctx=request.ctx, certification_id=certification_id,
                                           data=payload.dict())
    return Status(201, selectors.external_audit_get(ctx=request.ctx, audit_id=audit.pk))


@router.post("/{slug}/external-audits/{external_audit_id}/findings",
             response={201: ExternalFindingOut}, perm=PERM)
def external_finding_record(request: OrgRequest, slug: str, external_audit_id: uuid.UUID,
                            payload: ExternalFindingIn):
    """Record the certification body's finding; it raises a nonconformity (major or minor)
    or an improvement (an opportunity for improvement)."""
    return Status(201, services.external_finding_record(
        ctx=request.ctx, audit_id=external_audit_id, data=payload.dict()))
