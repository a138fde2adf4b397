"""Document helpers: documents and versions made through the real services, at each stage."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from aims.activity.models import Event
from aims.documents import services
from aims.documents.models import Document, DocumentVersion
from aims.testing.factories import ctx_for

POLICY = "# AI policy\n\n## Purpose\n\nWe use AI to serve customers fairly.\n\n- People stay in charge.\n"


@pytest.fixture
def admin_ctx(org, members):
    return ctx_for(org, members["admin"])


@pytest.fixture
def document(ctx):
    """A document by the editor whose version 1 is a draft with text."""
    return services.document_create(ctx=ctx, data={
        "title": "AI policy", "kind": "ai_policy", "content": POLICY,
        "requirements": ["5.2", "A.2.2"], "owner": ctx.user.pk})


def draft_of(document) -> DocumentVersion:
    return DocumentVersion.objects.for_org(document.org).filter(
        document=document, status__in=("draft", "in_review")).get()


def submit(ctx, document) -> DocumentVersion:
    v = draft_of(document)
    return services.document_version_submit(ctx=ctx, document_id=document.pk, version_id=v.pk,
                                            version=v.version)


def approve(ctx, approver, document, **kwargs) -> DocumentVersion:
    """Submit the open version as `ctx` and approve it as `approver`."""
    v = submit(ctx, document)
    return services.document_version_approve(ctx=approver, document_id=document.pk,
                                             version_id=v.pk, version=v.version, **kwargs)


def new_version(ctx, document, content: str | None = None, **data) -> DocumentVersion:
    if content is not None:
        data["content"] = content
    return services.document_version_create(ctx=ctx, document_id=document.pk, data=data)


def backdate_submission(version: DocumentVersion, day: datetime.date) -> DocumentVersion:
    """`version` as if it had been submitted on `day` (approvals may not precede it)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    DocumentVersion.objects.for_org(version.org).filter(pk=version.pk).update(submitted_at=at)
    version.refresh_from_db()
    return version


def reload(document) -> Document:
    return Document.objects.for_org(document.org).get(pk=document.pk)


def events_for(obj) -> list[Event]:
    return list(Event.objects.filter(org=obj.org, object_id=str(obj.pk)).order_by("seq"))
