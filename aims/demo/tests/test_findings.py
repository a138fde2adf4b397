"""The demo's security findings: built through the services, triaged as a team would."""

from __future__ import annotations

from aims.demo.findings import report
from aims.findings.sarif import parse


def test_the_demo_report_reads_with_each_kind_of_detail():
    parsed = parse(report())
    assert parsed.tools == ["llm-redteam 2.3.0", "depscan 5.1.0"]
    by_rule = {r.rule_id: r for r in parsed.results}
    assert by_rule["inject.indirect"].owasp_llm == "LLM01"
    assert by_rule["leak.system-prompt"].owasp_llm == "LLM07"
    assert by_rule["pii.echo"].owasp_llm == "LLM02"
    assert by_rule["consumption.long-input"].owasp_llm == "LLM10"
    dep = by_rule["CVE-2025-10001"]
    assert (dep.severity, dep.cwes, dep.start_line) == ("high", ["CWE-400"], 18)
