"""`aims worker` as an operator runs it: real worker processes on a real SQLite database.

Two workers start together; their clocks race to start the day's upkeep and the database's
guard keeps one job per organisation. A worker is killed (SIGKILL) in the middle of a large
export: nothing half-written is left, another worker takes the job back within a tick of its
clock (the dead process is on this machine, so nobody waits for its heartbeat to go stale),
and finishes it, storing the file once; on its last attempt the same loss fails the job with
the reason. The heartbeat's threshold is long here on purpose: a busy machine that delays a
live worker's heartbeat never makes another worker take its job.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from aims.testing.sites import PG, Site, installed

EVENTS = 12_000  # the export writes 2,000 a page: several pages, so there is a middle to kill it in
pytestmark = pytest.mark.skipif(PG, reason="SQLite leg only (the scale-out test runs workers "
                                           "on PostgreSQL)")


class WorkerSite(Site):
    """An installation with the workers it started."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workers: list[subprocess.Popen] = []

    def run(self, *args: str) -> str:
        return self.aims(*args, timeout=600).stdout

    def worker(self) -> subprocess.Popen:
        proc = self.popen("worker", "--tick", "0.5", "--interval", "0.2", "--no-startup-delay",
                          "--verbosity", "0", stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
        self.workers.append(proc)
        return proc

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.root / "var" / "aims.sqlite3", timeout=30)
        conn.row_factory = sqlite3.Row
        return conn

    def job(self, job_id: str) -> sqlite3.Row:
        with self.db() as conn:
            return conn.execute("SELECT * FROM jobs_job WHERE id = ?",
                                (job_id.replace("-", ""),)).fetchone()

    def wait(self, job_id: str, ready, what: str, timeout: float = 120) -> sqlite3.Row:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            row = self.job(job_id)
            if row is not None and ready(row):
                return row
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} never {what}: {dict(self.job(job_id) or {})}")

    def files(self, job_id: str) -> list[Path]:
        folder = self.root / "var" / "media" / "jobs" / self.org_id / job_id
        return sorted(folder.iterdir()) if folder.exists() else []

    org_id = ""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # Workers tick fast and, with a long stale threshold, never think a live one is gone.
    site = installed(tmp_path_factory, tmp_path_factory.mktemp("worker") / "site",
                     cls=WorkerSite, AIMS_JOB_HEARTBEAT_SECONDS="0.5",
                     AIMS_JOB_STALE_SECONDS="120")
    site.run("user", "create", "owner@example.org", "--password", "a-long-password-2026")
    site.run("org", "create", "demo", "--name", "Demo", "--owner", "owner@example.org")
    with site.db() as conn:  # a long log, copied from the organisation's own first events
        org_id = conn.execute("SELECT id FROM orgs_organization WHERE slug='demo'").fetchone()[0]
        cols = ("org_id, at, actor_id, actor_ref, actor_label, action, object_type, object_id, "
                "object_repr, changes, prev_hash, hash, key_id")
        while conn.execute("SELECT count(*) FROM activity_event WHERE org_id=?",
                           (org_id,)).fetchone()[0] < EVENTS:
            top = conn.execute("SELECT max(seq) FROM activity_event WHERE org_id=?",
                               (org_id,)).fetchone()[0]
            conn.execute(f"INSERT INTO activity_event (seq, {cols}) SELECT seq + ?, {cols} "
                         "FROM activity_event WHERE org_id=?", (top, org_id))
        # The jobs' own events append after the copies.
        conn.execute("UPDATE orgs_organization SET log_head_seq = (SELECT max(seq) FROM "
                     "activity_event WHERE org_id = :o), log_head_hash = (SELECT hash FROM "
                     "activity_event WHERE org_id = :o ORDER BY seq DESC LIMIT 1) WHERE id = :o",
                     {"o": org_id})
    site.org_id = str(uuid.UUID(org_id))  # as aims names the folders
    yield site
    for proc in site.workers:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _start(site: WorkerSite) -> str:
    return site.run("jobs", "start", "activity.csv", "--org", "demo").split()[0]


def _kill_the_runner(site: WorkerSite, job_id: str) -> None:
    """SIGKILL the worker running `job_id` once it has written part of the file."""
    row = site.wait(job_id, lambda r: r["status"] == "running" and r["progress_done"] > 0,
                    "ran")
    assert row["progress_done"] < row["progress_total"]  # in the middle of the export
    [runner] = [w for w in site.workers if row["worker"].endswith(f":{w.pid}")]
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait()


def test_two_workers_schedule_once_and_a_killed_export_is_finished_by_the_other(site):
    site.worker(), site.worker()  # they start up while the job is queued
    job_id = _start(site)
    _kill_the_runner(site, job_id)
    assert site.files(job_id) == []  # no file, whole or partial

    row = site.wait(job_id, lambda r: r["status"] in ("done", "failed"), "finished")
    assert row["status"] == "done", row["error"]
    assert row["attempts"] == 2
    [file] = site.files(job_id)  # stored once
    with site.db() as conn:
        upkeep = conn.execute("SELECT org_id, period, count(*) n FROM jobs_job WHERE "
                              "kind='upkeep.daily' GROUP BY org_id, period").fetchall()
        tasks = conn.execute("SELECT status, count(*) n FROM django_tasks_database_dbtaskresult "
                             "GROUP BY status").fetchall()
        # The export takes the log as it was when it read its total: every event up to there.
        top = row["progress_total"]
    with file.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == top + 1 and [int(r[0]) for r in rows[1:]] == list(range(1, top + 1))
    # Both clocks ticked every half second; each organisation has one upkeep job for today.
    assert upkeep and all(r["n"] == 1 for r in upkeep), [dict(r) for r in upkeep]
    # The killed worker's task is marked failed; every other task ran once.
    assert {r["status"]: r["n"] for r in tasks}.get("FAILED") == 1


def test_a_job_lost_on_its_last_attempt_fails_with_the_reason(site):
    # The worker that takes over starts up meanwhile (one survives the first test, too).
    site.worker()
    job_id = _start(site)
    with site.db() as conn:  # read when the loss is found, so in time before the kill
        conn.execute("UPDATE jobs_job SET max_attempts = 1 WHERE id = ?",
                     (job_id.replace("-", ""),))
    _kill_the_runner(site, job_id)
    row = site.wait(job_id, lambda r: r["status"] in ("done", "failed"), "finished")
    assert row["status"] == "failed"
    assert "stopped without finishing (attempt 1 of 1)" in row["error"]
    assert site.files(job_id) == []
