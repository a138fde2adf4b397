"""What the OSCAL routes take and give."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class OscalProfileImportIn(Schema):
    dry_run: bool = False


class OscalDecisionOut(Schema):
    ref: str
    title: str
    before: dict[str, Any]
    after: dict[str, Any]
    changed: bool
    problem: str


class OscalProfileImportOut(Schema):
    title: str
    applied: bool
    selected: int
    changed: int
    untouched: int
    notes: list[str]
    decisions: list[OscalDecisionOut]


class OscalCatalogImportIn(Schema):
    dry_run: bool = False


class OscalCatalogEntryOut(Schema):
    ref: str
    kind: str
    title: str
    label: str
    parent: str
    action: str


class OscalCatalogProblemOut(Schema):
    ref: str
    problem: str


class OscalCatalogImportOut(Schema):
    title: str
    version: str
    code: str
    updating: bool
    applied: bool
    groups: int
    controls: int
    new: int
    changed: int
    unchanged: int
    restored: int
    retired: list[str]
    skipped: int
    notes: list[str]
    problems: list[OscalCatalogProblemOut]
    entries: list[OscalCatalogEntryOut]
