import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import ErrorOut, InSchema, PatchSchema, patch_of
from aims.inventory.schemas import LinkedSystemOut
from aims.risks.models import (
    MAX_SCALE,
    MIN_SCALE,
    ActionStatus,
    RiskCategory,
    RiskLevel,
    RiskStatus,
)


def _scale_value():
    """A likelihood or impact value: the methodology decides how many levels there are."""
    return Field(None, ge=1, le=MAX_SCALE)



# ---------------------------------------------------------------------------- methodology


class ScaleLevel(Schema):
    value: int = Field(ge=1, le=MAX_SCALE)
    label: str = Field(min_length=1, max_length=60)
    criteria: str = Field(min_length=1, max_length=1000)


class Band(Schema):
    level: RiskLevel
    min: int = Field(ge=1, le=MAX_SCALE * MAX_SCALE)
    max: int = Field(ge=1, le=MAX_SCALE * MAX_SCALE)


class MethodologyIn(InSchema):
    based_on: int = Field(ge=0, description="The version number you started from; a stale "
                                            "one gets 409 with the latest version.")
    likelihood_scale: list[ScaleLevel] = Field(min_length=MIN_SCALE, max_length=MAX_SCALE)
    impact_scale: list[ScaleLevel] = Field(min_length=MIN_SCALE, max_length=MAX_SCALE)
    bands: list[Band] = Field(min_length=1, max_length=len(RiskLevel.values))
    acceptance_threshold: RiskLevel = RiskLevel.MEDIUM
    change_note: str = ""


class MethodologyOut(Schema):
    number: int
    likelihood_scale: list[ScaleLevel]
    impact_scale: list[ScaleLevel]
    bands: list[Band]
    acceptance_threshold: str
    change_note: str
    author_email: str | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_email(obj) -> str | None:
        return obj.author.email if obj.author_id else None


# ---------------------------------------------------------------------------- risks


class RiskIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    category: RiskCategory
    risk_source: str = ""
    ai_systems: list[uuid.UUID] = Field(default_factory=list,
                                        description="Ids of the AI systems the risk concerns.")
    owner: uuid.UUID | None = None
    inherent_likelihood: int | None = _scale_value()
    inherent_impact: int | None = _scale_value()
    treatment_option: str = Field("", description="accept, mitigate, transfer, avoid or empty.")
    treatment_rationale: str = ""
    controls: list[str] = Field(default_factory=list,
                                description="Annex A control references, e.g. A.6.2.6; each "
                                            "becomes applicable in the SoA.")
    source_tags: list[str] = Field(default_factory=list,
                                   description="Risk sources of the OWASP Top 10 for LLM "
                                               "applications, e.g. LLM01.")
    residual_likelihood: int | None = _scale_value()
    residual_impact: int | None = _scale_value()
    next_review: datetime.date | None = None
    status: RiskStatus = RiskStatus.IDENTIFIED
    enterprise_ref: str = Field("", max_length=100)


@patch_of(RiskIn)
class RiskPatch(PatchSchema):
    rescore: bool | None = Field(None, description="Rate the risk again under the current "
                                                   "methodology without changing its values.")


class RiskOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    description: str
    category: str
    risk_source: str
    ai_systems: list[LinkedSystemOut]
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    methodology_version: int
    inherent_likelihood: int | None
    inherent_impact: int | None
    inherent_score: int | None
    inherent_level: str | None
    treatment_option: str
    treatment_rationale: str
    controls: list[str]
    source_tags: list[str]
    residual_likelihood: int | None
    residual_impact: int | None
    residual_score: int | None
    residual_level: str | None
    acceptance_required: bool
    accepted_by: uuid.UUID | None = Field(None, alias="accepted_by_id")
    accepted_by_email: str | None = None
    accepted_at: datetime.datetime | None
    next_review: datetime.date | None
    review_overdue: bool
    status: str
    enterprise_ref: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ai_systems(obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.ai_systems.all()]

    @staticmethod
    def resolve_controls(obj) -> list[str]:
        return [c.requirement.ref for c in obj.controls.all()]

    @staticmethod
    def resolve_source_tags(obj) -> list[str]:
        return [r.ref for r in obj.source_tags.all()]

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None

    @staticmethod
    def resolve_accepted_by_email(obj) -> str | None:
        return obj.accepted_by.email if obj.accepted_by_id else None

    @staticmethod
    def resolve_methodology_version(obj) -> int:
        return obj.methodology.number


class RiskImportIn(InSchema):
    csv: str = Field(min_length=1, description="The text of a CSV file whose first row names "
                                               "the columns (the titles of the export).")


class ImportProblemOut(Schema):
    row: int
    column: str
    message: str


class RiskImportOut(Schema):
    created: int
    refs: list[str]


class RiskImportRejectedOut(ErrorOut):
    """A refused import: every refused row, column and rule in `problems` (none when the
    request itself was malformed)."""

    problems: list[ImportProblemOut] = []


# ---------------------------------------------------------------------------- actions


class TreatmentActionIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    owner: uuid.UUID | None = None
    due_date: datetime.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    notes: str = ""


@patch_of(TreatmentActionIn)
class TreatmentActionPatch(PatchSchema):
    pass


class TreatmentActionOut(Schema):
    id: uuid.UUID
    risk: uuid.UUID = Field(alias="risk_id")
    risk_ref: str
    title: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    due_date: datetime.date | None
    status: str
    overdue: bool
    notes: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_risk_ref(obj) -> str:
        return obj.risk.ref

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None
