import datetime
import uuid

from ninja import Schema
from pydantic import Field

from aims.context.models import IssueKind
from aims.core.api import InSchema, PatchSchema, patch_of


class ScopeOut(Schema):
    number: int
    statement: str
    boundaries: str
    included_units: str
    excluded_units: str
    exclusion_rationale: str
    systems_snapshot: dict
    change_note: str
    author_email: str | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_email(obj) -> str | None:
        return obj.author.email if obj.author_id else None


class ScopeIn(InSchema):
    based_on: int = Field(0, description="Number of the version you edited (0 for the first).")
    statement: str = Field(min_length=1)
    boundaries: str = ""
    included_units: str = ""
    excluded_units: str = ""
    exclusion_rationale: str = ""
    change_note: str = ""


class IssueIn(InSchema):
    kind: IssueKind
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    category: str = ""
    effect: str = ""
    is_active: bool = True


@patch_of(IssueIn)
class IssuePatch(PatchSchema):
    pass


class IssueOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    description: str
    category: str
    effect: str
    is_active: bool
    version: int


class PartyIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    category: str = ""
    needs: str = Field(min_length=1)
    requirements: str = ""
    how_addressed: str = ""
    is_active: bool = True


@patch_of(PartyIn)
class PartyPatch(PatchSchema):
    pass


class PartyOut(Schema):
    id: uuid.UUID
    name: str
    category: str
    needs: str
    requirements: str
    how_addressed: str
    is_active: bool
    version: int
