"""Evidence and generated files on S3-compatible object storage (AIMS_STORAGE=s3), against a
real S3-protocol server in its own process: content addressing, download, `aims evidence
verify` and job results work as they do on disk."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aims.evidence.storage import blob_path
from aims.jobs.services import job_run, job_start
from aims.testing.s3 import bucket_create, s3_env, s3_server
from config.settings.base import storage_default

from .conftest import add

pytestmark = pytest.mark.django_db
BUCKET = "aims-evidence"
PREFIX = "tenant-files"


@pytest.fixture(scope="module")
def s3():
    with s3_server() as endpoint:
        yield endpoint, bucket_create(endpoint, BUCKET)


@pytest.fixture
def on_s3(s3, settings):
    endpoint, client = s3
    settings.STORAGES = {**settings.STORAGES,
                         "default": storage_default(s3_env(endpoint, BUCKET, PREFIX))}
    return client


def _keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_evidence_is_content_addressed_in_the_bucket(ctx, org, on_s3, web_client_for, members):
    content = b"model card v3, signed off\n"
    first = add(ctx, content=content, title="Model card")
    again = add(ctx, content=content, title="Same card, another name", name="other.txt")
    sha = hashlib.sha256(content).hexdigest()
    assert first.blob == again.blob  # stored once per organisation
    assert f"{PREFIX}/{blob_path(org.pk, sha)}" in _keys(on_s3)
    stored = on_s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{blob_path(org.pk, sha)}")
    assert stored["Body"].read() == content
    download = web_client_for(members["viewer"]).get(f"/o/{org.slug}/evidence/{first.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content


def test_verify_finds_altered_and_missing_objects(ctx, org, on_s3, capsys):
    add(ctx, content=b"fine", title="Fine")
    altered = add(ctx, content=b"will be altered", title="Altered")
    missing = add(ctx, content=b"will go missing", title="Missing")
    call_command("evidence", "verify", "--org", org.slug)
    assert "intact: 3 files verified" in capsys.readouterr().out
    on_s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{altered.blob.name}", Body=b"tampered")
    on_s3.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{missing.blob.name}")
    with pytest.raises(CommandError) as exc:
        call_command("evidence", "verify", "--org", org.slug)
    out = capsys.readouterr().out
    assert "ALTERED" in out and altered.blob.sha256 in out
    assert "MISSING" in out and missing.blob.sha256 in out
    assert "2 of 3 bad (1 missing, 1 altered)" in str(exc.value)


def test_a_job_result_is_stored_in_the_bucket_and_downloaded(org, members, ctx, on_s3,
                                                             web_client_for, client):
    job = job_run(job_id=str(job_start(ctx=ctx, kind="activity.csv").pk), worker="s3-test")
    assert job is not None and job.status == "done", job and job.error
    assert f"{PREFIX}/{job.result_path}" in _keys(on_s3)
    got = web_client_for(members["editor"]).get(f"/o/{org.slug}/jobs/{job.pk}/file/")
    assert b"".join(got.streaming_content).decode("utf-8-sig").startswith("Seq,")
    assert client.get("/readyz").json()["checks"]["storage"].startswith("ok")


def test_s3_needs_a_bucket_and_a_known_kind():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="AIMS_S3_BUCKET"):
        storage_default({"AIMS_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="local or s3"):
        storage_default({"AIMS_STORAGE": "ftp"})
    assert storage_default({})["BACKEND"].endswith("FileSystemStorage")
