"""Shared helpers of the findings tests: SARIF reports built in code, and a system to scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aims.testing.factories import make_ai_system

DATA = Path(__file__).parent / "data"


def sarif(results: list[dict], *, tool: str = "codescan", version: str = "1.0",
          rules: list[dict] | None = None) -> bytes:
    """A SARIF 2.1.0 report of one run of `tool` with `results`."""
    return json.dumps({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": tool, "version": version, "rules": rules or []}},
        "results": results}]}).encode()


def result(rule: str = "py/sql-injection", uri: str = "app/db.py", line: int = 10,
           text: str = "Query built from user input.", **extra) -> dict:
    return {"ruleId": rule, "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                "region": {"startLine": line}}}], **extra}


@pytest.fixture
def system(ctx):
    return make_ai_system(ctx, name="Loan scorer")


@pytest.fixture
def llm_scan() -> bytes:
    return (DATA / "llm-scan.sarif").read_bytes()
