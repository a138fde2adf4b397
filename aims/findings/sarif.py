"""Reading a SARIF 2.1.0 report (any scanner: code, dependency, container, LLM red-team) into
findings, without trusting it.

The whole report is read and checked before anything is written, so a file that is not JSON,
not SARIF 2.1.0, too large or wrong in any result is refused as a whole with a message naming
where it is wrong. What a result says is kept as plain text, cut to the columns' lengths.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from aims.core.errors import ValidationError
from aims.findings.models import FindingSeverity

SARIF_VERSION = "2.1.0"
MAX_BYTES = 20 * 1024 * 1024
MAX_RESULTS = 20_000
MAX_MESSAGE = 4000
FIELD = "file"
# Results that report a check passed or did not apply, not a finding.
SKIPPED_KINDS = ("pass", "notApplicable")
DATA = Path(__file__).resolve().parent / "data" / "owasp_llm.json"


@dataclass
class Result:
    """One finding as the report gives it."""

    tool_name: str
    tool_version: str
    rule_id: str
    rule_name: str
    message: str
    severity: str
    level: str
    security_severity: Decimal | None
    cvss_score: Decimal | None
    cvss_vector: str
    cwes: list[str]
    owasp_llm: str
    location: str
    start_line: int | None
    fingerprint: str


@dataclass
class Report:
    sha256: str
    tools: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    @property
    def tool_names(self) -> set[str]:
        return {r.tool_name for r in self.results} | {t.split(" ")[0] for t in self.tools}


def _refuse(message: str) -> ValidationError:
    return ValidationError({FIELD: [message]})


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    value = value.replace("\x00", "").strip()
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _obj(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _refuse(f"{where} must be a JSON object.")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _refuse(f"{where} must be a JSON array.")
    return value


def too_large(size: int) -> str:
    return (f"The report is {size / 1024 / 1024:.1f} MB; SARIF reports may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB. Split the scan by folder or tool.")


def _decode(content: bytes) -> dict[str, Any]:
    if len(content) > MAX_BYTES:
        raise _refuse(too_large(len(content)))
    if not content.strip():
        raise _refuse("The file is empty: send the SARIF report the scanner wrote.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(f"The file is not UTF-8 text (byte {exc.start} cannot be read): SARIF "
                      "reports are JSON in UTF-8.") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") \
            from None
    except RecursionError:
        raise _refuse("Not a SARIF report: the JSON is nested too deeply.") from None
    if not isinstance(doc, dict):
        raise _refuse("Not a SARIF report: the file must hold one JSON object with "
                      "\"version\" and \"runs\".")
    version = doc.get("version")
    if version != SARIF_VERSION:
        raise _refuse(f"Only SARIF {SARIF_VERSION} is read; this file says version "
                      f"{json.dumps(version)[:40]}. Ask the scanner for SARIF {SARIF_VERSION} "
                      "output.")
    if not isinstance(doc.get("runs"), list):
        raise _refuse("Not a SARIF report: \"runs\" must be an array of tool runs.")
    return doc


# ---------------------------------------------------------------------------- severity


def _score(value: Any) -> Decimal | None:
    """A 0–10 score from a number or a numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not score.is_finite() or not 0 <= score <= 10:
        return None
    return score.quantize(Decimal("0.1"))


def severity_of(level: str, security_severity: Decimal | None) -> str:
    """The severity: from the 0–10 security-severity when the tool gives one (the bands CVSS
    uses), else from the SARIF level."""
    if security_severity is not None:
        if security_severity >= 9:
            return FindingSeverity.CRITICAL
        if security_severity >= 7:
            return FindingSeverity.HIGH
        if security_severity >= 4:
            return FindingSeverity.MEDIUM
        if security_severity > 0:
            return FindingSeverity.LOW
        return FindingSeverity.INFO
    return {"error": FindingSeverity.HIGH, "warning": FindingSeverity.MEDIUM,
            "note": FindingSeverity.LOW}.get(level, FindingSeverity.INFO)


_CVSS_SCORE_KEYS = ("cvss", "cvssScore", "cvss_score", "cvssV3_score", "cvssv3_baseScore",
                    "cvssV3BaseScore", "cvss3Score", "cvss-score")
_CVSS_VECTOR = re.compile(r"^CVSS:[34]\.[01]/[A-Z:/]+$")


def _cvss(*props: dict[str, Any]) -> tuple[Decimal | None, str]:
    score, vector = None, ""
    for p in props:
        for key in _CVSS_SCORE_KEYS:
            if score is None and key in p:
                value = p[key]
                score = _score(value.get("score") if isinstance(value, dict) else value)
        if not vector:
            for value in p.values():
                if isinstance(value, str) and _CVSS_VECTOR.match(value.strip()):
                    vector = value.strip()[:200]
                    break
    return score, vector


