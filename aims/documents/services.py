"""Writes to documented information: documents, their versions, review and approval.

Approved and superseded versions are never edited: every service below that changes a
version's content refuses anything but a draft, and approving a version is the only way the
one before it changes (it is superseded)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from aims.catalog.models import Requirement
from aims.catalog.selectors import iso_requirements_by_refs
from aims.core.dates import add_months
from aims.core.errors import NotFound, ValidationError
from aims.documents.models import (
    OPEN_STATUSES,
    SETTLED_STATUSES,
    Document,
    DocumentVersion,
    VersionStatus,
)
from aims.documents.selectors import in_force_among
from aims.documents.starters import starter_get
from aims.evidence.storage import atomic_with_files, blob_store, guessed_type, safe_filename
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import approval, writes
from aims.records.numbering import next_number

DOCUMENT_FIELDS = ("title", "kind", "description", "owner", "review_interval_months")
VERSION_FIELDS = ("content", "change_summary")
def _stripped(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) and k != "content" else v
            for k, v in data.items()}


def _requirements(refs) -> list[Requirement]:
    return iso_requirements_by_refs(refs)


def _refs(requirements) -> list[str]:
    return [r.ref for r in requirements]


def _prepare(ctx: Ctx, data: dict[str, Any], *, creating: bool = False) -> dict[str, Any]:
    data = _stripped(data)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    # A new document may take its title from its template; that is checked once it is known.
    if "title" in data and not data["title"] and not creating:
        raise ValidationError({"title": ["Give the document a title."]})
    for key in ("description",):
        if key in data and data[key] is None:
            data[key] = ""
    return data


def _lock_document(ctx: Ctx, document_id: uuid.UUID) -> Document:
    return writes.get_for_update(Document, ctx=ctx, pk=document_id, label="Document")


def _lock_version(ctx: Ctx, document: Document, version_id: uuid.UUID) -> DocumentVersion:
    version = writes.get_for_update(DocumentVersion, ctx=ctx, pk=version_id,
                                    label="Document version")
    if version.document_id != document.pk:
        raise NotFound("Document version not found.")
    version.document = document
    return version


def _require_status(version: DocumentVersion, allowed: tuple[str, ...], doing: str) -> None:
    if version.status not in allowed:
        names = " or ".join(VersionStatus(s).label.lower() for s in allowed)
        raise ValidationError({"status": [
            f"Only a version that is {names} can be {doing}; {version} is "
            f"{version.get_status_display().lower()}."
            + (" Approved versions never change: start a new version instead."
               if version.status in SETTLED_STATUSES else "")]})


def _store_file(ctx: Ctx, version: DocumentVersion, upload: UploadedFile) -> dict[str, Any]:
    """Put `upload` in content-addressed storage and on `version`; the log names its hash."""
    before = version.blob.sha256 if version.blob is not None else None
    name = safe_filename(getattr(upload, "name", ""))
    version.blob = blob_store(org=ctx.org, upload=upload)
    version.file_name = name
    version.content_type = guessed_type(name)
    return {"file": {"before": before, "after": f"{name} (sha256 {version.blob.sha256})"}}


# ---------------------------------------------------------------- documents


@atomic_with_files
def document_create(*, ctx: Ctx, data: dict[str, Any],
                    upload: UploadedFile | None = None) -> Document:
    """Add a document with its version 1 as a draft: blank, with the given Markdown or file,
    or started from a shipped template (`template`: a starter key)."""
    ctx.require("documents.change")
    data = _prepare(ctx, writes.only(
        data, (*DOCUMENT_FIELDS, "requirements", "template", "content", "change_summary")),
        creating=True)
    requirements = _requirements(data.pop("requirements", None))
    content = data.pop("content", None) or ""
    summary = data.pop("change_summary", None) or ""
    if template := data.pop("template", None):
        starter = starter_get(template)
        content = content or starter.content
        data.setdefault("kind", starter.kind)
        if not data.get("title"):
            data["title"] = starter.title
        if not requirements:
            requirements = _requirements(list(starter.requirements))
        summary = summary or f"Started from the “{starter.title}” template."
    if not data.get("title"):
        raise ValidationError({"title": ["Give the document a title."]})
    number = next_number(Document, ctx=ctx)
    document = Document(org=ctx.org, number=number, ref=f"DOC-{number:03d}", **data)
    writes.create(ctx=ctx, obj=document, extra_changes={
        "requirements": {"before": None, "after": _refs(requirements)}})
    document.requirements.set(requirements)
    version = DocumentVersion(org=ctx.org, document=document, number=1, content=content,
                              change_summary=summary or "First version.", author=ctx.user,
                              status=VersionStatus.DRAFT)
    extra = _store_file(ctx, version, upload) if upload is not None else None
    writes.create(ctx=ctx, obj=version, extra_changes=extra)
    approval.note_contributor(ctx, version)
    return document


@transaction.atomic
def document_update(*, ctx: Ctx, document_id: uuid.UUID, data: dict[str, Any],
                    version: int | None) -> Document:
    """Change what is said about a document (not its text: that lives in versions), written at
    `version`. A new review interval moves the next review date from the last approval."""
    ctx.require("documents.change")
    data = _prepare(ctx, writes.only(data, (*DOCUMENT_FIELDS, "requirements")))
    document = _lock_document(ctx, document_id)
    writes.check_version(document, version)
    extra = {}
    requirements = None
    if "requirements" in data:
        requirements = _requirements(data.pop("requirements"))
        before = _refs(document.requirements.order_by("sort_key"))
        if before != _refs(requirements):
            extra["requirements"] = {"before": before, "after": _refs(requirements)}
    if data.get("review_interval_months") not in (None, document.review_interval_months):
        last = (DocumentVersion.objects.for_org(ctx.org)
                .filter(document=document, approved_on__isnull=False)
                .order_by("-approved_on").values_list("approved_on", flat=True).first())
        if last is not None and isinstance(data["review_interval_months"], int):
            data["next_review_date"] = add_months(last, data["review_interval_months"])
    document = writes.change(ctx=ctx, obj=document, data=data, version=version,
                             extra_changes=extra or None)
    if requirements is not None and extra:
        document.requirements.set(requirements)
    return document


@transaction.atomic
def document_delete(*, ctx: Ctx, document_id: uuid.UUID, version: int | None) -> None:
    """Delete a document that was never approved, with its drafts; once any version was
    approved the document is part of the record and stays."""
    ctx.require("documents.change")
    document = _lock_document(ctx, document_id)
    writes.check_version(document, version)
    versions = DocumentVersion.objects.for_org(ctx.org).filter(document=document)
    if versions.filter(approved_on__isnull=False).exists():
        raise ValidationError({"__all__": [
            f"{document} has an approved version, so it is part of the record and cannot be "
            "deleted. Start a new version if it needs changing."]})
    count = versions.count()
    writes.delete(ctx=ctx, obj=document, version=version,
                  extra_changes={"drafts_deleted": {"before": count, "after": None}})


# ---------------------------------------------------------------- versions


def _base_version(document: Document) -> DocumentVersion | None:
    """What a new version starts from: the version in force today, else the latest approved
    one, else the latest version."""
    versions = list(DocumentVersion.objects.for_org(document.org).filter(document=document)
                    .select_related("blob").order_by("-number"))
    return (in_force_among(versions, timezone.localdate())
            or next((v for v in versions if v.is_settled), None)
            or (versions[0] if versions else None))


@atomic_with_files
def document_version_create(*, ctx: Ctx, document_id: uuid.UUID, data: dict[str, Any] | None = None,
                            upload: UploadedFile | None = None) -> DocumentVersion:
    """Start the next version of a document as a draft, copying the content of the version in
    force (unless `data` gives new content or `upload` a file). One draft or review at a time."""
    ctx.require("documents.change")
    data = _stripped(writes.only(data or {}, VERSION_FIELDS))
    # Locking the document serialises version numbers for it.
    document = _lock_document(ctx, document_id)
    versions = DocumentVersion.objects.for_org(ctx.org).filter(document=document)
    if open_one := versions.filter(status__in=OPEN_STATUSES).first():
        raise ValidationError({"__all__": [
            f"{document} already has version {open_one.number} "
            f"{open_one.get_status_display().lower()}: finish it before starting another."]})
    base = _base_version(document)
    number = (versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(org=ctx.org, document=document, number=number, author=ctx.user,
                              status=VersionStatus.DRAFT,
                              change_summary=data.get("change_summary") or "")
    extra = None
    if upload is not None:
        extra = _store_file(ctx, version, upload)
    elif data.get("content"):
        version.content = data["content"]
    elif base is not None:
        version.content = base.content
        version.blob, version.file_name = base.blob, base.file_name
        version.content_type = base.content_type
    writes.create(ctx=ctx, obj=version, extra_changes=extra)
    approval.note_contributor(ctx, version)
    return version


@atomic_with_files
def document_version_update(*, ctx: Ctx, document_id: uuid.UUID, version_id: uuid.UUID,
                            data: dict[str, Any], version: int | None,
                            upload: UploadedFile | None = None) -> DocumentVersion:
    """Change a draft's text, file or change summary, written at `version`. `remove_file`
    drops an uploaded file so the version can carry Markdown instead; an upload replaces the
    text with a file."""
    ctx.require("documents.change")
    data = _stripped(writes.only(data, (*VERSION_FIELDS, "remove_file")))
    document = _lock_document(ctx, document_id)
    draft = _lock_version(ctx, document, version_id)
    writes.check_version(draft, version)
    _require_status(draft, (VersionStatus.DRAFT,), "edited")
    extra: dict[str, Any] = {}
    if data.get("content") is None and "content" in data:
        data["content"] = ""
    if data.pop("remove_file", False) and draft.blob is not None:
        extra["file"] = {"before": f"{draft.file_name} (sha256 {draft.blob.sha256})",
                         "after": None}
        draft.blob, draft.file_name, draft.content_type = None, "", ""
    if upload is not None:
        if (data.get("content") or "").strip():
            raise ValidationError({"file": [
                "A version is either Markdown text or an uploaded file, not both: clear the "
                "text to upload a file."]})
        extra.update(_store_file(ctx, draft, upload))
        data["content"] = ""
    before = draft.version
    draft = writes.change(ctx=ctx, obj=draft, data=data, version=version,
                          extra_changes=extra or None)
    if draft.version != before:
        approval.note_contributor(ctx, draft)
    return draft


@transaction.atomic
def document_version_submit(*, ctx: Ctx, document_id: uuid.UUID, version_id: uuid.UUID,
                            version: int | None) -> DocumentVersion:
    """Send a draft with content, written at `version`, for review."""
    ctx.require("documents.change")
    document = _lock_document(ctx, document_id)
    draft = _lock_version(ctx, document, version_id)
    writes.check_version(draft, version)
    _require_status(draft, (VersionStatus.DRAFT,), "submitted for review")
    if not draft.content.strip() and not draft.blob_id:
        raise ValidationError({"content": [
            "Write the document or upload its file before asking for review."]})
    return writes.change(ctx=ctx, obj=draft, version=version,
                         data=approval.submission(ctx, VersionStatus.IN_REVIEW))


PERSON = "A document version"


def _approval_dates(review: DocumentVersion, approved_on: datetime.date | None,
                    effective_from: datetime.date | None,
                    current: DocumentVersion | None) -> tuple[datetime.date, datetime.date]:
    approved_on = approval.approval_date(review, approved_on, "the version")
    effective_from = effective_from or approved_on
    if effective_from < approved_on:
        raise ValidationError({"effective_from": [
            f"A version cannot take effect before it was approved ({approved_on:%Y-%m-%d}): "
            "give the approval date or a later one."]})
    if current is not None and current.effective_from and effective_from < current.effective_from:
        raise ValidationError({"effective_from": [
            f"Version {current.number} takes effect on {current.effective_from:%Y-%m-%d}; the "
            "version replacing it cannot take effect earlier."]})
    return approved_on, effective_from


@transaction.atomic
def document_version_approve(*, ctx: Ctx, document_id: uuid.UUID, version_id: uuid.UUID,
                             version: int | None, comment: str = "",
                             approved_on: datetime.date | None = None,
                             effective_from: datetime.date | None = None) -> DocumentVersion:
    """Approve a version in review, at the version the approver read. The approver needs
    documents.approve and must not have written or submitted it; the approval is dated between
    its submission and today; it takes effect on the approval date or a later one. The version
    it replaces is superseded from that day, and the document's next review falls due one
    review interval after the approval."""
    ctx.require("documents.approve")
    document = _lock_document(ctx, document_id)
    review = _lock_version(ctx, document, version_id)
    approval.require_person(ctx, PERSON, "approved")
    approval.require_second_person(ctx, review)
    writes.check_version(review, version)
    _require_status(review, (VersionStatus.IN_REVIEW,), "approved")
    current = (DocumentVersion.objects.for_org(ctx.org).select_for_update()
               .filter(document=document, status=VersionStatus.APPROVED)
               .exclude(pk=review.pk).first())
    approved_on, effective_from = _approval_dates(review, approved_on, effective_from, current)
    if current is not None:
        current.document = document
        writes.change(ctx=ctx, obj=current, version=current.version, data={
            "status": VersionStatus.SUPERSEDED, "superseded_at": effective_from})
    approved = writes.change(ctx=ctx, obj=review, version=version, data={
        **approval.approval(ctx, VersionStatus.APPROVED, approved_on, comment),
        "approved_at": timezone.now(), "effective_from": effective_from})
    writes.change(ctx=ctx, obj=document, version=document.version, data={
        "next_review_date": add_months(approved_on, document.review_interval_months)})
    return approved


@transaction.atomic
def document_version_return(*, ctx: Ctx, document_id: uuid.UUID, version_id: uuid.UUID,
                            version: int | None, comment: str) -> DocumentVersion:
    """Send a version in review back to draft with the reviewer's reasons."""
    ctx.require("documents.approve")
    document = _lock_document(ctx, document_id)
    review = _lock_version(ctx, document, version_id)
    approval.require_person(ctx, PERSON, "returned")
    writes.check_version(review, version)
    _require_status(review, (VersionStatus.IN_REVIEW,), "sent back")
    comment = approval.return_reason(comment)
    returned = writes.change(ctx=ctx, obj=review, version=version,
                             data=approval.returned(ctx, VersionStatus.DRAFT, comment))
    approval.after_return(returned)
    return returned
