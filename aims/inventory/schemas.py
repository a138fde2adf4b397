import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, PatchSchema, patch_of
from aims.inventory.models import (
    EuRiskClass,
    LifecycleStage,
    OrgRole,
    ResourceKind,
    SystemStatus,
)


class AISystemIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    intended_purpose: str = Field(min_length=1)
    description: str = ""
    owner: uuid.UUID | None = None
    business_unit: str = ""
    lifecycle_stage: LifecycleStage = LifecycleStage.CONCEPT
    roles: list[OrgRole] = Field(min_length=1)
    in_scope: bool = True
    scope_justification: str = ""
    deployment_context: str = ""
    affected_parties: str = ""
    data_categories: str = ""
    processes_personal_data: bool = False
    human_oversight: str = ""
    third_party_components: str = ""
    eu_risk_class: EuRiskClass = Field(
        EuRiskClass.UNASSESSED,
        description="Set by the classification (PUT …/classification); setting it here is an "
                    "override that needs eu_class_override_reason.")
    eu_class_override_reason: str = ""
    status: SystemStatus = SystemStatus.ACTIVE


@patch_of(AISystemIn)
class AISystemPatch(PatchSchema):
    pass


class AISystemOut(Schema):
    id: uuid.UUID
    name: str
    intended_purpose: str
    description: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    business_unit: str
    lifecycle_stage: str
    roles: list[str]
    in_scope: bool
    scope_justification: str
    deployment_context: str
    affected_parties: str
    data_categories: str
    processes_personal_data: bool
    human_oversight: str
    third_party_components: str
    eu_risk_class: str
    eu_class_override_reason: str
    eu_class_overridden: bool
    status: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None


class SystemChangeIn(InSchema):
    description: str = Field(min_length=1, description="What changed.")
    significant: bool = Field(
        False, description="A significant change marks the system's current impact assessment "
                           "as needing re-assessment.")
    changed_on: datetime.date | None = Field(None, description="When it took effect; today if "
                                                                "omitted.")


class SystemChangeOut(Schema):
    id: uuid.UUID
    ai_system: uuid.UUID = Field(alias="ai_system_id")
    description: str
    significant: bool
    changed_on: datetime.date
    recorded_by: uuid.UUID | None = Field(None, alias="recorded_by_id")
    recorded_by_name: str | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_recorded_by_name(obj) -> str | None:
        return obj.recorded_by.display_name if obj.recorded_by_id else None


# ---------------------------------------------------------------------------- lifecycle


class StageChangeIn(InSchema):
    to_stage: LifecycleStage = Field(description="The stage to move the system to.")
    version: int = Field(description="The version of the AI system you read; a stale one "
                                     "gets 409.")
    note: str = Field("", max_length=4000, description="Why it moves now.")


class ProblemOut(Schema):
    message: str
    url: str
    action: str


class CheckOut(Schema):
    key: str
    label: str
    rule: str
    ok: bool
    detail: str
    problems: list[ProblemOut]
    url: str


class GateOut(Schema):
    ai_system: uuid.UUID
    to_stage: str
    gated: bool = Field(description="False when a move to this stage needs no checks.")
    passed: bool
    missing: list[str] = Field(description="One actionable message per missing item.")
    checks: list[CheckOut]


class DeploymentApprovalIn(InSchema):
    version: int = Field(description="The version of the AI system you reviewed; a stale one "
                                     "gets 409.")
    note: str = Field("", max_length=4000,
                      description="What you checked and any conditions on the deployment.")


class DeploymentApprovalOut(Schema):
    id: uuid.UUID
    ai_system: uuid.UUID = Field(alias="ai_system_id")
    approved_by: uuid.UUID | None = Field(None, alias="approved_by_id")
    approved_by_name: str | None = None
    approved_at: datetime.datetime
    note: str
    system_version: int
    gate: list[dict] = Field(description="The other deployment checks when approved.")
    valid: bool = Field(description="Whether the approval still stands.")
    ended_reason: str = Field(description="Why it no longer stands, if it does not.")
    ended_at: datetime.datetime | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_approved_by_name(obj) -> str | None:
        return obj.approved_by.display_name if obj.approved_by_id else None

    @staticmethod
    def resolve_valid(obj) -> bool:
        return obj.is_valid


class LifecycleRecordOut(Schema):
    id: uuid.UUID
    ai_system: uuid.UUID = Field(alias="ai_system_id")
    from_stage: str
    to_stage: str
    changed_by: uuid.UUID | None = Field(None, alias="changed_by_id")
    changed_by_name: str | None = None
    changed_at: datetime.datetime
    note: str
    gate: list[dict] = Field(description="The deployment checks when the move was made "
                                         "(moves to deployed only).")
    approval: uuid.UUID | None = Field(None, alias="approval_id")

    @staticmethod
    def resolve_changed_by_name(obj) -> str | None:
        return obj.changed_by.display_name if obj.changed_by_id else None


# ---------------------------------------------------------------------------- resources


class ResourceIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: ResourceKind
    description: str = ""
    location: str = Field("", max_length=300)
    owner: uuid.UUID | None = None
    ai_systems: list[uuid.UUID] = Field(default_factory=list, max_length=500,
                                        description="Ids of the AI systems that rely on it.")
    data_categories: str = ""
    data_provenance: str = Field("", description="Required for data resources.")
    quality_notes: str = ""
    retention: str = Field("", max_length=300)
    contains_personal_data: bool = False


@patch_of(ResourceIn)
class ResourcePatch(PatchSchema):
    pass


class LinkedSystemOut(Schema):
    id: uuid.UUID
    name: str


class ResourceOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    description: str
    location: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_name: str | None = None
    ai_systems: list[LinkedSystemOut]
    data_categories: str
    data_provenance: str
    quality_notes: str
    retention: str
    contains_personal_data: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_name(obj) -> str | None:
        return obj.owner.display_name if obj.owner_id else None

    @staticmethod
    def resolve_ai_systems(obj) -> list:
        return list(obj.ai_systems.all())
