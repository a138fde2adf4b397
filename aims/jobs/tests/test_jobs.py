"""Background jobs from the three doors: a member prepares the activity log in the background,
follows its progress and downloads the file; the schedule starts the daily upkeep once per
organisation and day; a job whose worker died is run again or failed with the reason."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aims.activity.anchors import anchor_key_create, anchor_latest
from aims.activity.models import Event
from aims.jobs.models import Job, JobStatus
from aims.jobs.services import job_run, job_start, jobs_recover, schedule_due, worker_gone
from aims.orgs.models import Membership
from aims.testing.factories import ctx_for, make_ai_system

pytestmark = pytest.mark.django_db


def _run(job: Job) -> Job:
    done = job_run(job_id=str(job.pk), worker="test-worker")
    assert done is not None
    return done


def test_prepare_download_from_the_activity_log_page(org, members, ctx, web_client_for,
                                                     django_capture_on_commit_callbacks):
    make_ai_system(ctx, name="Chatbot")
    c = web_client_for(members["editor"])
    page = c.get(f"/o/{org.slug}/activity/", {"object_type": "inventory.aisystem"})
    assert b"Prepare download" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(f"/o/{org.slug}/jobs/start/",
                          {"kind": "activity.csv", "object_type": "inventory.aisystem"})
    assert response.status_code == 302
    job = Job.objects.for_org(org).get()
    assert response["Location"] == f"/o/{org.slug}/jobs/{job.pk}/"
    # Queued on Django's task API (the database backend) for a worker.
    assert DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()
    waiting = c.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in waiting and 'hx-trigger="every 2s"' in waiting

    job = _run(job)
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert job.progress_done == job.progress_total == 1
    partial = c.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in partial and f"Download {job.result_name}" in partial
    download = c.get(f"/o/{org.slug}/jobs/{job.pk}/file/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Seq", "Time (UTC)", "Actor", "Action"]
    assert len(rows) == 2 and rows[1][6] == "Chatbot"
    listing = c.get(f"/o/{org.slug}/jobs/").content.decode()
    assert "Activity log (CSV)" in listing and job.result_name in listing


def test_the_api_starts_follows_and_downloads(org, members, api_client_for):
    api = api_client_for(members["auditor"])
    started = api.post(f"/api/v1/orgs/{org.slug}/jobs", {"kind": "activity.csv",
                                                       "params": {"action": "create"}})
    assert started.status_code == 202, started.content
    body = started.json()
    assert body["status"] == "queued" and body["file_url"] is None
    job = Job.objects.for_org(org).get(pk=body["id"])
    _run(job)
    got = api.get(f"/api/v1/orgs/{org.slug}/jobs/{job.pk}").json()
    assert got["status"] == "done" and got["percent"] == 100
    assert got["file_url"] == f"/api/v1/orgs/{org.slug}/jobs/{job.pk}/file"
    file = api.get(got["file_url"])
    assert file.status_code == 200 and file["Content-Type"].startswith("text/csv")
    listed = api.get(f"/api/v1/orgs/{org.slug}/jobs", {"status": "done"}).json()
    assert [j["id"] for j in listed["items"]] == [str(job.pk)]


@pytest.mark.parametrize(("payload", "field"), [
    ({"kind": "no.such"}, "kind"),
    ({"kind": "activity.csv", "params": {"since": "yesterday"}}, "params.since"),
    ({"kind": "activity.csv", "params": {"colour": "red"}}, "params"),
])
def test_bad_input_is_refused_naming_the_field(org, api, payload, field):
    response = api.post(f"/api/v1/orgs/{org.slug}/jobs", payload)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not Job.objects.for_org(org).exists()


def test_viewers_cannot_start_jobs_and_see_only_kinds_they_may(org, members, api_client_for,
                                                                web_client_for):
    viewer = api_client_for(members["viewer"])
    assert viewer.post(f"/api/v1/orgs/{org.slug}/jobs", {"kind": "activity.csv"}).status_code == 403
    page = web_client_for(members["viewer"]).get(f"/o/{org.slug}/activity/")
    assert b"Prepare download" not in page.content
    upkeep = {job.org_id: job for job in schedule_due()}[org.pk]
    # The daily upkeep is the owner's business (it e-mails members), not a viewer's.
    assert viewer.get(f"/api/v1/orgs/{org.slug}/jobs").json()["count"] == 0
    assert viewer.get(f"/api/v1/orgs/{org.slug}/jobs/{upkeep.pk}").status_code == 404
    owner = api_client_for(members["owner"])
    assert owner.get(f"/api/v1/orgs/{org.slug}/jobs/{upkeep.pk}").status_code == 200


def test_a_job_whose_starter_left_fails_with_the_reason_and_keeps_no_file(org, members, ctx):
    job = job_start(ctx=ctx, kind="activity.csv")
    Membership.objects.filter(org=org, user=members["editor"]).delete()
    job = _run(job)
    assert job.status == JobStatus.FAILED and "not found" in job.error.lower()
    assert not job.result_path
    assert job_run(job_id=str(job.pk), worker="again") is None  # finished: never run twice


def test_the_schedule_starts_the_daily_upkeep_once_per_organisation_and_day(org, other_org):
    anchor_key_create()
    first = schedule_due()
    assert sorted(j.org.slug for j in first) == ["acme", "globex"]
    assert schedule_due() == []  # asked again the same day: nothing new
    # A worker racing another reaches the database's guard, which keeps one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.for_org(org).create(org=org, kind="upkeep.daily", label="x",
                                        period=timezone.localdate().isoformat())
    tomorrow = timezone.now() + timedelta(days=1)
    assert len(schedule_due(now=tomorrow)) == 2
    job = _run(Job.objects.for_org(org).filter(kind="upkeep.daily").earliest("created_at"))
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_done == 4 and not job.result_path
    assert anchor_latest(str(org.pk)) is not None  # the day's checkpoint of the log
    assert Event.objects.filter(org=org, object_type="jobs.job").count() == 2


def test_a_lost_job_is_queued_again_then_failed_after_its_last_attempt(org, ctx):
    job = job_start(ctx=ctx, kind="activity.csv")
    long_ago = timezone.now() - timedelta(minutes=10)
    Job.objects.for_org(org).filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=long_ago)
    default_storage.save(f"jobs/{org.pk}/{job.pk}/half.csv", io.BytesIO(b"Seq,Ti"))
    assert [j.pk for j in jobs_recover(stale_after=timedelta(seconds=60))] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "stopped" in job.message
    assert not default_storage.exists(f"jobs/{org.pk}/{job.pk}/half.csv")  # nothing half-written

    Job.objects.for_org(org).filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=2, heartbeat_at=long_ago)
    jobs_recover(stale_after=timedelta(seconds=60))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped without finishing (attempt 2 of 2)" in job.error
    # A fresh heartbeat is left alone.
    fresh = job_start(ctx=ctx, kind="activity.csv")
    Job.objects.for_org(org).filter(pk=fresh.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert jobs_recover(stale_after=timedelta(seconds=60)) == []


def test_the_cli_starts_and_lists_jobs(org, capsys):
    call_command("jobs", "start", "activity.csv", "--org", org.slug, "--param", "action=create")
    out = capsys.readouterr().out
    assert "queued: Activity log (CSV)" in out
    call_command("jobs", "list", "--org", org.slug)
    assert "queued" in capsys.readouterr().out


def test_job_pages_stay_bounded(org, members, web_client_for, django_assert_max_num_queries):
    c = web_client_for(members["owner"])
    owner_ctx = ctx_for(org, members["owner"])
    for size in (2, 30):
        while Job.objects.for_org(org).count() < size:
            _run(job_start(ctx=owner_ctx, kind="activity.csv"))
        with django_assert_max_num_queries(12):
            assert c.get(f"/o/{org.slug}/jobs/").status_code == 200
        job = Job.objects.for_org(org).first()
        with django_assert_max_num_queries(12):
            assert c.get(f"/o/{org.slug}/jobs/{job.pk}/").status_code == 200


def test_a_job_whose_worker_process_is_gone_from_this_machine_is_taken_back_at_once(org, ctx):
    """Its heartbeat is fresh, but the process named in `worker` no longer exists here: no need
    to wait for the heartbeat to go stale. A live process, or one on another machine, is left
    to its heartbeat."""
    host = socket.gethostname()[:40]
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    try:
        assert worker_gone(f"{host}:{dead.pid}")
        assert not worker_gone(f"{host}:{alive.pid}")
        assert not worker_gone(f"elsewhere.example:{dead.pid}")
        assert not worker_gone("test-worker") and not worker_gone("")
        jobs = {}
        for name, pid in (("dead", dead.pid), ("alive", alive.pid)):
            jobs[name] = job_start(ctx=ctx, kind="activity.csv")
            Job.objects.for_org(org).filter(pk=jobs[name].pk).update(
                status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now(),
                worker=f"{host}:{pid}")
        assert [j.pk for j in jobs_recover(stale_after=timedelta(seconds=60))] == [
            jobs["dead"].pk]
        assert Job.objects.for_org(org).get(pk=jobs["alive"].pk).status == JobStatus.RUNNING
    finally:
        alive.kill()
        alive.wait()
