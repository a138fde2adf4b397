import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.catalog.schemas import RequirementRef
from aims.core.api import InSchema, patch_of
from aims.inventory.schemas import LinkedSystemOut
from aims.people.models import TrainingStatus


class PersonOut(Schema):
    id: uuid.UUID
    email: str
    name: str = Field(alias="display_name")


# ---------------------------------------------------------------------------- roles


class AimsRoleIn(InSchema):
    name: str = Field(min_length=1, max_length=120)
    responsibilities: str = Field(min_length=1)
    authorities: str = ""
    areas: str = ""
    requirements: list[str] = Field(
        default_factory=list, max_length=200,
        description="ISO/IEC 42001 references the role covers, e.g. 5.3 or A.3.2.")
    ai_systems: list[uuid.UUID] = Field(default_factory=list, max_length=500,
                                        description="Ids of the AI systems the role covers.")


AimsRolePatch = patch_of(AimsRoleIn, "AimsRolePatch")


class HolderOut(Schema):
    assignment: uuid.UUID = Field(alias="pk")
    member: uuid.UUID | None = Field(None, alias="member_id")
    member_name: str | None = None
    since: datetime.date
    until: datetime.date | None = None

    @staticmethod
    def resolve_member_name(obj) -> str | None:
        return obj.member.display_name if obj.member_id else None


class CompetenceOut(Schema):
    id: uuid.UUID
    role: uuid.UUID = Field(alias="role_id")
    title: str
    description: str
    ai_specific: bool
    demonstrated_by: str
    version: int


class AimsRoleOut(Schema):
    id: uuid.UUID
    name: str
    code: str = Field(description="Set on the standard roles only (e.g. top_management).")
    responsibilities: str
    authorities: str
    areas: str
    requirements: list[RequirementRef]
    ai_systems: list[LinkedSystemOut]
    holders: list[HolderOut] = Field(description="The current assignments.")
    competence_requirements: list[CompetenceOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requirements(obj) -> list:
        return list(obj.requirements.all())

    @staticmethod
    def resolve_ai_systems(obj) -> list:
        return list(obj.ai_systems.all())

    @staticmethod
    def resolve_holders(obj) -> list:
        return [a for a in obj.assignments.all() if a.is_current]

    @staticmethod
    def resolve_competence_requirements(obj) -> list:
        return list(obj.competence_requirements.all())


# ---------------------------------------------------------------------------- assignments


class AssignmentIn(InSchema):
    member: uuid.UUID = Field(description="The user id of a member of the organisation.")
    since: datetime.date | None = Field(None, description="Today when omitted.")
    until: datetime.date | None = None
    note: str = Field("", max_length=300)


# Omitting `since` on creation means today; on a change it means "as it was".
AssignmentPatch = patch_of(AssignmentIn, "AssignmentPatch", extra={
    "since": (datetime.date | None, Field(None, description="The first day the role is held."))})


class AssignmentOut(Schema):
    id: uuid.UUID
    role: uuid.UUID = Field(alias="role_id")
    role_name: str
    role_code: str
    member: uuid.UUID | None = Field(None, alias="member_id")
    member_name: str | None = None
    since: datetime.date
    until: datetime.date | None = None
    note: str
    current: bool = Field(alias="is_current")
    version: int

    @staticmethod
    def resolve_role_name(obj) -> str:
        return obj.role.name

    @staticmethod
    def resolve_role_code(obj) -> str:
        return obj.role.code

    @staticmethod
    def resolve_member_name(obj) -> str | None:
        return obj.member.display_name if obj.member_id else None


# ---------------------------------------------------------------------------- competence


class CompetenceIn(InSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    ai_specific: bool = True
    demonstrated_by: str = Field("", max_length=300)


CompetencePatch = patch_of(CompetenceIn, "CompetencePatch")


# ---------------------------------------------------------------------------- training


class TrainingIn(InSchema):
    member: uuid.UUID = Field(description="The user id of a member of the organisation.")
    topic: str = Field(min_length=1, max_length=200)
    ai_specific: bool = False
    completed_on: datetime.date
    expires_on: datetime.date | None = None
    provider: str = Field("", max_length=200)
    notes: str = ""


TrainingPatch = patch_of(TrainingIn, "TrainingPatch")


class TrainingOut(Schema):
    id: uuid.UUID
    member: uuid.UUID | None = Field(None, alias="member_id")
    member_name: str | None = None
    topic: str
    ai_specific: bool
    completed_on: datetime.date
    expires_on: datetime.date | None = None
    provider: str
    notes: str
    status: TrainingStatus
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_member_name(obj) -> str | None:
        return obj.member.display_name if obj.member_id else None


# ---------------------------------------------------------------------------- gaps


class LapsedOut(Schema):
    id: uuid.UUID
    topic: str
    expires_on: datetime.date | None = None


class GapOut(Schema):
    member: uuid.UUID
    member_name: str
    role: uuid.UUID
    role_name: str
    assignment: uuid.UUID
    missing: list[CompetenceOut] = Field(
        description="The role's AI-specific competence requirements nobody has shown.")
    lapsed: LapsedOut | None = Field(
        None, description="The holder's latest AI-specific record, now expired, if any.")


# ---------------------------------------------------------------------------- concern channel


class ConcernChannelIn(InSchema):
    version: int = Field(description="The version you read; 0 when none is described yet.")
    channels: str = Field(min_length=1)
    recipients: str = Field(min_length=1)
    confidentiality: str = Field(min_length=1)
    response_times: str = Field(min_length=1)
    notes: str = ""


class ConcernChannelOut(Schema):
    channels: str
    recipients: str
    confidentiality: str
    response_times: str
    notes: str
    changed_by_name: str | None = None
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_changed_by_name(obj) -> str | None:
        return obj.changed_by.display_name if obj.changed_by_id else None
