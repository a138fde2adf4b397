import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, PatchSchema, VersionIn, patch_of
from aims.impact.models import (
    Area,
    ImpactRating,
    Likelihood,
    Nature,
    Reversibility,
    Scale,
    Severity,
    Trigger,
)
from aims.records import approval


class ImpactIn(InSchema):
    area: Area
    nature: Nature = Nature.NEGATIVE
    description: str = Field(min_length=1)
    severity: Severity = Field(description="1 negligible … 5 severe, before mitigations.")
    likelihood: Likelihood = Field(description="1 rare … 5 almost certain, before mitigations.")
    reversibility: Reversibility
    scale: Scale
    mitigations: str = ""
    residual_rating: ImpactRating | None = Field(
        None, description="Required for a negative impact: what remains after mitigations.")


@patch_of(ImpactIn)
class ImpactPatch(PatchSchema):
    pass


class ImpactOut(Schema):
    id: uuid.UUID
    assessment: uuid.UUID = Field(alias="assessment_id")
    area: str
    nature: str
    description: str
    severity: int
    likelihood: int
    reversibility: str
    scale: str
    mitigations: str
    residual_rating: str
    linked_risk: uuid.UUID | None = Field(None, alias="linked_risk_id")
    linked_risk_ref: str | None = None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_linked_risk_ref(obj) -> str | None:
        return obj.linked_risk.ref if obj.linked_risk_id else None


class AssessmentIn(InSchema):
    ai_system: uuid.UUID
    trigger: Trigger | None = Field(
        None, description="Omitted: initial for a system's first assessment, otherwise what "
                          "the record suggests (significant change, planned interval, other).")
    trigger_note: str = ""
    copy_previous: bool = Field(
        True, description="Start from the previous version's sections and impacts.")
    intended_purpose: str = ""
    context_of_use: str = ""
    foreseeable_misuse: str = ""
    affected_individuals: str = ""
    affected_groups: str = ""
    societal_effects: str = ""
    conclusion: str = ""
    fria_required: bool = Field(False, description="A fundamental rights impact assessment "
                                "(EU AI Act Art. 27) is needed: the fria_ texts are then "
                                "required before review.")
    fria_process: str = ""
    fria_period: str = ""
    fria_measures: str = ""
    fria_notified_on: datetime.date | None = None


# The AI system and where a draft starts from are fixed when it is created.
@patch_of(AssessmentIn, exclude=("ai_system", "copy_previous"))
class AssessmentPatch(PatchSchema):
    pass


class AssessmentOut(Schema):
    id: uuid.UUID
    ai_system: uuid.UUID = Field(alias="ai_system_id")
    ai_system_name: str
    number: int = Field(description="The assessment's version for its AI system: 1, 2, 3…")
    trigger: str
    trigger_note: str
    status: str = Field(description="The stored status.")
    state: str = Field(description="The status to act on: an approved assessment past its due "
                                   "date needs re-assessment.")
    overdue: bool
    intended_purpose: str
    context_of_use: str
    foreseeable_misuse: str
    affected_individuals: str
    affected_groups: str
    societal_effects: str
    conclusion: str
    fria_required: bool
    fria_process: str
    fria_period: str
    fria_measures: str
    fria_notified_on: datetime.date | None
    author: uuid.UUID | None = Field(None, alias="author_id")
    submitted_at: datetime.datetime | None
    submitted_by: uuid.UUID | None = Field(None, alias="submitted_by_id")
    review_comment: str
    reviewed_by: uuid.UUID | None = Field(None, alias="reviewed_by_id")
    reviewed_at: datetime.datetime | None
    approved_by: uuid.UUID | None = Field(None, alias="approved_by_id")
    approved_on: datetime.date | None
    recorded_later_on: datetime.date | None = Field(
        None, description="When the approval was entered on a later day than approved_on (a "
                          "past sign-off recorded afterwards): that day; reviewed_by entered it.")
    next_due: datetime.date | None
    reassessment_reason: str
    flagged_change: uuid.UUID | None = Field(None, alias="flagged_change_id")
    pending_change_note: str = Field(description=(
        "Significant changes to the system recorded while this version was a draft or in "
        "review; non-empty means the approver must send acknowledge_changes: true."))
    impacts: list[ImpactOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ai_system_name(obj) -> str:
        return obj.ai_system.name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_impacts(obj) -> list:
        return list(obj.impacts.all())


class AssessmentApproveIn(approval.ApproveIn):
    acknowledge_changes: bool = Field(
        False, description="Required (true) when pending_change_note is set: you confirm the "
                           "assessment takes the significant changes recorded while it was "
                           "open into account.")


class RaiseRiskIn(VersionIn):
    version: int = Field(description="The impact's version you read.")
    title: str | None = Field(None, max_length=200,
                              description="Defaults to the impact's description.")
    owner: uuid.UUID | None = Field(None, description="Defaults to the AI system's owner.")


class ImpactSettingsOut(Schema):
    reassessment_interval_months: int
    version: int


class ImpactSettingsPatch(PatchSchema):
    reassessment_interval_months: int | None = Field(None, ge=1, le=60)
