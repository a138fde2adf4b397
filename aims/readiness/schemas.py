import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.core.api import InSchema
from aims.readiness.models import AuditKind, CertificationStatus, Grade


class ScoreOut(Schema):
    ref: str
    title: str
    score: int | None = Field(description="0–100; null when nothing in it counts (every "
                                          "control of a domain excluded).")
    findings: int


class SubjectOut(Schema):
    kind: str = Field(description="The record kind, as the apps name them (ai_system, risk…).")
    id: str
    label: str


class FindingOut(Schema):
    rule: str
    severity: str = Field(description="major, minor or observation.")
    refs: list[str]
    object: SubjectOut | None
    message: str
    fix: str


class ReadinessOut(Schema):
    organization: str
    as_of: datetime.date
    verdict: str = Field(description="ready or not_ready (for a Stage 1 audit).")
    score: int
    clauses: list[ScoreOut]
    domains: list[ScoreOut]
    findings: list[FindingOut]


class DocumentedOut(Schema):
    ref: str
    title: str
    keep: str = Field(description="maintain (a controlled document) or retain (records).")
    what: str
    state: str = Field(description="missing, draft, past_review or on_record.")
    evidence: str


class SnapshotIn(InSchema):
    as_of: datetime.date | None = Field(None, description="Defaults to today.")


class SnapshotOut(Schema):
    id: uuid.UUID
    as_of: datetime.date
    kind: str
    verdict: str
    score: int
    created_at: datetime.datetime


class PlanIn(InSchema):
    target_date: datetime.date | None = Field(
        None, description="The target certification date; needed the first time.")
    owner: uuid.UUID | None = Field(None, description="Who the new tasks go to (default: you).")


class PlanStepOut(Schema):
    key: str
    rule: str
    phase: str
    task: uuid.UUID | None = Field(None, alias="task_id")
    task_ref: str | None = None
    title: str | None = None
    due_date: datetime.date | None = None
    status: str | None = None
    resolved_at: datetime.datetime | None

    @staticmethod
    def resolve_task_ref(obj) -> str | None:
        return obj.task.ref if obj.task_id else None

    @staticmethod
    def resolve_title(obj) -> str | None:
        return obj.task.title if obj.task_id else None

    @staticmethod
    def resolve_due_date(obj) -> datetime.date | None:
        return obj.task.due_date if obj.task_id else None

    @staticmethod
    def resolve_status(obj) -> str | None:
        return obj.task.status if obj.task_id else None


class PlanOut(Schema):
    target_date: datetime.date | None
    generated_at: datetime.datetime | None
    version: int
    steps: list[PlanStepOut]


class CertificationIn(InSchema):
    body: str = Field(min_length=1, max_length=200)
    scope_certified: str = ""
    certificate_number: str = Field("", max_length=100)
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = Field(None, description="Defaults to three years "
                                                                "after issue.")
    status: CertificationStatus = CertificationStatus.PREPARING


class ExternalAuditIn(InSchema):
    kind: AuditKind
    start_date: datetime.date
    end_date: datetime.date | None = None
    lead_auditor: str = Field("", max_length=200)
    outcome: str = ""


class ExternalFindingIn(InSchema):
    grade: Grade
    refs: str = Field("", max_length=200, description="The clauses or controls it concerns.")
    description: str = Field(min_length=1)


class ExternalFindingOut(Schema):
    id: uuid.UUID
    grade: str
    refs: str
    description: str
    raised_kind: str = Field(alias="subject_kind")
    raised_id: uuid.UUID | None = Field(None, alias="subject_id")


class ExternalAuditOut(Schema):
    id: uuid.UUID
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    lead_auditor: str
    outcome: str
    version: int
    findings: list[ExternalFindingOut]

    @staticmethod
    def resolve_findings(obj) -> list:
        return list(obj.findings.all())


class CertificationOut(Schema):
    id: uuid.UUID
    body: str
    scope_certified: str
    certificate_number: str
    issued_on: datetime.date | None
    valid_until: datetime.date | None
    status: str
    version: int
    audits: list[ExternalAuditOut]

    @staticmethod
    def resolve_audits(obj) -> list:
        return list(obj.audits.all())
