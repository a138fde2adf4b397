import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.inventory.models import (
    EuRiskClass,
    LifecycleStage,
    OrgRole,
    ResourceKind,
    SystemStatus,
)


class AISystemIn(Schema):
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
    eu_risk_class: EuRiskClass = EuRiskClass.UNASSESSED
    status: SystemStatus = SystemStatus.ACTIVE


class AISystemPatch(Schema):
    version: int = Field(description="The version you read; a stale one gets 409.")
    name: str | None = Field(None, min_length=1, max_length=200)
    intended_purpose: str | None = Field(None, min_length=1)
    description: str | None = None
    owner: uuid.UUID | None = None
    business_unit: str | None = None
    lifecycle_stage: LifecycleStage | None = None
    roles: list[OrgRole] | None = Field(None, min_length=1)
    in_scope: bool | None = None
    scope_justification: str | None = None
    deployment_context: str | None = None
    affected_parties: str | None = None
    data_categories: str | None = None
    processes_personal_data: bool | None = None
    human_oversight: str | None = None
    third_party_components: str | None = None
    eu_risk_class: EuRiskClass | None = None
    status: SystemStatus | None = None


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
    status: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None


class SystemChangeIn(Schema):
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


class StageChangeIn(Schema):
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


class DeploymentApprovalIn(Schema):
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


class ResourceIn(Schema):
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


class ResourcePatch(Schema):
    version: int = Field(description="The version you read; a stale one gets 409.")
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ResourceKind | None = None
    description: str | None = None
    location: str | None = Field(None, max_length=300)
    owner: uuid.UUID | None = None
    ai_systems: list[uuid.UUID] | None = Field(None, max_length=500)
    data_categories: str | None = None
    data_provenance: str | None = None
    quality_notes: str | None = None
    retention: str | None = Field(None, max_length=300)
    contains_personal_data: bool | None = None


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
