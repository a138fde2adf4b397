import datetime
import uuid
from typing import Literal

from ninja import Schema
from pydantic import Field

from aims.audits.models import DEFAULT_CRITERIA, AuditStatus, LineResult
from aims.core.api import InSchema, PatchSchema, VersionIn, patch_of

# ---------------------------------------------------------------------------- programmes


class ProgrammeIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    start_date: datetime.date
    months: int = Field(12, ge=1, le=36, description="Length of the cycle in months.")
    objectives: str = ""
    owner: uuid.UUID | None = None


ProgrammePatch = patch_of(ProgrammeIn, "ProgrammePatch")


class ProgrammeOut(Schema):
    id: uuid.UUID
    name: str
    start_date: datetime.date
    months: int
    end_date: datetime.date
    objectives: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    audit_count: int | None = None
    completed_count: int | None = None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return obj.owner.email if obj.owner_id else None


class CoverageAuditOut(Schema):
    id: uuid.UUID
    ref: str
    status: str


class CoverageRowOut(Schema):
    ref: str
    title: str
    kind: str
    group: str
    state: Literal["covered", "planned", "missing"]
    soa: Literal["clause", "applicable", "undecided"] = Field(
        description="clause: always required; applicable: the SoA applies it; undecided: the "
                    "SoA has not decided yet, so it is required until excluded.")
    covered_by: list[CoverageAuditOut]
    planned_in: list[CoverageAuditOut]


class CoverageOut(Schema):
    programme: uuid.UUID
    required: int
    covered: int
    planned: int
    missing: int
    undecided_controls: int
    excluded_controls: list[str]
    rows: list[CoverageRowOut]


# ---------------------------------------------------------------------------- audits

SCOPE_HELP = ("Requirement references: leaf clauses (6.1.2), Annex A controls (A.5.2), or a "
              "broader clause (8), sub-clause (9.2) or Annex A domain (A.6) standing for "
              "everything under it.")


class AuditIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    programme: uuid.UUID
    requirements: list[str] = Field(default_factory=list, description=SCOPE_HELP)
    ai_systems: list[uuid.UUID] = Field(default_factory=list)
    units: str = ""
    criteria: str = Field(DEFAULT_CRITERIA, min_length=1)
    lead_auditor: uuid.UUID | None = None
    team: list[uuid.UUID] = Field(default_factory=list)
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None


# The dates the audit actually ran are recorded as it runs, not when it is planned.
AuditPatch = patch_of(AuditIn, "AuditPatch", extra={
    "actual_start": (datetime.date | None,
                     Field(None, description="The day the audit actually started.")),
    "actual_end": (datetime.date | None,
                   Field(None, description="The day the audit actually ended."))})


class TransitionIn(VersionIn):
    to: Literal["in_progress", "closed", "cancelled"] = Field(
        description="in_progress starts a planned audit; closed closes a reported one; "
                    "cancelled cancels a planned or in-progress one.")


class ReportIn(VersionIn):
    summary: str = Field(min_length=1)
    conclusion: str = Field(min_length=1)


class WarningOut(Schema):
    user: uuid.UUID = Field(alias="user_id")
    auditor: str
    message: str


class AuditOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    programme: uuid.UUID = Field(alias="programme_id")
    programme_name: str
    requirements: list[str]
    ai_systems: list[uuid.UUID]
    units: str
    criteria: str
    lead_auditor: uuid.UUID | None = Field(None, alias="lead_auditor_id")
    lead_auditor_email: str | None = None
    team: list[uuid.UUID]
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    status: AuditStatus
    summary: str
    conclusion: str
    issued_by: uuid.UUID | None = Field(None, alias="issued_by_id")
    issued_at: datetime.datetime | None
    line_count: int | None = None
    finding_count: int | None = None
    independence_warnings: list[WarningOut] = Field(
        default_factory=list,
        description="Where an auditor audits their own area (on single-audit answers).")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_programme_name(obj) -> str:
        return obj.programme.name

    @staticmethod
    def resolve_requirements(obj) -> list[str]:
        return [r.ref for r in obj.requirements.all()]

    @staticmethod
    def resolve_ai_systems(obj) -> list[uuid.UUID]:
        return [s.pk for s in obj.ai_systems.all()]

    @staticmethod
    def resolve_team(obj) -> list[uuid.UUID]:
        return [u.pk for u in obj.team.all()]

    @staticmethod
    def resolve_lead_auditor_email(obj) -> str | None:
        return obj.lead_auditor.email if obj.lead_auditor_id else None

    @staticmethod
    def resolve_independence_warnings(obj) -> list:
        return getattr(obj, "independence_warnings", [])


class ChecklistOut(Schema):
    added: int
    removed: int
    kept: int


# ---------------------------------------------------------------------------- lines


class LinePatch(PatchSchema):
    result: LineResult | None = None
    notes: str | None = None
    evidence: list[uuid.UUID] | None = Field(
        None, description="Ids of the organisation's evidence the result relies on (replaces "
                          "the list).")


class EvidenceRefOut(Schema):
    id: uuid.UUID
    ref: str
    title: str
    sha256: str | None = None

    @staticmethod
    def resolve_sha256(obj) -> str | None:
        return obj.blob.sha256 if obj.blob_id else None


class LineOut(Schema):
    id: uuid.UUID
    audit: uuid.UUID = Field(alias="audit_id")
    audit_ref: str
    requirement: str
    requirement_title: str
    ai_system: uuid.UUID | None = Field(None, alias="ai_system_id")
    ai_system_name: str | None = None
    questions: list[str]
    result: LineResult
    is_finding: bool
    notes: str
    evidence: list[EvidenceRefOut]
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_audit_ref(obj) -> str:
        return obj.audit.ref

    @staticmethod
    def resolve_requirement(obj) -> str:
        return obj.requirement.ref

    @staticmethod
    def resolve_requirement_title(obj) -> str:
        return obj.requirement.title

    @staticmethod
    def resolve_ai_system_name(obj) -> str | None:
        return obj.ai_system.name if obj.ai_system_id else None

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())
