from ninja import Schema

from aims.core.api import InSchema


class ReportingOut(Schema):
    frameworks: list[str]
    version: int


class ReportingIn(InSchema):
    frameworks: list[str]
    version: int | None = None


class FrameworkMappedItemOut(Schema):
    ref: str
    title: str
    coverage: str
    confidence: str
    status: str
    evidence_count: int
    standing: str


class FrameworkCoverageRowOut(Schema):
    ref: str
    title: str
    kind: str
    verdict: str
    reason: str
    items: list[FrameworkMappedItemOut]
    applies_from: list[dict]


class FrameworkCoverageOut(Schema):
    framework: str
    total: int
    counts: dict[str, int]
    rows: list[FrameworkCoverageRowOut]
