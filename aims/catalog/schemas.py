from ninja import Schema


class FrameworkOut(Schema):
    code: str
    name: str
    title: str
    version: str
    publisher: str
    data_version: int
    attribution: str
    domains: list[dict]


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

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.ref if obj.parent_id else None


class RequirementRef(Schema):
    """A requirement as another record names it (a document, an AIMS role)."""

    id: int
    ref: str
    title: str
