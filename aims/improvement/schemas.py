import datetime
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema, PatchSchema, VersionIn, patch_of
from aims.improvement.art73 import SeriousKind
from aims.improvement.models import (
    Effectiveness,
    ImprovementSource,
    ImprovementStatus,
    IncidentSeverity,
    IncidentStatus,
    IncidentType,
    NcSeverity,
    NcSource,
    NcStatus,
    RcaMethod,
)
from aims.tasks.models import Priority

ORIGIN_HELP = ("The kind of record this is raised from (audit_line, incident, monitor_result, "
               "management_review…); with origin_id. Missing fields are filled from it.")
REQUIREMENT_HELP = "An ISO/IEC 42001 clause or Annex A control reference, e.g. 9.2 or A.6.2.6."
# The fields naming the record something was raised from: set when it is raised, never changed.
ORIGIN = ("origin_kind", "origin_id")


def _email(user) -> str | None:
    return user.email if user is not None else None


# ---------------------------------------------------------------------------- incidents


class IncidentIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    incident_type: IncidentType
    ai_systems: list[uuid.UUID] = Field(default_factory=list)
    occurred_at: datetime.datetime
    detected_at: datetime.datetime = Field(description="Not before occurred_at.")
    severity: IncidentSeverity = IncidentSeverity.MEDIUM
    description: str = Field(min_length=1)
    containment: str = ""
    status: IncidentStatus = IncidentStatus.OPEN
    owner: uuid.UUID | None = None
    communication_needed: bool = False
    communicated_at: datetime.datetime | None = None
    communication_method: str = Field("", max_length=200)
    communication_note: str = ""
    reporting_needed: bool = False
    report_to: str = Field("", max_length=200)
    report_deadline: datetime.datetime | None = None
    reported_at: datetime.datetime | None = None
    report_reference: str = Field("", max_length=200)
    serious_kind: SeriousKind | Literal[""] = Field(
        "", description="A serious incident under the EU AI Act (Art. 73), only on a high-risk "
                        "system: widespread (2 days to report), death (10 days) or other (15 "
                        "days). Sets reporting_needed, report_to (when empty) and "
                        "report_deadline from aware_at.")
    aware_at: datetime.datetime | None = Field(
        None, description="When the organisation became aware; required for a serious incident.")
    nonconformity: uuid.UUID | None = None
    origin_kind: str = Field("", max_length=40, description=ORIGIN_HELP)
    origin_id: uuid.UUID | None = None


@patch_of(IncidentIn, exclude=ORIGIN)
class IncidentPatch(PatchSchema):
    pass


class IncidentOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    incident_type: str
    ai_systems: list[uuid.UUID]
    occurred_at: datetime.datetime
    detected_at: datetime.datetime
    severity: str
    description: str
    containment: str
    status: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    communication_needed: bool
    communicated_at: datetime.datetime | None
    communication_method: str
    communication_note: str
    reporting_needed: bool
    report_to: str
    report_deadline: datetime.datetime | None
    reported_at: datetime.datetime | None
    report_reference: str
    reporting_overdue: bool = Field(description="True when external reporting is needed, "
                                    "its deadline has passed and it was not reported.")
    serious_kind: str
    aware_at: datetime.datetime | None
    report_days_left: int | None = Field(
        description="Serious incidents not yet reported: whole days until the deadline "
                    "(negative when overdue).")
    nonconformity: uuid.UUID | None = Field(None, alias="nonconformity_id")
    nonconformity_ref: str | None = None
    origin_kind: str = Field("", alias="subject_kind")
    origin_id: uuid.UUID | None = Field(None, alias="subject_id")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ai_systems(obj) -> list[uuid.UUID]:
        return [s.pk for s in obj.ai_systems.all()]

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return _email(obj.owner)

    @staticmethod
    def resolve_nonconformity_ref(obj) -> str | None:
        return obj.nonconformity.ref if obj.nonconformity_id else None


# ---------------------------------------------------------------------------- nonconformities


class NonconformityIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    source: NcSource
    requirement: str | None = Field(None, description=REQUIREMENT_HELP)
    description: str = Field(min_length=1)
    severity: NcSeverity = NcSeverity.MINOR
    raised_on: datetime.date = Field(default_factory=timezone.localdate)
    owner: uuid.UUID | None = None
    correction: str = ""
    corrected_on: datetime.date | None = None
    rca_method: RcaMethod | Literal[""] = ""
    whys: list[str] = Field(default_factory=list, max_length=5)
    analysis: str = ""
    root_cause: str = ""
    origin_kind: str = Field("", max_length=40, description=ORIGIN_HELP)
    origin_id: uuid.UUID | None = None


