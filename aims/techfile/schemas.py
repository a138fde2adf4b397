import uuid

from ninja import Schema
from pydantic import Field


class DocumentGapOut(Schema):
    text: str
    url: str = Field(description="The web page where the gap is fixed.")


class DocumentFactOut(Schema):
    label: str
    value: str


class DocumentItemOut(Schema):
    label: str
    detail: str = ""
    url: str = ""


class DocumentSectionOut(Schema):
    key: str
    title: str
    guidance: str
    complete: bool
    facts: list[DocumentFactOut]
    items: list[DocumentItemOut]
    missing: list[DocumentGapOut]


class DraftOut(Schema):
    kind: str = Field(description="technical-file (Annex IV) or monitoring-plan (Art. 72).")
    title: str
    ai_system: uuid.UUID
    applies: bool = Field(description="True when the system is high-risk and the "
                                      "organisation is its provider.")
    why: str
    complete: bool
    complete_count: int
    sections: list[DocumentSectionOut]
