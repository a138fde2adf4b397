"""OSCAL catalogs and profiles for tests: a small internal AI control set, in versions."""

from __future__ import annotations

import json
from typing import Any

TITLE = "Northwind internal AI controls"
UUID = "0f4c1d2e-3b5a-4c6d-8e9f-0a1b2c3d4e5f"


def control(cid: str, title: str, label: str = "", text: str = "",
            kids: list[dict] | None = None) -> dict[str, Any]:
    c: dict[str, Any] = {"id": cid, "title": title}
    if label:
        c["props"] = [{"name": "label", "value": label}]
    if text:
        c["parts"] = [{"id": f"{cid}_smt", "name": "statement", "prose": text}]
    if kids:
        c["controls"] = kids
    return c


def catalog(version: str = "1.0", *, title: str = TITLE, uuid: str = UUID,
            groups: list[dict] | None = None) -> dict[str, Any]:
    """Version 1.0: two groups, four controls (one with an enhancement)."""
    if groups is None:
        groups = [
            {"id": "gov", "title": "Governance", "props": [{"name": "label", "value": "G"}],
             "controls": [
                 control("gov-1", "AI use policy", "G.1",
                         "Keep a policy on where AI may and may not be used."),
                 control("gov-2", "Model inventory", "G.2",
                         "List every model in production with its owner.",
                         kids=[control("gov-2.1", "Inventory review", "G.2.1",
                                       "Review the list each quarter.")]),
             ]},
            {"id": "ops", "title": "Operations", "controls": [
                control("ops-1", "Drift monitoring", "O.1",
                        "Watch inputs and outputs for drift and act on alerts."),
                control("ops-2", "Incident playbook", "O.2"),
            ]},
        ]
    return {"catalog": {
        "uuid": uuid,
        "metadata": {"title": title, "last-modified": "2026-03-01T00:00:00Z",
                     "version": version, "oscal-version": "1.1.3"},
        "groups": groups}}


def catalog_v2() -> dict[str, Any]:
    """Version 2.0: gov-1 renamed, ops-2 gone, sec-1 new (in a new group)."""
    doc = catalog("2.0")
    groups = doc["catalog"]["groups"]
    groups[0]["controls"][0]["title"] = "Acceptable AI use policy"
    groups[1]["controls"] = groups[1]["controls"][:1]
    groups.append({"id": "sec", "title": "Security", "controls": [
        control("sec-1", "Prompt injection testing", "S.1", "Test every LLM feature.")]})
    return doc


def profile(include: list[str] | None = None, exclude: list[str] | None = None,
            **extra: Any) -> dict[str, Any]:
    imp: dict[str, Any] = {"href": "catalog.json"}
    if include is None:
        imp["include-all"] = {}
    else:
        imp["include-controls"] = [{"with-ids": include, **extra}]
    if exclude:
        imp["exclude-controls"] = [{"with-ids": exclude}]
    return {"profile": {
        "uuid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "metadata": {"title": "Our selection", "last-modified": "2026-03-01T00:00:00Z",
                     "version": "1", "oscal-version": "1.1.3"},
        "imports": [imp]}}


def dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode()
