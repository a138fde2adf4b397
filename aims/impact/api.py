import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from aims.core.paging import BoundedPagination
from aims.core.responses import file_response
from aims.impact import selectors, services
from aims.impact.models import Status as AssessmentStatus
from aims.impact.models import Trigger
from aims.impact.pdf import assessment_pdf
from aims.impact.schemas import (
    ApproveIn,
    AssessmentIn,
    AssessmentOut,
    AssessmentPatch,
    ImpactIn,
    ImpactOut,
    ImpactPatch,
    ImpactSettingsOut,
    ImpactSettingsPatch,
    RaiseRiskIn,
    ReturnIn,
    SubmitIn,
)
from aims.orgs.api import Deleted, api_ctx

router = Router()


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
def assessment_list(request: HttpRequest, slug: str, query: Query[AssessmentQuery]):
    """Impact assessments, every version; `status` filters on the status to act on."""
    ctx = api_ctx(request, slug)
    q = query.dict()
    filters = selectors.AssessmentFilters(
        ai_system=str(q["ai_system"] or ""), status=q["status"], due=q["due"],
        trigger=q["trigger"])
    return selectors.assessment_list(ctx=ctx, filters=filters, with_impacts=True)


@router.post(BASE, response={201: AssessmentOut})
def assessment_create(request: HttpRequest, slug: str, payload: AssessmentIn):
    """Start the next version of an AI system's assessment as a draft."""
    ctx = api_ctx(request, slug)
    assessment = services.assessment_create(ctx=ctx, data=payload.dict())
    return Status(201, _get(ctx, assessment.pk))


@router.get(ITEM, response=AssessmentOut)
def assessment_get(request: HttpRequest, slug: str, assessment_id: uuid.UUID):
    return _get(api_ctx(request, slug), assessment_id)


@router.patch(ITEM, response=AssessmentOut)
def assessment_update(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                      payload: AssessmentPatch):
    """Change a draft's trigger or sections."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.assessment_update(ctx=ctx, assessment_id=assessment_id, data=data, version=version)
    return _get(ctx, assessment_id)


@router.delete(ITEM, response=Deleted)
def assessment_delete(request: HttpRequest, slug: str, assessment_id: uuid.UUID, version: int):
    """Delete a draft; submitted assessments stay in the record."""
    services.assessment_delete(ctx=api_ctx(request, slug), assessment_id=assessment_id,
                               version=version)
    return Deleted()


@router.post(ITEM + "/submit", response=AssessmentOut)
def assessment_submit(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                      payload: SubmitIn):
    """Send a complete draft for review."""
    ctx = api_ctx(request, slug)
    services.assessment_submit(ctx=ctx, assessment_id=assessment_id, version=payload.version)
    return _get(ctx, assessment_id)


@router.post(ITEM + "/approve", response=AssessmentOut)
def assessment_approve(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                       payload: ApproveIn):
    """Approve an assessment in review (impact.approve; not by anyone who created, edited or
    submitted it since it was last sent back)."""
    ctx = api_ctx(request, slug)
    services.assessment_approve(ctx=ctx, assessment_id=assessment_id, version=payload.version,
                                comment=payload.comment, approved_on=payload.approved_on,
                                acknowledge_changes=payload.acknowledge_changes)
    return _get(ctx, assessment_id)


@router.post(ITEM + "/return", response=AssessmentOut)
def assessment_return(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                      payload: ReturnIn):
    """Send an assessment in review back to draft, saying what must change."""
    ctx = api_ctx(request, slug)
    services.assessment_return(ctx=ctx, assessment_id=assessment_id, version=payload.version,
                               comment=payload.comment)
    return _get(ctx, assessment_id)


@router.get(ITEM + "/pdf", response={200: None})
def assessment_pdf_file(request: HttpRequest, slug: str, assessment_id: uuid.UUID):
    """The assessment as a PDF: every section, the impacts, the approval and the history."""
    return file_response(*assessment_pdf(ctx=api_ctx(request, slug),
                                         assessment_id=assessment_id))


@router.get(ITEM + "/impacts", response=list[ImpactOut])
@paginate(BoundedPagination)
def impact_list(request: HttpRequest, slug: str, assessment_id: uuid.UUID):
    return selectors.impact_list(ctx=api_ctx(request, slug), assessment_id=assessment_id)


@router.post(ITEM + "/impacts", response={201: ImpactOut})
def impact_create(request: HttpRequest, slug: str, assessment_id: uuid.UUID, payload: ImpactIn):
    """Add an impact to a draft."""
    ctx = api_ctx(request, slug)
    impact = services.impact_create(ctx=ctx, assessment_id=assessment_id, data=payload.dict())
    return Status(201, selectors.impact_get(ctx=ctx, assessment_id=assessment_id,
                                            impact_id=impact.pk))


@router.patch(ITEM + "/impacts/{impact_id}", response=ImpactOut)
def impact_update(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                  impact_id: uuid.UUID, payload: ImpactPatch):
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.impact_update(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id, data=data,
                           version=version)
    return selectors.impact_get(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id)


@router.delete(ITEM + "/impacts/{impact_id}", response=Deleted)
def impact_delete(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                  impact_id: uuid.UUID, version: int):
    services.impact_delete(ctx=api_ctx(request, slug), assessment_id=assessment_id,
                           impact_id=impact_id, version=version)
    return Deleted()


@router.post(ITEM + "/impacts/{impact_id}/raise-risk", response={201: ImpactOut})
def impact_raise_risk(request: HttpRequest, slug: str, assessment_id: uuid.UUID,
                      impact_id: uuid.UUID, payload: RaiseRiskIn):
    """Create a risk in the register from a negative impact and link it (needs risks.change)."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.impact_raise_risk(ctx=ctx, assessment_id=assessment_id, impact_id=impact_id,
                               version=version, data=data)
    return Status(201, selectors.impact_get(ctx=ctx, assessment_id=assessment_id,
                                            impact_id=impact_id))


@router.get("/{slug}/impact-settings", response=ImpactSettingsOut)
def impact_settings_get(request: HttpRequest, slug: str):
    """The organisation's re-assessment interval."""
    return selectors.impact_settings_get(ctx=api_ctx(request, slug))


@router.patch("/{slug}/impact-settings", response=ImpactSettingsOut)
def impact_settings_update(request: HttpRequest, slug: str, payload: ImpactSettingsPatch):
    """Change the re-assessment interval (owners only); later approvals use the new one."""
    ctx = api_ctx(request, slug)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.impact_settings_update(ctx=ctx, data=data, version=version)
    return selectors.impact_settings_get(ctx=ctx)
