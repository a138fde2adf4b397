"""The audit pack of a record with many evidence files is made by a background job: the pack
page posts the period to a job, which writes the ZIP section by section with its progress and
keeps it to download. A small record still downloads at once."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from aims.jobs.models import Job, JobStatus
from aims.jobs.services import job_run

pytestmark = pytest.mark.django_db


def test_a_large_record_prepares_its_pack_as_a_job(org, members, web_client_for, settings,
                                                    django_capture_on_commit_callbacks):
    settings.AIMS_PACK_INLINE_FILES = -1  # every record counts as large
    editor = web_client_for(members["editor"])
    page = editor.get(f"/o/{org.slug}/audit-pack/").content.decode()
    assert "Prepare the audit pack" in page and 'value="audit.pack"' in page
    # A viewer may not start jobs: the direct download stays.
    viewer_page = web_client_for(members["viewer"]).get(f"/o/{org.slug}/audit-pack/")
    assert "Download the audit pack" in viewer_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = editor.post(f"/o/{org.slug}/jobs/start/", {
            "kind": "audit.pack", "start": "2026-01-01", "end": "2026-06-30"})
    assert started.status_code == 302
    job = Job.objects.for_org(org).get(kind="audit.pack")
    assert job.params == {"from": "2026-01-01", "to": "2026-06-30"}
    job = job_run(job_id=str(job.pk), worker="test-worker")
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_done == job.progress_total == 10
    assert job.result_name == f"{org.slug}-audit-pack-20260101-20260630.zip"
    with default_storage.open(job.result_path, "rb") as f:
        pack = zipfile.ZipFile(io.BytesIO(f.read()))
    manifest = json.loads(pack.read("manifest.json"))
    assert manifest["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert "index.html" in pack.namelist()


def test_a_small_record_downloads_at_once(org, members, web_client_for):
    page = web_client_for(members["editor"]).get(f"/o/{org.slug}/audit-pack/").content.decode()
    assert "Download the audit pack" in page and "Prepare the audit pack" not in page


@pytest.mark.parametrize(("params", "field"), [
    ({"colour": "red"}, "params"), ({"from": "yesterday"}, "params.from"),
    ({"from": "2026-06-01", "to": "2026-01-01"}, "params.to")])
def test_the_api_refuses_a_bad_period_naming_it(org, members, api_client_for, params, field):
    api = api_client_for(members["editor"])
    bad = api.post(f"/api/v1/orgs/{org.slug}/jobs", {"kind": "audit.pack", "params": params})
    assert bad.status_code == 422 and field in bad.json()["errors"], bad.content
