"""Writes to evidence: add (with its file stored by content), describe, link, unlink, delete."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError

from aims.activity.services import record
from aims.core.errors import ValidationError
from aims.evidence.models import Blob, Evidence, EvidenceKind, EvidenceLink
from aims.evidence.storage import atomic_with_files, blob_path, guessed_type, safe_filename
from aims.evidence.storage import blob_store as _blob_store
from aims.orgs.context import Ctx
from aims.orgs.selectors import member_user_get
from aims.records import writes
from aims.records.kinds import kind_of, linked
from aims.records.numbering import next_number

EDITABLE = ("title", "description", "url", "note", "effective_from", "effective_to",
            "valid_until", "owner", "source")


def _label(ctx: Ctx, subject: models.Model) -> str:
    item = linked(subject, ctx.org.slug)
    return f"{item.label}: {item.title}"


def _check_subject(ctx: Ctx, subject: models.Model) -> None:
    kind_of(subject)  # a programming error when the model cannot be linked to
    if getattr(subject, "org_id", None) != ctx.org.pk:
        raise ValidationError({"subject_id": ["Not a record of this organisation."]})


@atomic_with_files
def evidence_create(*, ctx: Ctx, data: dict[str, Any], upload: UploadedFile | None = None,
                    links: Iterable[models.Model] = (),
                    perm: str = "evidence.change") -> Evidence:
    """Add evidence (a file stored by its SHA-256, a link or a note) linked to `links`."""
    ctx.require(perm)
    data = writes.only(data, (*EDITABLE, "kind"))
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    kind = data.pop("kind", None) or (EvidenceKind.FILE if upload is not None else
                                      EvidenceKind.LINK if data.get("url") else EvidenceKind.NOTE)
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": [f"Choose one of: {', '.join(EvidenceKind.values)}."]})
    if upload is not None and kind != EvidenceKind.FILE:
        raise ValidationError({"file": ["Only file evidence carries a file."]})
    evidence = Evidence(org=ctx.org, kind=kind, uploaded_by=ctx.user, **data)
    if kind == EvidenceKind.FILE and upload is not None:
        name = safe_filename(getattr(upload, "name", ""))
        evidence.blob = _blob_store(org=ctx.org, upload=upload)
        evidence.file_name = name
        evidence.content_type = guessed_type(name)
    links = list({(kind_of(s).key, s.pk): s for s in links}.values())  # each record once
    for subject in links:
        _check_subject(ctx, subject)
    evidence.number = next_number(Evidence, ctx=ctx)
    evidence.ref = f"EV-{evidence.number:03d}"
    extra: dict[str, dict[str, Any]] = (
        {"sha256": {"before": None, "after": evidence.blob.sha256}} if evidence.blob else {})
    if links:
        extra["supports"] = {"before": [], "after": [_label(ctx, s) for s in links]}
    writes.create(ctx=ctx, obj=evidence, extra_changes=extra)
    for subject in links:
        EvidenceLink.all_orgs.create(org=ctx.org, evidence=evidence, linked_by=ctx.user,
                                     subject_kind=kind_of(subject).key, subject_id=subject.pk)
    return evidence


@transaction.atomic
def evidence_update(*, ctx: Ctx, evidence_id: uuid.UUID, data: dict[str, Any], version: int | None,
                    perm: str = "evidence.change") -> Evidence:
    """Change what is said about evidence; its content (file, kind) never changes."""
    ctx.require(perm)
    evidence = writes.get_for_update(Evidence, ctx=ctx, pk=evidence_id, label="Evidence")
    data = writes.only(data, EDITABLE)
    if "owner" in data:
        data["owner"] = member_user_get(ctx=ctx, user_id=data["owner"], field="owner")
    return writes.change(ctx=ctx, obj=evidence, data=data, version=version)


@transaction.atomic
def evidence_link(*, ctx: Ctx, evidence_id: uuid.UUID, subject: models.Model,
                  perm: str = "evidence.change") -> EvidenceLink:
    """Say that evidence supports `subject`; linking twice is a no-op."""
    ctx.require(perm)
    _check_subject(ctx, subject)
    evidence = writes.get_for_update(Evidence, ctx=ctx, pk=evidence_id, label="Evidence")
    key = kind_of(subject).key
    existing = EvidenceLink.objects.for_org(ctx.org).filter(
        evidence=evidence, subject_kind=key, subject_id=subject.pk).first()
    if existing is not None:
        return existing
    link = EvidenceLink.all_orgs.create(org=ctx.org, evidence=evidence, linked_by=ctx.user,
                                        subject_kind=key, subject_id=subject.pk)
    record(ctx=ctx, action="update", obj=evidence,
           changes={"supports": {"before": None, "after": f"+ {_label(ctx, subject)}"}})
    return link


@transaction.atomic
def evidence_unlink(*, ctx: Ctx, evidence_id: uuid.UUID, subject: models.Model,
                    perm: str = "evidence.change") -> None:
    """Withdraw a link between evidence and `subject` (the evidence itself stays)."""
    ctx.require(perm)
    evidence = writes.get_for_update(Evidence, ctx=ctx, pk=evidence_id, label="Evidence")
    deleted, _ = EvidenceLink.objects.for_org(ctx.org).filter(
        evidence=evidence, subject_kind=kind_of(subject).key, subject_id=subject.pk).delete()
    if not deleted:
        raise ValidationError({"subject_id": ["This evidence is not linked to that record."]})
    record(ctx=ctx, action="update", obj=evidence,
           changes={"supports": {"before": f"- {_label(ctx, subject)}", "after": None}})


@transaction.atomic
def evidence_delete(*, ctx: Ctx, evidence_id: uuid.UUID, version: int | None,
                    perm: str = "evidence.change") -> None:
    """Delete evidence and its links; its file goes when no other evidence uses it."""
    ctx.require(perm)
    evidence = writes.get_for_update(Evidence, ctx=ctx, pk=evidence_id, label="Evidence")
    links = EvidenceLink.objects.for_org(ctx.org).filter(evidence=evidence).count()
    blob = evidence.blob
    writes.delete(ctx=ctx, obj=evidence, version=version,
                  extra_changes={"supports": {"before": links, "after": None}} if links else None)
    if blob is not None and not Evidence.objects.for_org(ctx.org).filter(blob=blob).exists():
        name = blob_path(ctx.org.pk, blob.sha256)
        try:
            with transaction.atomic():  # a savepoint: the evidence deletion stands either way
                blob.delete()
        except (ProtectedError, RestrictedError):
            return  # another record (a document version…) still holds these bytes
        # The file goes only once the deletion is committed; a rollback keeps it.
        transaction.on_commit(lambda: _delete_file(name))


def _delete_file(name: str) -> None:
    from django.core.files.storage import default_storage

    if not Blob.all_orgs.filter(name=name).exists():
        default_storage.delete(name)
