"""A refusal is the caller's mistake, not the server's: one log line, never a traceback."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [r for r in caplog.records if r.name.startswith("django.request")]


def test_a_403_page_logs_one_line_without_a_traceback(org, members, web_client_for, caplog):
    viewer = web_client_for(members["viewer"])
    with caplog.at_level(logging.WARNING):
        r = viewer.get(f"/o/{org.slug}/ai-systems/new/")
    assert r.status_code == 403
    records = _request_records(caplog)
    assert len(records) <= 1
    assert all(r.exc_info is None and not r.exc_text for r in records)
    assert "Traceback" not in caplog.text


def test_a_404_page_logs_without_a_traceback(org, members, web_client_for, caplog):
    viewer = web_client_for(members["viewer"])
    with caplog.at_level(logging.WARNING):
        r = viewer.get("/o/no-such-org/ai-systems/")
    assert r.status_code == 404
    assert "Traceback" not in caplog.text
    assert len(_request_records(caplog)) <= 1


def test_an_api_403_logs_without_a_traceback(org, members, api_client_for, caplog):
    viewer = api_client_for(members["viewer"])
    with caplog.at_level(logging.WARNING):
        r = viewer.post(f"/api/v1/orgs/{org.slug}/ai-systems", {"name": "x"})
    assert r.status_code == 403
    assert "Traceback" not in caplog.text
    assert len(_request_records(caplog)) <= 1
