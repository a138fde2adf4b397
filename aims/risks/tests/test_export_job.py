"""A large register is exported by a background job: the register page offers to prepare the
workbook (with the filters it shows), the job writes it with progress and keeps it to
download; a small register still downloads at once."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from aims.jobs.models import Job, JobStatus
from aims.jobs.services import job_run

pytestmark = pytest.mark.django_db


def _url(org, rest: str = "") -> str:
    return f"/o/{org.slug}/risks/{rest}"


def test_a_register_above_the_threshold_is_prepared_as_a_job(org, members, web_client_for,
                                                              make_risk, settings,
                                                              django_capture_on_commit_callbacks):
    settings.AIMS_EXPORT_INLINE_ROWS = 2
    for n in range(3):
        make_risk(title=f"Bias risk {n}")
    make_risk(title="Drifting scores", category="drift")
    editor = web_client_for(members["editor"])
    page = editor.get(_url(org), {"category": "bias"}).content.decode()
    assert "Prepare XLSX" in page and 'value="risks.xlsx"' in page
    assert 'name="category" value="bias"' in page
    # A viewer may not start jobs: the direct download stays.
    assert "Export XLSX" in web_client_for(members["viewer"]).get(_url(org)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = editor.post(f"/o/{org.slug}/jobs/start/",
                              {"kind": "risks.xlsx", "category": "bias"})
    assert started.status_code == 302
    job = Job.objects.for_org(org).get(kind="risks.xlsx")
    job = job_run(job_id=str(job.pk), worker="test-worker")
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_done == job.progress_total == 3
    assert job.result_name.endswith(".xlsx")
    with default_storage.open(job.result_path, "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read()), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Ref", "Title")
    assert sorted(r[1] for r in rows[1:]) == ["Bias risk 0", "Bias risk 1", "Bias risk 2"]


def test_below_the_threshold_the_register_downloads_at_once(org, members, web_client_for,
                                                            make_risk):
    make_risk()
    page = web_client_for(members["editor"]).get(_url(org)).content.decode()
    assert "Export XLSX" in page and "Prepare XLSX" not in page


def test_the_api_starts_it_and_refuses_unknown_or_wrong_filters(org, members, api_client_for):
    api = api_client_for(members["editor"])
    ok = api.post(f"/api/v1/orgs/{org.slug}/jobs", {"kind": "risks.xlsx",
                                                    "params": {"level": "high"}})
    assert ok.status_code == 202, ok.content
    for params, field in (({"colour": "red"}, "params"), ({"level": "extreme"}, "params.level")):
        bad = api.post(f"/api/v1/orgs/{org.slug}/jobs", {"kind": "risks.xlsx", "params": params})
        assert bad.status_code == 422 and field in bad.json()["errors"], bad.content
