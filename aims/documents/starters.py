"""Starting templates for new documents: Markdown files shipped in `starters/`, written in our
own words (no text of the standard)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aims.core.errors import ValidationError
from aims.documents.models import DocumentKind

FOLDER = Path(__file__).parent / "starters"


@dataclass(frozen=True)
class Starter:
    key: str  # the file name without .md
    title: str
    kind: str
    summary: str
    requirements: tuple[str, ...]  # ISO/IEC 42001 references the document usually serves

    @property
    def content(self) -> str:
        return _read(self.key)


STARTERS = (
    Starter("ai_policy", "AI policy", DocumentKind.AI_POLICY,
            "Commitments, limits and roles for AI across the organisation.",
            ("5.2", "A.2.2")),
    Starter("ai_risk_methodology", "AI risk assessment methodology", DocumentKind.METHODOLOGY,
            "How AI risks are found, rated, evaluated and treated.",
            ("6.1.2", "6.1.3", "8.2", "8.3")),
    Starter("ai_impact_procedure", "AI system impact assessment procedure",
            DocumentKind.PROCEDURE,
            "When and how the effects of an AI system on people and society are assessed.",
            ("6.1.4", "8.4", "A.5.2")),
    Starter("ai_lifecycle_procedure", "AI system life cycle procedure", DocumentKind.PROCEDURE,
            "The stages every AI system passes through and the gates between them.",
            ("8.1", "A.6.1.2", "A.6.2.5")),
)
BY_KEY = {s.key: s for s in STARTERS}


@cache
def _read(key: str) -> str:
    return (FOLDER / f"{key}.md").read_text(encoding="utf-8")


def starter_get(key: str, *, field: str = "template") -> Starter:
    """The starter named `key`, or a 422 naming the ones that exist."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValidationError({field: [
            f"Unknown template {key!r}; use one of: {', '.join(BY_KEY)}."]}) from None
