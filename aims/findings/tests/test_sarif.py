"""Reading SARIF: what a result becomes, and every kind of bad file refused with its reason."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aims.core.errors import ValidationError
from aims.findings import sarif as reader
from aims.findings.tests.conftest import result, sarif


def _error(content: bytes) -> str:
    with pytest.raises(ValidationError) as exc:
        reader.parse(content)
    assert set(exc.value.errors) == {"file"}
    return " ".join(exc.value.errors["file"])


def test_a_mixed_report_gives_each_field(llm_scan):
    report = reader.parse(llm_scan)
    assert report.tools == ["llm-probe 0.9.2", "depcheck 4.2.0"]
    by_rule = {r.rule_id: r for r in report.results}
    inj = by_rule["probe.prompt-injection.indirect"]
    assert (inj.severity, inj.level, inj.security_severity) == ("high", "error", Decimal("8.1"))
    assert inj.owasp_llm == "LLM01" and inj.location == "" and inj.tool_version == "0.9.2"
    assert inj.rule_name == "IndirectPromptInjection"
    leak = by_rule["probe.system-prompt.leak"]
    assert (leak.severity, leak.owasp_llm) == ("medium", "LLM07")  # by the rule's own name
    tone = by_rule["probe.refusal.tone"]
    assert (tone.severity, tone.level, tone.owasp_llm) == ("low", "note", "")
    dep = by_rule["CVE-2024-0001"]
    assert (dep.severity, dep.cvss_score) == ("critical", Decimal("9.8"))
    assert dep.cvss_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert dep.cwes == ["CWE-502"] and dep.owasp_llm == "LLM03"
    assert (dep.location, dep.start_line) == ("requirements.txt", 12)


def test_cwe_from_codeql_tags_and_taxonomy_relationships():
    rules = [{"id": "py/xss", "properties": {"tags": ["external/cwe/cwe-079",
                                                      "external/cwe/cwe-116"]},
              "relationships": [{"target": {"id": "20", "toolComponent": {"name": "CWE"}}}]}]
    (r,) = reader.parse(sarif([result("py/xss")], rules=rules)).results
    assert r.cwes == ["CWE-79", "CWE-116", "CWE-20"]


def test_level_maps_to_severity_when_no_score():
    levels = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
    for level, severity in levels.items():
        (r,) = reader.parse(sarif([result(level=level)])).results
        assert r.severity == severity
    (r,) = reader.parse(sarif([result()])).results  # no level anywhere: SARIF's default
    assert (r.level, r.severity) == ("warning", "medium")


def test_the_fingerprint_is_the_tools_own_or_rule_and_place():
    a = reader.parse(sarif([result(partialFingerprints={"primaryLocationLineHash": "abc"})]))
    b = reader.parse(sarif([result(line=99, partialFingerprints={
        "primaryLocationLineHash": "abc"})]))
    assert a.results[0].fingerprint == b.results[0].fingerprint  # the tool's word wins
    c = reader.parse(sarif([result(line=10)]))
    d = reader.parse(sarif([result(line=11)]))
    assert c.results[0].fingerprint != d.results[0].fingerprint
    assert c.results[0].fingerprint == reader.parse(sarif([result(line=10)])).results[0].fingerprint


def test_passes_are_not_findings():
    report = reader.parse(sarif([result(kind="pass"), result(kind="fail", line=3)]))
    assert [r.start_line for r in report.results] == [3]


@pytest.mark.parametrize("content,says", [
    (b"", "empty"),
    (b"{not json", "Not valid JSON"),
    (b"\xff\xfe\x00b", "not UTF-8"),
    (b"[1, 2]", "one JSON object"),
    (json.dumps({"version": "2.0.0", "runs": []}).encode(), "Only SARIF 2.1.0"),
    (json.dumps({"runs": []}).encode(), "Only SARIF 2.1.0"),
    (json.dumps({"version": "2.1.0", "runs": {}}).encode(), "\"runs\" must be an array"),
    (json.dumps({"version": "2.1.0", "runs": []}).encode(), "no run"),
    (json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}).encode(),
     "runs[0].tool.driver.name"),
    (json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                               "results": [{"message": {"text": "m"}}]}]}
                ).encode(), "runs[0].results[0] names no rule"),
    (json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                               "results": ["oops"]}]}).encode(),
     "runs[0].results[0] must be a JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
def test_hostile_files_are_refused_with_the_reason(content, says):
    assert says in _error(content)


def test_too_many_results_or_bytes():
    many = sarif([result(line=n + 1) for n in range(reader.MAX_RESULTS + 1)])
    assert "more than" in _error(many)
    assert "at most 20 MB" in _error(b" " * (reader.MAX_BYTES + 1))


@given(st.binary(max_size=300))
def test_random_bytes_never_escape_as_anything_but_a_refusal(content):
    with contextlib.suppress(ValidationError):
        reader.parse(content)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(
                        st.sampled_from(["version", "runs", "tool", "driver", "name",
                                         "results", "ruleId", "message", "text",
                                         "locations", "properties", "rules", "level"]),
                        c, max_size=5), max_leaves=30))
def test_random_json_shapes_are_read_or_refused(doc):
    content = json.dumps({"version": "2.1.0", "runs": [doc]}).encode()
    with contextlib.suppress(ValidationError):
        reader.parse(content)


def test_owasp_mapping_from_tags_and_names():
    assert reader.owasp_llm_of("x", "", ["OWASP-LLM10"]) == "LLM10"
    assert reader.owasp_llm_of("garak.promptinject.HijackHateHumans", "", []) == "LLM01"
    assert reader.owasp_llm_of("packagehallucination.Python", "", []) == "LLM09"
    assert reader.owasp_llm_of("py/sql-injection", "", ["security"]) == ""
    assert set(reader.owasp_reasons()) == {f"LLM{n:02d}" for n in range(1, 11)}