_CWE = re.compile(r"cwe[-_/: ]*0*(\d{1,5})\b", re.IGNORECASE)


def _cwes(tags: list[str], props: dict[str, Any], relationships: list[Any]) -> list[str]:
    found: list[str] = []
    texts = [t for t in tags if isinstance(t, str)]
    for key in ("cwe", "cwes", "CWE", "cwe_ids", "cwe-id"):
        value = props.get(key)
        values = value if isinstance(value, list) else [value]
        texts += [f"CWE-{v}" if isinstance(v, int) or (isinstance(v, str) and v.isdigit())
                  else v for v in values if isinstance(v, (str, int))]
    for rel in relationships:
        target = rel.get("target") if isinstance(rel, dict) else None
        if isinstance(target, dict):
            component = target.get("toolComponent")
            name = component.get("name", "") if isinstance(component, dict) else ""
            if isinstance(name, str) and name.upper() == "CWE" and isinstance(
                    target.get("id"), str):
                texts.append(f"CWE-{target['id']}")
    for text in texts:
        for number in _CWE.findall(str(text)):
            cwe = f"CWE-{int(number)}"
            if cwe not in found:
                found.append(cwe)
    return found[:10]


# ---------------------------------------------------------------------------- OWASP LLM


@cache
def _owasp_table() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple((e["ref"], tuple(re.compile(p, re.IGNORECASE) for p in e["patterns"]))
                 for e in data["entries"])


