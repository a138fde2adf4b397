"""An oversized request is refused from its Content-Length, before its body is read: a few
60 MB requests must not hold every worker while they are read and then refused."""

import io
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SIXTY_MB = 60 * 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def _post(client: Client, path: str, length: int = SIXTY_MB, **extra):
    environ: dict[str, Any] = {"CONTENT_LENGTH": str(length), "wsgi.input": UnreadableBody(),
                               **extra}
    return client.generic("POST", path, b"x", content_type="multipart/form-data; boundary=b",
                          **environ)


@pytest.fixture
def evidence_request(ctx, members):
    from aims.compliance.selectors import soa_item_get
    from aims.tasks.services import task_create

    return task_create(ctx=ctx, subject=soa_item_get(ctx=ctx, ref="A.6.2.4"), data={
        "title": "Upload the validation report", "kind": "evidence_request",
        "owner": members["editor"].pk})


def test_task_answer_api_refuses_a_60_mb_body_unread(org, members, evidence_request,
                                                     api_client_for, settings):
    api = api_client_for(members["editor"])
    r = _post(api.client, f"/api/v1/orgs/{org.slug}/tasks/{evidence_request.pk}/answer",
              **api.headers)
    assert r.status_code == 413
    body = r.json()
    assert f"files up to {settings.AIMS_EVIDENCE_MAX_MB} MB" in body["detail"]
    assert "60.0 MB" in body["detail"] and body["errors"]["body"] == [body["detail"]]


@pytest.mark.parametrize("path", [
    "/o/{slug}/tasks/{task}/answer/",
    "/o/{slug}/documents/new/",
    "/o/{slug}/evidence/new/",
    "/o/{slug}/people/training/new/",
])
def test_web_uploads_refuse_a_60_mb_body_unread_with_a_page(org, members, evidence_request,
                                                            web_client_for, path):
    c = web_client_for(members["editor"])
    r = _post(c, path.format(slug=org.slug, task=evidence_request.pk))
    assert r.status_code == 413
    page = r.content.decode()
    assert "too large" in page and "AIMS_EVIDENCE_MAX_MB" in page and "<main" in page


def test_a_route_without_files_takes_no_more_than_its_fields(org, members, api_client_for,
                                                             settings):
    api = api_client_for(members["editor"])
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    r = _post(api.client, f"/api/v1/orgs/{org.slug}/risks", length=limit + 100 * 1024,
              **api.headers)
    assert r.status_code == 413
    # An upload route takes that much: the request goes on to be read (and judged).
    from aims.core.uploads import upload_request_limit

    assert upload_request_limit() > limit + 100 * 1024


def test_a_body_within_the_limit_is_read_as_usual(org, api):
    r = api.post(f"/api/v1/orgs/{org.slug}/risks", {"title": "Drift", "category": "drift"})
    assert r.status_code == 201


def test_every_upload_route_is_known_as_one():
    """The limit applies by route: each route that takes a file resolves as an upload route,
    including an API path whose GET shares the view (the evidence register)."""
    from django.urls import resolve

    from aims.core.uploads import request_limit_for, upload_request_limit

    uuid = "00000000-0000-0000-0000-000000000000"
    for path in ("/api/v1/orgs/acme/evidence", f"/api/v1/orgs/acme/tasks/{uuid}/answer",
                 "/o/acme/evidence/new/", f"/o/acme/tasks/{uuid}/answer/",
                 "/o/acme/documents/new/", "/o/acme/risks/import/",
                 "/o/acme/people/training/new/"):
        assert request_limit_for(resolve(path)) == upload_request_limit(), path
    assert request_limit_for(resolve("/api/v1/orgs/acme/risks")) < upload_request_limit()
