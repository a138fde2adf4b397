"""/healthz, /readyz and /metrics as a load balancer and Prometheus use them; the request id
and the JSON log lines as an operator reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_checks_database_storage_and_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "storage", "queue"}


def test_readyz_names_the_storage_it_cannot_reach(client, settings, unused_port):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "aims", "endpoint_url": f"http://127.0.0.1:{unused_port}",
                    "access_key": "k", "secret_key": "s", "region_name": "us-east-1"}}}
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    try:
        response = client.get("/readyz")
    finally:
        storages._storages.pop("default", None)
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def _script(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("AIMS_")
            and k not in ("DATABASE_URL",)}
    base.update(DJANGO_SETTINGS_MODULE="config.settings.test", **env)
    prelude = "import django; django.setup(); from django.test import Client; c = Client()\n"
    return subprocess.run([sys.executable, "-c", prelude + code], env=base,
                          capture_output=True, text=True, timeout=120)


def test_readyz_names_the_database_it_cannot_reach(unused_port):
    done = _script("r = c.get('/readyz'); print(r.status_code, r.content.decode())",
                   DATABASE_URL=f"postgresql://aims:x@127.0.0.1:{unused_port}/aims")
    status, body = done.stdout.split(" ", 1)
    assert status == "503", done.stderr
    assert json.loads(body)["failed"] == ["database", "queue"]
    assert "readyz: database unreachable" in done.stderr


def test_metrics_from_this_machine_show_routes_queue_and_anchor_age(client, org, members,
                                                                    web_client_for):
    web_client_for(members["viewer"]).get(f"/o/{org.slug}/activity/")
    text = client.get("/metrics").content.decode()
    assert 'aims_request_duration_seconds_count{method="GET",route="activity:list"}' in text
    assert 'aims_queue_depth{queue="default"}' in text
    assert "aims_log_anchor_age_seconds -1.0" in text  # acme has no checkpoint yet
    assert 'aims_jobs{status="queued"}' in text


def test_metrics_need_the_token_when_one_is_set_and_refuse_others(client, settings):
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 403
    settings.AIMS_METRICS_TOKEN = "scrape-me-please-0123456789"
    assert client.get("/metrics").status_code == 403  # localhost no longer suffices
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me-please-0123456789")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain")


def test_the_request_id_is_kept_or_made_and_sent_back(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a.17").get("X-Request-ID") == "lb-4f2a.17"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert len(made) == 32 and "\n" not in made
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_json_logs_carry_the_request_id_and_no_traceback_for_403_or_404():
    done = _script(
        "c.get('/no-such-page', HTTP_X_REQUEST_ID='req-404')\n"
        "Client(REMOTE_ADDR='10.0.0.9').get('/metrics', HTTP_X_REQUEST_ID='req-403')\n",
        AIMS_LOG_FORMAT="json")
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and len(lines) == 2, done.stderr
    by_id = {line["request_id"]: line for line in lines}
    assert by_id["req-404"]["level"] == "warning" and "Not Found" in by_id["req-404"]["message"]
    assert by_id["req-403"]["status_code"] == 403
    assert "Traceback" not in done.stderr and all("exception" not in x for x in lines)
