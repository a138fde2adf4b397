import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.compliance.models import ImplementationStatus, InclusionReason
from aims.core.api import PatchSchema


class LinkedRisk(Schema):
    id: uuid.UUID
    ref: str
    title: str


class SoaItemOut(Schema):
    id: uuid.UUID = Field(description="The compliance item's id: link evidence or a task to "
                                      "this control with subject_kind `compliance_item` and "
                                      "this id.")
    ref: str
    title: str
    domain: str
    domain_title: str
    applicable: bool | None
    inclusion_reason: str
    justification: str
    status: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    notes: str
    last_reviewed: datetime.date | None
    risks: list[LinkedRisk] = Field(
        default_factory=list,
        description="The risks whose treatment links this control, by reference: the first "
                    "25 (`risk_count` says how many there are; `GET …/risks?control=<ref>` "
                    "lists them all).")
    risk_count: int = Field(0, description="How many risks' treatment links this control.")
    version: int

    @staticmethod
    def resolve_risks(obj) -> list[dict]:
        return [{"id": r.pk, "ref": r.ref, "title": r.title} for r in obj.risks_shown]

    @staticmethod
    def resolve_ref(obj) -> str:
        return obj.requirement.ref

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.requirement.title

    @staticmethod
    def resolve_domain(obj) -> str:
        return obj.requirement.domain

    @staticmethod
    def resolve_domain_title(obj) -> str:
        return obj.requirement.framework.domain_title(obj.requirement.domain)

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None


class SoaItemPatch(PatchSchema):
    """Changes to one control's decision: the fields to change and the version you read."""

    applicable: bool | None = None
    inclusion_reason: InclusionReason | None = None
    justification: str | None = None
    status: ImplementationStatus | None = None
    owner: uuid.UUID | None = None
    notes: str | None = None
    last_reviewed: datetime.date | None = None
