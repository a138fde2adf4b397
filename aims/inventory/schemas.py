import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.inventory.models import EuRiskClass, LifecycleStage, OrgRole, SystemStatus


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
