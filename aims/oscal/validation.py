"""Reading and checking OSCAL JSON against NIST's published schemas (OSCAL 1.1.3).

NIST's schemas write their patterns for an engine that knows Unicode classes such as `\\p{L}`;
Python's `re` does not, so the `pattern` keyword is checked with the `regex` module instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import regex
from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from aims.core.errors import ValidationError

OSCAL_VERSION = "1.1.3"
SCHEMA_DIR = Path(__file__).resolve().parent / "nist_schemas"
# The biggest OSCAL file an upload may be: the ISO/IEC 42001 catalog aims writes is ~100 kB,
# NIST's whole SP 800-53 catalog ~10 MB.
MAX_BYTES = 12 * 1024 * 1024
MAX_ERRORS = 8  # a report names the first few problems, not thousands


def _pattern(validator, pattern: str, instance: Any, schema: dict) -> Any:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield SchemaError(f"{instance!r} does not match the pattern {pattern!r}")


@cache
def _compiled(pattern: str) -> Any:
    return regex.compile(pattern)


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})


@cache
def validator_for(schema_path: Path) -> Any:
    """A validator for one of NIST's OSCAL JSON schemas (read once)."""
    return OscalValidator(json.loads(schema_path.read_text(encoding="utf-8")))


def schema_errors(document: Any, *, schema_path: Path) -> list[str]:
    """What is wrong with `document` by the schema, each as "where: what" (at most a few)."""
    found = []
    for error in validator_for(schema_path).iter_errors(document):
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        found.append(f"{where}: {error.message[:300]}")
        if len(found) >= MAX_ERRORS:
            break
    return found


def parse_upload(content: bytes, *, model: str, field: str = "file") -> dict:
    """An uploaded OSCAL document of `model` ("catalog" or "profile"), parsed and checked
    against NIST's schema; a field error naming what is wrong for anything else."""
    if len(content) > MAX_BYTES:
        raise ValidationError({field: [
            f"The file is {len(content):,} bytes; an OSCAL file may be at most "
            f"{MAX_BYTES // (1024 * 1024)} MB."]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({field: [
            f"The file is not UTF-8 text (byte {exc.start}); OSCAL JSON is UTF-8."]}) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({field: [
            f"Not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]}) from None
    except RecursionError:
        raise ValidationError({field: ["Not usable JSON: it is nested too deeply."]}) from None
    if not isinstance(document, dict) or model not in document:
        found = ", ".join(sorted(document)) if isinstance(document, dict) else type(document).__name__
        raise ValidationError({field: [
            f"Not an OSCAL {model}: the top of the file must be an object with a "
            f"\"{model}\" member (found: {found or 'nothing'})."]})
    try:
        problems = schema_errors(document, schema_path=SCHEMA_DIR / f"oscal_{model}_schema.json")
    except RecursionError:
        raise ValidationError({field: ["Not usable JSON: it is nested too deeply."]}) from None
    if problems:
        raise ValidationError({field: [
            f"Not a valid OSCAL {OSCAL_VERSION} {model} by NIST's schema: " + "; ".join(problems)]})
    return document[model]
