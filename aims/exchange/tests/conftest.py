"""A small record with something in and outside one period, made through the real services."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from aims.compliance.selectors import soa_item_get
from aims.documents import services as documents
from aims.documents.models import DocumentVersion
from aims.evidence.services import evidence_create
from aims.exchange.pack import Period, audit_pack_write
from aims.reviews.services import review_create
from aims.testing.factories import ctx_for

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)


def add_evidence(ctx, title: str, content: bytes, name: str, links=(), **data):
    with transaction.atomic():
        return evidence_create(ctx=ctx, data={"title": title, **data}, links=links,
                               upload=SimpleUploadedFile(name, content))


@dataclass
class Record:
    inside: Any
    open_ended: Any
    outside: Any
    undated: Any
    note: Any
    document: Any
    review: Any


@pytest.fixture
def record(org, members, owner_ctx) -> Record:
    editor = ctx_for(org, members["editor"])
    admin = ctx_for(org, members["admin"])
    control = soa_item_get(ctx=editor, ref="A.6.2.6")
    inside = add_evidence(editor, "Model monitoring Q1", b"q1 drift report\n" * 100,
                          "q1 report.pdf", links=[control],
                          effective_from=datetime.date(2026, 1, 1),
                          effective_to=datetime.date(2026, 3, 31))
    open_ended = add_evidence(editor, "Access review since 2025", b"access review\n",
                              "access.csv", effective_from=datetime.date(2025, 6, 1))
    outside = add_evidence(editor, "Old pen test", b"2024 pen test\n", "pentest.pdf",
                           effective_from=datetime.date(2024, 1, 1),
                           effective_to=datetime.date(2024, 12, 31))
    undated = add_evidence(editor, "Undated screenshot", b"png bytes\n", "shot.png")
    with transaction.atomic():
        note = evidence_create(ctx=editor, data={
            "title": "Walkthrough", "kind": "note", "note": "Observed the review.",
            "effective_from": datetime.date(2026, 2, 1)})
    document = documents.document_create(ctx=editor, data={
        "title": "AI policy", "kind": "ai_policy", "content": "# AI policy\n\nPeople decide.\n",
        "requirements": ["5.2"], "owner": members["editor"].pk})
    v = documents.document_version_submit(
        ctx=editor, document_id=document.pk,
        version_id=document.versions.get().pk, version=document.versions.get().version)
    # Submitted last winter (an approval may not precede its submission), approved in January.
    DocumentVersion.objects.for_org(org).filter(pk=v.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2025, 12, 20, 9)))
    v.refresh_from_db()
    documents.document_version_approve(ctx=admin, document_id=document.pk, version_id=v.pk,
                                       version=v.version, approved_on=datetime.date(2026, 1, 10))
    review = review_create(ctx=owner_ctx, data={
        "title": "Spring review", "meeting_date": datetime.date(2026, 3, 15)})
    return Record(inside, open_ended, outside, undated, note, document, review)


def build(ctx, start=START, end=END) -> tuple[zipfile.ZipFile, dict]:
    buf = io.BytesIO()
    audit_pack_write(ctx=ctx, period=Period(start, end), out=buf)
    zf = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    return zf, json.loads(zf.read("manifest.json"))
