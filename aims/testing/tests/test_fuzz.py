"""The fuzz harness reads schemathesis' event report into a compact summary."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

from aims.testing.fuzz import _environment, read_events, summarize


def _b64(text: str) -> dict:
    return {"$base64": base64.b64encode(text.encode()).decode()}


def _scenario(label: str, cases: dict) -> dict:
    """A ScenarioFinished event as the NDJSON report writes it: {case_id: (method, path,
    status, {check: failure message or None}, request body)}."""
    recorder: dict[str, Any] = {"label": label, "cases": {}, "checks": {}, "interactions": {}}
    for case_id, (method, path, status, checks, body) in cases.items():
        recorder["cases"][case_id] = {"value": {"method": method, "path": path, "id": case_id}}
        recorder["checks"][case_id] = [
            {"name": name, "status": "success"} if message is None else
            {"name": name, "status": "failure",
             "failure_info": {"failure": {"operation": label, "message": message}}}
            for name, message in checks.items()]
        request = {"method": method, "uri": "http://127.0.0.1:1" + path.replace("{slug}", "demo")}
        if body is not None:
            request["body"] = _b64(body)
        recorder["interactions"][case_id] = {
            "request": request, "response": {"status_code": status, "content": _b64("oops")}}
    return {"ScenarioFinished": {"status": "failure", "recorder": recorder}}


def _report(tmp_path, *events: dict):
    path = tmp_path / "events.ndjson"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return path


def test_failures_are_grouped_by_operation_check_and_status(tmp_path):
    risks = "/api/v1/orgs/{slug}/risks"
    report = _report(
        tmp_path,
        {"LoadingFinished": {"statistic": {"operations": {"total": 3, "selected": 3}}}},
        _scenario(f"POST {risks}", {
            "a": ("POST", risks, 500, {"not_a_server_error": "Server error",
                                       "status_code_conformance": "Undocumented status code"},
                  '{"title": "\x00"}'),
            "b": ("POST", risks, 422, {"not_a_server_error": None,
                                       "status_code_conformance": "Undocumented status code"},
                  "{}"),
            "c": ("POST", risks, 201, {"not_a_server_error": None,
                                       "status_code_conformance": None}, "{}"),
        }),
        _scenario(f"GET {risks}", {
            "d": ("GET", risks, 200, {"response_schema_conformance":
                                      '"ref" is a required property\n\nSchema at …'}, None),
        }),
        {"NonFatalError": {"label": "GET /api/v1/orgs/{slug}", "phase": "coverage",
                           "value": {"type": "SystemError", "message": "boom"}}},
    )
    log = tmp_path / "server.log"
    log.write_text(
        "Bad request (Unable to parse request body): /api/v1/orgs/demo/evidence\n"
        "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
        "MultiPartParserError: Invalid boundary in multipart: None\n"
        "Internal Server Error: /api/v1/orgs/demo/risks\n"
        "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
        "KeyError: 'title'\n\nDuring handling of the above exception, another exception "
        "occurred:\n\nTraceback (most recent call last):\n  File \"x.py\", line 2, in g\n"
        "ValueError: A string literal cannot contain NUL (0x00) characters.\n"
        '127.0.0.1 - - [06/Dec/2026:23:40:48 +0000] "POST /api/v1/orgs/demo/risks" 500 145\n')

    results = read_events(report)
    out = io.StringIO()
    summarize(results, log, out=out)
    text = out.getvalue()

    assert set(results.cases) == {"a", "b", "d"}
    assert results.tested == 3
    assert "3 failing requests over 3 operations" in text
    assert "POST /api/v1/orgs/{slug}/risks" in text
    assert "not_a_server_error" in text and "500" in text and "422" in text
    assert '"ref" is a required property' in text
    assert '[500] POST http://127.0.0.1:1/api/v1/orgs/demo/risks  body: {"title": "\\x00"}' in text
    assert "×1  ValueError: A string literal cannot contain NUL" in text
    assert "KeyError" not in text and "MultiPartParserError" not in text
    assert "SystemError: boom" in text


def test_a_clean_run_says_so(tmp_path):
    out = io.StringIO()
    summarize(read_events(_report(tmp_path)), None, out=out)
    assert "0 failing requests" in out.getvalue()


def test_the_instance_ignores_the_callers_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://aims@db.invalid/aims")
    monkeypatch.setenv("AIMS_SECRET_KEY", "real")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.local")
    env = _environment(tmp_path / "var")
    assert env["AIMS_VAR_DIR"] == str(tmp_path / "var")
    assert not {"DATABASE_URL", "AIMS_SECRET_KEY", "DJANGO_SETTINGS_MODULE"} & set(env)
