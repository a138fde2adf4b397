"""A refused upload leaves nothing behind: no record, and no file in storage."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from aims.evidence.models import Blob, Evidence
from aims.evidence.storage import atomic_with_files, blob_store

pytestmark = pytest.mark.django_db


def stored_files(org) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "evidence" / str(org.pk)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_refused_evidence_upload_leaves_no_file(api, org):
    """The probe's case: a period that ends before it starts, refused after the file was read."""
    r = api.client.post(f"/api/v1/orgs/{org.slug}/evidence", data={
        "title": "Access review", "effective_from": "2026-06-30", "effective_to": "2026-01-01",
        "file": SimpleUploadedFile("review.csv", b"user,access\nana,admin\n")}, **api.headers)
    assert r.status_code == 422 and "effective_to" in r.json()["errors"]
    assert not Evidence.objects.for_org(org).exists() and not Blob.objects.for_org(org).exists()
    assert stored_files(org) == []


def test_a_refused_web_upload_leaves_no_file(org, members, web_client_for):
    c = web_client_for(members["editor"])
    r = c.post(f"/o/{org.slug}/evidence/new/", {
        "kind": "file", "title": "Access review", "effective_from": "2026-06-30",
        "effective_to": "2026-01-01", "file": SimpleUploadedFile("a.csv", b"user,access\n")})
    assert r.status_code == 422
    assert stored_files(org) == []


def test_a_refused_task_answer_leaves_no_file(org, members, ctx, api_client_for):
    from aims.compliance.selectors import soa_item_get
    from aims.tasks.services import task_create

    task = task_create(ctx=ctx, subject=soa_item_get(ctx=ctx, ref="A.6.2.4"), data={
        "title": "Upload the validation report", "kind": "evidence_request",
        "owner": members["editor"].pk})
    client = api_client_for(members["editor"])
    r = client.client.post(f"/api/v1/orgs/{org.slug}/tasks/{task.pk}/answer", {
        "version": str(task.version), "effective_from": "2026-06-30",
        "effective_to": "2026-01-01", "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x")},
        **client.headers)
    assert r.status_code == 422
    assert stored_files(org) == []


def _store(org, content: bytes):
    return blob_store(org=org, upload=SimpleUploadedFile("f.txt", content))


def test_a_rollback_after_storing_removes_the_file_and_a_commit_keeps_it(org):
    @atomic_with_files
    def refused():
        _store(org, b"first")
        raise RuntimeError("a later rule refuses the request")

    with pytest.raises(RuntimeError):
        refused()
    assert stored_files(org) == []

    @atomic_with_files
    def kept():
        return _store(org, b"second")

    blob = kept()
    assert [p.name for p in stored_files(org)] == [blob.sha256]


def test_a_file_stored_by_an_inner_service_goes_when_the_outer_one_rolls_back(org):
    @atomic_with_files
    def inner():
        return _store(org, b"inner bytes")

    @atomic_with_files
    def outer():
        inner()  # succeeds: its savepoint is released, the outer transaction is still open
        raise RuntimeError("the outer service fails afterwards")

    with pytest.raises(RuntimeError):
        outer()
    assert stored_files(org) == []


def test_storing_outside_a_file_safe_service_is_a_programming_error(org):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(AssertionError):
        _store(org, b"bytes")
