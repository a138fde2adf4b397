from ninja import Schema


class FrameworkOut(Schema):
    code: str
    name: str
    title: str
    version: str
    publisher: str
    data_version: int
    attribution: str
    role: str
    domains: list[dict]
    timeline: list[dict]
    requirement_count: int | None = None
    mapping_count: int | None = None


class MappingOut(Schema):
    """One crosswalk row as seen from one requirement: the requirement at the other end, and
    the row's provenance."""

    framework: str  # the code of the framework at the other end
    ref: str | None  # the requirement at the other end; None when the row says "no counterpart"
    title: str | None
    iso42001_ref: str | None
    target_framework: str
    target_ref: str | None
    relationship: str
    coverage: str
    confidence: str
    provenance: str
    corroborated_by: str
    ref_as_published: str
    notes: str


class TimelineEntry(Schema):
    key: str
    date: str
    label: str
    basis: str


class RequirementOut(Schema):
    ref: str
    kind: str
    parent: str | None = None
    title: str
    domain: str
    documented_information: str
    description: str
    auditor_asks: list[str]
    questions: list[str]
    addressees: list[str]
    applies_to: str
    applies_from: list[TimelineEntry]
    notes: str

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.ref if obj.parent_id else None

    @staticmethod
    def resolve_applies_from(obj) -> list[dict]:
        dates = {t["key"]: t for t in obj.framework.timeline}
        return [dates[k] for k in obj.applies_from if k in dates]


class RequirementWithMappingsOut(RequirementOut):
    mappings: list[MappingOut]


class RequirementRef(Schema):
    """A requirement as another record names it (a document, an AIMS role)."""

    id: int
    ref: str
    title: str