class NonconformityFromIncidentIn(InSchema):
    """Anything left out is taken from the incident."""

    title: str | None = Field(None, min_length=1, max_length=200)
    requirement: str | None = Field(None, description=REQUIREMENT_HELP)
    description: str | None = Field(None, min_length=1)
    severity: NcSeverity | None = None
    owner: uuid.UUID | None = None


@patch_of(NonconformityIn, exclude=ORIGIN)
class NonconformityPatch(PatchSchema):
    pass


class VerificationOut(Schema):
    verified_by: str | None
    verified_on: datetime.date | None
    result: str
    notes: str
    recorded_at: datetime.datetime | None


class NonconformityOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    source: str
    requirement: str | None = None
    requirement_title: str | None = None
    description: str
    severity: str
    raised_by_email: str | None = None
    raised_on: datetime.date
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    correction: str
    corrected_on: datetime.date | None
    rca_method: str
    whys: list[str]
    analysis: str
    root_cause: str
    status: NcStatus = Field(description="Derived: open (no action yet), action_planned (an "
                             "action open, or the last verification found them not effective), "
                             "verifying (all actions done), closed.")
    days_open: int
    actions_total: int
    actions_open: int
    actions_overdue: int
    verification: VerificationOut
    closed_at: datetime.datetime | None
    closed_by_email: str | None = None
    origin_kind: str = Field("", alias="subject_kind")
    origin_id: uuid.UUID | None = Field(None, alias="subject_id")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_requirement(obj) -> str | None:
        return obj.requirement.ref if obj.requirement_id else None

    @staticmethod
    def resolve_requirement_title(obj) -> str | None:
        return obj.requirement.title if obj.requirement_id else None

    @staticmethod
    def resolve_raised_by_email(obj) -> str | None:
        return _email(obj.raised_by)

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return _email(obj.owner)

    @staticmethod
    def resolve_closed_by_email(obj) -> str | None:
        return _email(obj.closed_by)

    @staticmethod
    def resolve_days_open(obj) -> int:
        return obj.days_open()

    @staticmethod
    def resolve_verification(obj) -> dict:
        return {"verified_by": _email(obj.verified_by), "verified_on": obj.verified_on,
                "result": obj.verification_result, "notes": obj.verification_notes,
                "recorded_at": obj.verification_recorded_at}


class CorrectiveActionIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    owner: uuid.UUID
    due_date: datetime.date
    priority: Priority = Priority.NORMAL


class CorrectiveActionCompleteIn(VersionIn):
    version: int = Field(description="The action's version you read.")
    note: str = ""


class CorrectiveActionOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    description: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    due_date: datetime.date | None
    priority: str
    status: str
    overdue: bool
    completed_at: datetime.datetime | None
    completed_by_email: str | None = None
    completion_note: str
    version: int

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return _email(obj.owner)

    @staticmethod
    def resolve_completed_by_email(obj) -> str | None:
        return _email(obj.completed_by)


class VerifyIn(VersionIn):
    result: Effectiveness
    verified_on: datetime.date | None = Field(None, description="Defaults to today.")
    notes: str = ""
    evidence: list[uuid.UUID] = Field(default_factory=list,
                                      description="Evidence ids to link to the nonconformity.")


# ---------------------------------------------------------------------------- improvement


class ImprovementIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    source: ImprovementSource = ImprovementSource.SUGGESTION
    owner: uuid.UUID | None = None
    status: ImprovementStatus = ImprovementStatus.PROPOSED
    benefit: str = ""
    target_date: datetime.date | None = None
    origin_kind: str = Field("", max_length=40, description=ORIGIN_HELP)
    origin_id: uuid.UUID | None = None


@patch_of(ImprovementIn, exclude=ORIGIN)
class ImprovementPatch(PatchSchema):
    pass


class ImprovementOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    description: str
    source: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    status: str
    benefit: str
    target_date: datetime.date | None
    origin_kind: str = Field("", alias="subject_kind")
    origin_id: uuid.UUID | None = Field(None, alias="subject_id")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return _email(obj.owner)
