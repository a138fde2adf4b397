"""Several app servers and several workers on one PostgreSQL, as the README's production layout
runs them: real `aims serve --no-worker` processes on two ports and two `aims worker`
processes, on a fresh database of the test cluster (the PostgreSQL leg of `make test` starts a
throwaway cluster with aims.testing.pg_cluster), with one shared folder for stored files.

What one server writes the other reads; concurrent edits of one record through both end in one
success and one 409; numbers stay unique and the activity log chain intact under concurrent
writers on both; a session begun on one is good on the other; every job queued through either
runs exactly once, on one of the two workers; a file uploaded through one downloads through the
other. The layout is the slow part (migrations, compressing the static files once for both
servers, four processes starting), so the checks share it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
pytestmark = pytest.mark.skipif(not PG, reason="PostgreSQL leg only (make test-postgres)")

PASSWORD = "a-long-password-2026"
JOBS = 24  # queued at once through both servers, for the two workers
JOB_WAIT_SECONDS = 240  # a busy two-core machine runs them in well under a minute


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Layout:
    """One database, one shared media folder, the same secret and log keys everywhere; each
    process its own var directory (static files, metrics), as separate machines would have."""

    token = a = b = ""  # the owner's API token; the two app servers' addresses

    def __init__(self, root: Path, database_url: str) -> None:
        self.root = root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AIMS_")
                    and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        self.env.update(
            DATABASE_URL=database_url, AIMS_SECRET_KEY=secrets.token_urlsafe(50),
            AIMS_MEDIA_ROOT=str(root / "shared-media"),
            AIMS_LOG_KEYS=f"k1:{secrets.token_hex(32)}",
            AIMS_LOG_ANCHOR_KEY_FILE=str(root / "keys" / "anchor.pem"),
            AIMS_LOG_ANCHOR_FILE=str(root / "keys" / "anchors.jsonl"),
            AIMS_JOB_HEARTBEAT_SECONDS="1", AIMS_API_RATE="")
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.workers: list[subprocess.Popen] = []

    def _env(self, name: str) -> dict[str, str]:
        return {**self.env, "AIMS_VAR_DIR": str(self.root / name)}

    def aims(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "aims.cli", *args], env=self._env("cli"),
                              cwd=self.root, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"aims {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def install(self) -> None:
        """`aims init` on the new database and, meanwhile, the static files collected once for
        both app servers (each then finds them current instead of compressing them again)."""
        log = (self.root / "static.log").open("w")
        static = subprocess.Popen(
            [sys.executable, "-m", "aims.cli", "serve", "--static-only"],
            env=self._env("static"), cwd=self.root, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.aims("init")
            assert static.wait(timeout=600) == 0, self.logs()
        finally:
            if static.poll() is None:
                static.kill()
                static.wait()
        for name in ("app-a", "app-b"):
            shutil.copytree(self.root / "static" / "static", self.root / name / "static")

    def serve(self, name: str) -> str:
        port = _free_port()
        log = (self.root / f"{name}.log").open("w")
        self.procs.append(subprocess.Popen(
            [sys.executable, "-m", "aims.cli", "serve", "--no-worker", "--workers", "2",
             "--port", str(port)], env=self._env(name), cwd=self.root, stdout=log,
            stderr=subprocess.STDOUT))
        url = f"http://127.0.0.1:{port}"
        self.urls.append(url)
        return url

    def worker(self, name: str) -> subprocess.Popen:
        log = (self.root / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "aims.cli", "worker", "--tick", "1", "--interval", "0.2",
             "--no-startup-delay", "--verbosity", "0"],
            env=self._env(name), cwd=self.root, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        self.workers.append(proc)
        return proc

    def ready(self, timeout: float = 600) -> None:
        end = time.monotonic() + timeout
        for url in self.urls:
            while True:
                try:
                    if requests.get(f"{url}/readyz", timeout=30).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or slow to answer
                    pass
                dead = [p for p in self.procs if p.poll() is not None]
                assert not dead and time.monotonic() < end, self.logs()
                time.sleep(0.3)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}"
                         for p in sorted(self.root.glob("*.log")))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    name = f"aims_scale_{secrets.token_hex(4)}"
    base = os.environ["DATABASE_URL"]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    root = tmp_path_factory.mktemp("scale-out")
    (root / "keys").mkdir()
    site = Layout(root, base.rsplit("/", 1)[0] + f"/{name}")
    try:
        site.install()
        # The servers and workers start while the owner and the organisation are made.
        site.a, site.b = site.serve("app-a"), site.serve("app-b")
        site.worker("worker-1"), site.worker("worker-2")
        site.aims("user", "create", "owner@example.org", "--password", PASSWORD)
        site.aims("org", "create", "demo", "--name", "Demo", "--owner", "owner@example.org")
        site.token = site.aims("token", "create", "--user", "owner@example.org").strip()
        site.ready()
        yield site
    finally:
        site.stop()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _api(site: Layout) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {site.token}"
    return s


def test_what_one_server_writes_the_other_reads_and_concurrent_edits_conflict(layout):
    api = _api(layout)
    created = api.post(f"{layout.a}/api/v1/orgs/demo/risks",
                       json={"title": "Drift in the scoring model", "category": "drift"})
    assert created.status_code == 201, created.text
    risk = created.json()
    read = api.get(f"{layout.b}/api/v1/orgs/demo/risks/{risk['id']}")
    assert read.status_code == 200 and read.json()["title"] == "Drift in the scoring model"

    # Both servers are sent an edit made on the same version at the same moment.
    def edit(base_and_title):
        base, title = base_and_title
        return _api(layout).patch(f"{base}/api/v1/orgs/demo/risks/{risk['id']}",
                                  json={"title": title, "version": risk["version"]})

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(edit, [(layout.a, "Edited via A"), (layout.b, "Edited via B")]))
    assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
    [won] = [r for r in answers if r.status_code == 200]
    final = api.get(f"{layout.a}/api/v1/orgs/demo/risks/{risk['id']}").json()
    assert final["title"] == won.json()["title"] and final["version"] == risk["version"] + 1


def test_concurrent_writers_on_both_servers_get_unique_numbers_and_an_intact_log(layout):
    def create(n: int):
        base = (layout.a, layout.b)[n % 2]
        return _api(layout).post(f"{base}/api/v1/orgs/demo/risks",
                                 json={"title": f"Concurrent risk {n}", "category": "bias"})

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(create, range(16)))
    assert [r.status_code for r in answers] == [201] * 16, [r.text for r in answers]
    refs = [r.json()["ref"] for r in answers]
    assert len(set(refs)) == 16, refs
    out = layout.aims("log", "verify", "--org", "demo")
    assert "is intact" in out, out


def test_a_session_begun_on_one_server_works_on_the_other(layout):
    browser = requests.Session()
    page = browser.get(f"{layout.a}/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = browser.post(f"{layout.a}/account/login/", data={
        "csrfmiddlewaretoken": token, "login": "owner@example.org", "password": PASSWORD},
        headers={"Referer": f"{layout.a}/account/login/"}, allow_redirects=False)
    assert signed_in.status_code == 302, signed_in.text[:2000]
    other = browser.get(f"{layout.b}/o/demo/risks/", allow_redirects=False)
    assert other.status_code == 200 and "AI risk register" in other.text
    # And the other way round: signing out on B ends the session on A.
    fresh = browser.get(f"{layout.b}/account/logout/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fresh.text).group(1)
    browser.post(f"{layout.b}/account/logout/", data={"csrfmiddlewaretoken": token},
                 headers={"Referer": f"{layout.b}/account/logout/"})
    assert browser.get(f"{layout.a}/o/demo/risks/", allow_redirects=False).status_code == 302


def test_every_job_queued_runs_exactly_once_across_the_two_workers(layout):
    """Jobs queued through both servers are each run by one worker, once: one claim of its
    task, one attempt, one result file, downloadable through either server."""
    api = _api(layout)
    ids = []
    for n in range(JOBS):
        base = (layout.a, layout.b)[n % 2]
        started = api.post(f"{base}/api/v1/orgs/demo/jobs", json={"kind": "activity.csv"})
        assert started.status_code == 202, started.text
        ids.append(started.json()["id"])
    with psycopg.connect(layout.env["DATABASE_URL"], autocommit=True) as conn:
        # Finished means the job is done or failed and its task's result is recorded too.
        end = time.monotonic() + JOB_WAIT_SECONDS
        while True:
            jobs = conn.execute("SELECT id::text, status, attempts, worker, task_id FROM jobs_job"
                                " WHERE id::text = ANY(%s)", (ids,)).fetchall()
            tasks = conn.execute(
                "SELECT args_kwargs->'args'->>0, id::text, status, worker_ids "
                "FROM django_tasks_database_dbtaskresult "
                "WHERE args_kwargs->'args'->>0 = ANY(%s)", (ids,)).fetchall()
            finished = [j for j in jobs if j[1] in ("done", "failed")]
            settled = [t for t in tasks if t[2] in ("SUCCESSFUL", "FAILED")]
            if len(finished) == len(settled) == JOBS:
                break
            assert time.monotonic() < end, (
                f"{len(finished)} of {JOBS} jobs finished, {len(settled)} task results "
                f"settled after {JOB_WAIT_SECONDS}s\n{jobs}\n{layout.logs()}")
            time.sleep(0.5)
    assert sorted(j[0] for j in jobs) == sorted(ids)
    assert [j[1] for j in jobs] == ["done"] * JOBS, jobs
    assert [j[2] for j in jobs] == [1] * JOBS, jobs  # claimed once, never taken back
    # One task per job, claimed by one worker, and by the worker the job names.
    by_job = {job_id: (task, status, claims) for job_id, task, status, claims in tasks}
    assert len(tasks) == len(by_job) == JOBS, tasks
    workers = {f"{socket.gethostname()[:40]}:{w.pid}" for w in layout.workers}
    for job_id, _, _, worker, task_id in jobs:
        task, status, claims = by_job[job_id]
        assert task == task_id and status == "SUCCESSFUL" and claims == [worker] \
            and worker in workers, (job_id, task_id, task, status, claims, worker, workers)
    share = {w: sum(j[3] == w for j in jobs) for w in sorted(workers)}
    print(f"jobs per worker: {share}")  # both usually take some; nothing guarantees it
    # Each result stored once, in the shared folder, and served by either app server.
    media = Path(layout.env["AIMS_MEDIA_ROOT"])
    for n, job_id in enumerate(ids):
        assert len(list((media / "jobs").glob(f"*/{job_id}/*"))) == 1, job_id
        base = (layout.a, layout.b)[n % 2]
        job = api.get(f"{base}/api/v1/orgs/demo/jobs/{job_id}").json()
        got = api.get(f"{base}{job['file_url']}")
        assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbfSeq,"), got


def test_a_file_uploaded_through_one_server_downloads_through_the_other(layout):
    api = _api(layout)
    content = b"model card, version 3\n" + secrets.token_bytes(2048)
    up = api.post(f"{layout.a}/api/v1/orgs/demo/evidence", data={"title": "Model card"},
                  files={"file": ("model-card.bin", content, "application/octet-stream")})
    assert up.status_code == 201, up.text
    down = api.get(f"{layout.b}/api/v1/orgs/demo/evidence/{up.json()['id']}/download")
    assert down.status_code == 200 and down.content == content
