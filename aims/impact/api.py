import uuid
from typing import Literal

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.api import VersionIn
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.impact import selectors, services
from aims.impact.models import Status as AssessmentStatus
from aims.impact.models import Trigger
from aims.impact.pdf import assessment_pdf, fria_pdf
from aims.impact.schemas import (
    AssessmentApproveIn,
    AssessmentIn,
    AssessmentOut,
    AssessmentPatch,
    ImpactIn,
    ImpactOut,
    ImpactPatch,
    ImpactSettingsOut,
    ImpactSettingsPatch,
    RaiseRiskIn,
)
from aims.orgs.api import OrgRequest, OrgRouter
from aims.records.approval import ReturnIn

router = OrgRouter()


class AssessmentQuery(Schema):
    ai_system: uuid.UUID | None = None
    status: AssessmentStatus | Literal[""] = ""
    due: Literal["", "overdue", "due_soon"] = ""
    trigger: Trigger | Literal[""] = ""


BASE = "/{slug}/impact-assessments"
ITEM = BASE + "/{assessment_id}"


def _get(ctx, assessment_id):
    return selectors.assessment_get(ctx=ctx, assessment_id=assessment_id)


@router.get(BASE, response=list[AssessmentOut])
@paginate(BoundedPagination)
def assessment_list(request: OrgRequest, slug: str, query: Query[AssessmentQuery]):
    """Impact assessments, every version; `status` filters on the status to act on."""
    ctx = request.ctx
    q = query.dict()
    filters = selectors.AssessmentFilters(
        ai_system=str(q["ai_system"] or ""), status=q["status"], due=q["due"],
        trigger=q["trigger"])
    return selectors.assessment_list(ctx=ctx, filters=filters, with_impacts=True)


@router.post(BASE, response={201: AssessmentOut}, perm="impact.change")
def assessment_create(request: OrgRequest, slug: str, payload: AssessmentIn):
    """Start the next version of an AI system's assessment as a draft."""
    ctx = request.ctx
    assessment = services.assessment_create(ctx=ctx, data=payload.dict())
    return Status(201, _get(ctx, assessment.pk))


@router.get(ITEM, response=AssessmentOut)
def assessment_get(request: OrgRequest, slug: str, assessment_id: uuid.UUID):
    return _get(request.ctx, assessment_id)


@router.patch(ITEM, response=AssessmentOut, perm="impact.change")
def assessment_update(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                      payload: AssessmentPatch):
    """Change a draft's trigger or sections."""
    ctx = request.ctx
    services.assessment_update(ctx=ctx, assessment_id=assessment_id, **payload.changes())
    return _get(ctx, assessment_id)


@router.delete(ITEM, perm="impact.change")
def assessment_delete(request: OrgRequest, slug: str, assessment_id: uuid.UUID, version: int):
    """Delete a draft; submitted assessments stay in the record."""
    services.assessment_delete(ctx=request.ctx, assessment_id=assessment_id, version=version)
    return Status(204, None)


@router.post(ITEM + "/submit", response=AssessmentOut, perm="impact.change")
def assessment_submit(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                      payload: VersionIn):
    """Send a complete draft for review."""
    ctx = request.ctx
    services.assessment_submit(ctx=ctx, assessment_id=assessment_id, version=payload.version)
    return _get(ctx, assessment_id)


@router.post(ITEM + "/approve", response=AssessmentOut, perm="impact.approve")
def assessment_approve(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                       payload: AssessmentApproveIn):
    """Approve an assessment in review (impact.approve; not by anyone who created, edited or
    submitted it since it was last sent back)."""
    ctx = request.ctx
    services.assessment_approve(ctx=ctx, assessment_id=assessment_id, version=payload.version,
                                comment=payload.comment, approved_on=payload.approved_on,
                                happened_on=payload.happened_on,
                                acknowledge_changes=payload.acknowledge_changes)
    return _get(ctx, assessment_id)


