"""Counts in words: "1 risk", "2 risks", "1 party", "3 parties" — never "risk(s)"."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` followed by the noun in the number it needs ("1 audit", "0 audits")."""
    return f"{n} {plural_of(n, singular, plural)}"


def plural_of(n: int, singular: str, plural: str | None = None) -> str:
    """The noun alone, singular for exactly one, otherwise the plural (default: + "s")."""
    if n == 1:
        return singular
    return plural if plural is not None else f"{singular}s"