@cache
def owasp_reasons() -> dict[str, str]:
    """Why a rule falls under each entry, in words, by entry (LLM01 …)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {e["ref"]: e["why"] for e in data["entries"]}


_LLM_TAG = re.compile(r"(?:owasp[-_ ]?)?llm[-_ ]?(0?[1-9]|10)(?![0-9])", re.IGNORECASE)


def owasp_llm_of(rule_id: str, rule_name: str, tags: list[str]) -> str:
    """The OWASP Top 10 for LLM applications entry a rule falls under, or ""."""
    for tag in tags:
        if isinstance(tag, str) and (m := _LLM_TAG.search(tag)):
            return f"LLM{int(m.group(1)):02d}"
    words = " ".join([rule_id, rule_name, *(t for t in tags if isinstance(t, str))])
    for ref, patterns in _owasp_table():
        if any(p.search(words) for p in patterns):
            return ref
    return ""


# ---------------------------------------------------------------------------- results


def _message(msg: Any, rule: dict[str, Any]) -> str:
    msg = msg if isinstance(msg, dict) else {}
    text = msg.get("text") or msg.get("markdown")
    if not isinstance(text, str) or not text.strip():
        # A message given by id refers to the rule's message strings.
        strings = rule.get("messageStrings")
        entry = strings.get(msg.get("id")) if isinstance(strings, dict) and isinstance(
            msg.get("id"), str) else None
        text = entry.get("text") if isinstance(entry, dict) else None
    if not isinstance(text, str) or not text.strip():
        short = rule.get("shortDescription")
        text = short.get("text") if isinstance(short, dict) else ""
    return _text(text, MAX_MESSAGE) or "(the scanner gave no message)"


def _location(result: dict[str, Any], where: str) -> tuple[str, int | None]:
    locations = _list(result.get("locations"), f"{where}.locations")
    if not locations:
        return "", None
    loc = _obj(locations[0], f"{where}.locations[0]")
    physical = _obj(loc.get("physicalLocation"), f"{where}.locations[0].physicalLocation")
    artifact = _obj(physical.get("artifactLocation"),
                    f"{where}.locations[0].physicalLocation.artifactLocation")
    region = _obj(physical.get("region"), f"{where}.locations[0].physicalLocation.region")
    uri = _text(artifact.get("uri"), 1000)
    line = region.get("startLine")
    start = line if isinstance(line, int) and not isinstance(line, bool) and 0 < line < 2**31 \
        else None
    if not uri:
        logical = _list(loc.get("logicalLocations"), f"{where}.locations[0].logicalLocations")
        first = logical[0] if logical and isinstance(logical[0], dict) else {}
        uri = _text(first.get("fullyQualifiedName") or first.get("name"), 1000)
    return uri, start


def _fingerprint(tool: str, rule_id: str, result: dict[str, Any], location: str,
                 line: int | None, message: str) -> str:
    """The tool's own fingerprints when it gives them, else a hash of rule and place (the
    message stands in for the place when there is none, as red-team tools report)."""
    given = {}
    for key in ("partialFingerprints", "fingerprints"):
        value = result.get(key)
        if isinstance(value, dict):
            given.update({str(k): str(v) for k, v in value.items()
                          if isinstance(v, (str, int))})
    basis = ["sarif-fp", tool, rule_id, *(f"{k}={given[k]}" for k in sorted(given))] if given \
        else ["sarif-loc", tool, rule_id, location, str(line or ""),
              "" if location else message]
    return hashlib.sha256("\x1f".join(basis).encode("utf-8")).hexdigest()


def _rules(driver: dict[str, Any], where: str) -> tuple[list[dict[str, Any]],
                                                         dict[str, dict[str, Any]]]:
    rules = [_obj(r, f"{where}.tool.driver.rules[{n}]")
             for n, r in enumerate(_list(driver.get("rules"), f"{where}.tool.driver.rules"))]
    return rules, {r["id"]: r for r in rules if isinstance(r.get("id"), str)}


def _result(raw: Any, where: str, tool: str, version: str, rules: list[dict[str, Any]],
            by_id: dict[str, dict[str, Any]]) -> Result:
    result = _obj(raw, where)
    rule_id = result.get("ruleId")
    index = result.get("ruleIndex")
    rule: dict[str, Any] = {}
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(rules):
        rule = rules[index]
    elif isinstance(rule_id, str):
        rule = by_id.get(rule_id, {})
    if not isinstance(rule_id, str) or not rule_id.strip():
        nested = result.get("rule")
        rule_id = nested.get("id") if isinstance(nested, dict) else rule.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise _refuse(f"{where} names no rule (ruleId): each result must say which rule "
                      "found it.")
    rule_id = _text(rule_id, 255)
    rule_props = _obj(rule.get("properties"), f"rule {rule_id} properties")
    props = _obj(result.get("properties"), f"{where}.properties")
    tags = [t for t in [*_list(rule_props.get("tags"), f"rule {rule_id} tags"),
                        *_list(props.get("tags"), f"{where}.properties.tags")]
            if isinstance(t, str)]
    config = rule.get("defaultConfiguration")
    level = result.get("level") or (config.get("level") if isinstance(config, dict) else None) \
        or "warning"
    level = level if level in ("none", "note", "warning", "error") else "warning"
    security = _score(props.get("security-severity", rule_props.get("security-severity")))
    cvss_score, cvss_vector = _cvss(props, rule_props)
    rule_name = _text(rule.get("name") or _short(rule), 255)
    message = _message(result.get("message"), rule)
    location, line = _location(result, where)
    return Result(
        tool_name=tool, tool_version=version, rule_id=rule_id, rule_name=rule_name,
        message=message, level=level,
        severity=severity_of(level, security if security is not None else cvss_score),
        security_severity=security, cvss_score=cvss_score, cvss_vector=cvss_vector,
        cwes=_cwes(tags, {**rule_props, **props},
                   _list(rule.get("relationships"), f"rule {rule_id} relationships")),
        owasp_llm=owasp_llm_of(rule_id, rule_name, tags), location=location, start_line=line,
        fingerprint=_fingerprint(tool, rule_id, result, location, line, message))


def _short(rule: dict[str, Any]) -> str:
    short = rule.get("shortDescription")
    return short.get("text", "") if isinstance(short, dict) else ""


def parse(content: bytes) -> Report:
    """The findings of a SARIF 2.1.0 report; a ValidationError on `file` naming what is wrong
    (nothing is written by reading)."""
    doc = _decode(content)
    report = Report(sha256=hashlib.sha256(content).hexdigest())
    for n, raw_run in enumerate(doc["runs"]):
        where = f"runs[{n}]"
        run = _obj(raw_run, where)
        driver = _obj(_obj(run.get("tool"), f"{where}.tool").get("driver"), f"{where}.tool.driver")
        tool = _text(driver.get("name"), 120)
        if not tool:
            raise _refuse(f"{where}.tool.driver.name is missing: a report must name the tool "
                          "that ran.")
        version = _text(driver.get("semanticVersion") or driver.get("version"), 80)
        report.tools.append(f"{tool} {version}".strip())
        rules, by_id = _rules(driver, where)
        results = _list(run.get("results"), f"{where}.results")
        if len(report.results) + len(results) > MAX_RESULTS:
            raise _refuse(f"The report holds more than {MAX_RESULTS} results; import it in "
                          "parts (by tool or by folder).")
        for m, raw in enumerate(results):
            if isinstance(raw, dict) and raw.get("kind") in SKIPPED_KINDS:
                continue
            report.results.append(_result(raw, f"{where}.results[{m}]", tool, version, rules,
                                          by_id))
    if not report.tools:
        raise _refuse("The report holds no run: there is nothing to import.")
    return report
