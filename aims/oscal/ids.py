"""The identifiers aims writes into OSCAL: stable UUIDs and control tokens.

Every UUID is derived (uuid5) from one fixed namespace and the record it stands for, so two
exports of the same record carry the same UUIDs and diff line by line.
"""

from __future__ import annotations

import re
import uuid

# Fixed for ever: changing it would change every UUID aims has ever exported.
NAMESPACE = uuid.UUID("5b1f3c2e-8f0a-5d6e-9c41-7a2b0e4d6f18")
# The namespace of the props only aims defines (OSCAL's own props carry no `ns`).
PROP_NS = "urn:aims:oscal"


def stable_uuid(kind: str, key: object) -> str:
    """The UUID of record `key` of `kind` in every export."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def control_id(ref: str) -> str:
    """The OSCAL token of an ISO/IEC 42001 clause or control: '6.1.3' → 'clause-6.1.3',
    'A.6.2.10' → 'annex-a.6.2.10'."""
    if ref[:1].isdigit():
        return f"clause-{ref}"
    return f"annex-{ref.lower()}"


TOKEN = re.compile(r"^(clause-(?P<clause>\d[\d.]*)|annex-(?P<annex>a\.[\d.]+))$")


def ref_of(token: str) -> str | None:
    """The ISO/IEC 42001 reference a token written by `control_id` stands for, else None."""
    m = TOKEN.match(token)
    if m is None:
        return None
    return m["clause"] or m["annex"].upper()


def one_line(text: str) -> str:
    """Text as an OSCAL string or title (no line breaks, no edge spaces): OSCAL requires a
    non-blank single line there."""
    return " ".join(text.split())
