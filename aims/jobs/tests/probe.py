"""Background jobs for the tenancy, role and API-error matrices (aims.testing): one finished
export with its file per organisation."""

from __future__ import annotations

from aims.jobs.services import job_run, job_start


def build(world, ctx, tag: str) -> None:
    started = job_start(ctx=ctx, kind="activity.csv", params={"q": ""})
    job = job_run(job_id=str(started.pk), worker=f"probe-{tag}")
    assert job is not None and job.status == "done", job and job.error
    world.extra["job"] = job
    world.secrets += [str(job.pk)]


PATH_PARAMS = {"job_id": lambda w: w.extra["job"].pk}
ORG_UNIQUE_PARAMS = {"job_id"}
WEB_PARAMS = dict(PATH_PARAMS)
BODIES = {("POST", "/orgs/{slug}/jobs"): lambda s, i: {"kind": "activity.csv", "params": {}}}
WRITE_PERMS = {"jobs": "jobs.start"}
# Auditors prepare exports of the record as their audit work.
AUDITOR_WEB_WRITES = {"jobs:start"}