@router.post(ITEM + "/return", response=AssessmentOut, perm="impact.approve")
def assessment_return(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                      payload: ReturnIn):
    """Send an assessment in review back to draft, saying what must change."""
    ctx = request.ctx
    services.assessment_return(ctx=ctx, assessment_id=assessment_id, version=payload.version,
                               comment=payload.comment)
    return _get(ctx, assessment_id)


@router.get(ITEM + "/pdf", response={200: None})
def assessment_pdf_file(request: OrgRequest, slug: str, assessment_id: uuid.UUID):
    """The assessment as a PDF: every section, the impacts, the approval and the history."""
    return file_response(*assessment_pdf(ctx=request.ctx, assessment_id=assessment_id))


@router.get(ITEM + "/fria/pdf", response={200: None})
def fria_pdf_file(request: OrgRequest, slug: str, assessment_id: uuid.UUID):
    """The fundamental rights impact assessment (EU AI Act, Art. 27) as a PDF: the deployer's
    answers (fria_*) with the people affected, the harms and the oversight the assessment and
    the system record already hold."""
    return file_response(*fria_pdf(ctx=request.ctx, assessment_id=assessment_id))


@router.get(ITEM + "/impacts", response=list[ImpactOut])
@paginate(BoundedPagination)
def impact_list(request: OrgRequest, slug: str, assessment_id: uuid.UUID):
    return selectors.impact_list(ctx=request.ctx, assessment_id=assessment_id)


@router.post(ITEM + "/impacts", response={201: ImpactOut}, perm="impact.change")
def impact_create(request: OrgRequest, slug: str, assessment_id: uuid.UUID, payload: ImpactIn):
    """Add an impact to a draft."""
    ctx = request.ctx
    impact = services.impact_create(ctx=ctx, assessment_id=assessment_id, data=payload.dict())
    return Status(201, selectors.impact_get(ctx=ctx, assessment_id=assessment_id,
                                            impact_id=impact.pk))


@router.patch(ITEM + "/impacts/{impact_id}", response=ImpactOut, perm="impact.change")
def impact_update(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                  impact_id: uuid.UUID, payload: ImpactPatch):
    ctx = request.ctx
    services.impact_update(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id,
                           **payload.changes())
    return selectors.impact_get(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id)


@router.delete(ITEM + "/impacts/{impact_id}", perm="impact.change")
def impact_delete(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                  impact_id: uuid.UUID, version: int):
    services.impact_delete(ctx=request.ctx, assessment_id=assessment_id, impact_id=impact_id,
                           version=version)
    return Status(204, None)


@router.post(ITEM + "/impacts/{impact_id}/raise-risk", response={201: ImpactOut},
             perm="impact.change")
def impact_raise_risk(request: OrgRequest, slug: str, assessment_id: uuid.UUID,
                      impact_id: uuid.UUID, payload: RaiseRiskIn):
    """Create a risk in the register from a negative impact and link it (needs risks.change)."""
    ctx = request.ctx
    services.impact_raise_risk(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id,
                               version=payload.version,
                               data=payload.dict(exclude_unset=True, exclude={"version"}))
    return Status(201, selectors.impact_get(ctx=ctx, assessment_id=assessment_id,
                                            impact_id=impact_id))


@router.get("/{slug}/impact-settings", response=ImpactSettingsOut)
def impact_settings_get(request: OrgRequest, slug: str):
    """The organisation's re-assessment interval."""
    return selectors.impact_settings_get(ctx=request.ctx)


@router.patch("/{slug}/impact-settings", response=ImpactSettingsOut, perm="org.manage")
def impact_settings_update(request: OrgRequest, slug: str, payload: ImpactSettingsPatch):
    """Change the re-assessment interval (owners only); later approvals use the new one."""
    ctx = request.ctx
    services.impact_settings_update(ctx=ctx, **payload.changes())
    return selectors.impact_settings_get(ctx=ctx)
