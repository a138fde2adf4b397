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
