"""The API's shapes of security findings and scans."""


import datetime
import uuid
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from aims.core.api import VERSION_FIELD, InSchema, PatchSchema
from aims.findings.models import FindingSeverity, FindingStatus


def _email(user) -> str | None:
    return user.email if user is not None else None


class SecurityFindingOut(Schema):
    id: uuid.UUID
    ref: str
    ai_system: uuid.UUID = Field(alias="ai_system_id")
    ai_system_name: str
    tool_name: str
    tool_version: str
    rule_id: str
    rule_name: str
    message: str
    severity: FindingSeverity = Field(description="critical, high, medium, low or info: from the "
                                           "tool's security-severity (CVSS bands) when given, "
                                           "else from the SARIF level.")
    level: str = Field(description="The SARIF level (error, warning, note, none).")
    security_severity: Decimal | None
    cvss_score: Decimal | None
    cvss_vector: str
    cwes: list[str]
    owasp_llm: str = Field(description="The OWASP Top 10 for LLM applications entry "
                                       "(LLM01 …) the rule maps to, or empty.")
    location: str
    start_line: int | None
    fingerprint: str
    status: FindingStatus
    status_reason: str
    owner: uuid.UUID | None = Field(None, alias="owner_id")
    owner_email: str | None = None
    first_seen: datetime.datetime
    last_seen: datetime.datetime
    fixed_at: datetime.datetime | None
    justification: str
    expires_on: datetime.date | None
    acceptance_requested_by: str | None = None
    acceptance_approved_by: str | None = None
    approved_on: datetime.date | None
    review_comment: str
    risk: uuid.UUID | None = Field(None, alias="risk_id")
    nonconformity: uuid.UUID | None = Field(None, alias="nonconformity_id")
    version: int

    @staticmethod
    def resolve_ai_system_name(obj) -> str:
        return obj.ai_system.name

    @staticmethod
    def resolve_owner_email(obj) -> str | None:
        return _email(obj.owner)

    @staticmethod
    def resolve_acceptance_requested_by(obj) -> str | None:
        return _email(obj.submitted_by) if obj.submitted_by_id else None

    @staticmethod
    def resolve_acceptance_approved_by(obj) -> str | None:
        return _email(obj.approved_by) if obj.approved_by_id else None


class SecurityScanOut(Schema):
    id: uuid.UUID
    ref: str
    ai_system: uuid.UUID = Field(alias="ai_system_id")
    tools: str
    file_name: str
    sha256: str
    results: int
    new: int = Field(description="Findings seen for the first time.")
    reopened: int = Field(description="Fixed findings reported again (open once more).")
    fixed: int = Field(description="This tool's findings the report no longer holds, now "
                                   "marked fixed.")
    created_at: datetime.datetime


class SecurityFindingPatch(PatchSchema):
    status: Literal["open", "fixed", "false_positive"] | None = Field(
        None, description="Triage by hand; a false positive needs `status_reason`. Acceptance "
                          "has its own steps (/accept, then /approve by a second person).")
    status_reason: str | None = Field(None, description="Why it is a false positive, or what "
                                                        "fixed it.")
    owner: uuid.UUID | None = Field(None, description="A member who sees it through.")


class SecurityFindingAcceptIn(InSchema):
    version: int = VERSION_FIELD
    justification: str = Field(description="Why the organisation can live with it for now and "
                                           "what limits the harm meanwhile.")
    expires_on: datetime.date = Field(description="The last day the exception holds (after "
                                                  "today, at most a year ahead); the day after, "
                                                  "the finding is open again.")


class SecurityFindingApproveIn(InSchema):
    version: int = VERSION_FIELD
    comment: str = Field("", description="Conditions or remarks that go with the approval.")


class SecurityFindingReturnIn(InSchema):
    version: int = VERSION_FIELD
    comment: str = Field(min_length=1, description="Why the acceptance is refused.")


class SecurityFindingRiskIn(InSchema):
    title: str | None = Field(None, max_length=200, description="Defaults to the finding's "
                                                                "rule and message.")
    description: str | None = None
    owner: uuid.UUID | None = None
    inherent_likelihood: int | None = None
    inherent_impact: int | None = None


class SecurityFindingNcIn(InSchema):
    title: str | None = Field(None, max_length=200)
    description: str | None = None
    owner: uuid.UUID | None = None
    severity: Literal["major", "minor"] | None = Field(
        None, description="Defaults to major for critical and high findings, else minor.")
    requirement: str | None = Field(None, description="The clause or control not met "
                                                      "(e.g. A.6.2.4).")

