"""Evidence: the API. Adding evidence is a multipart upload (form fields plus an optional
`file` part); everything else is JSON."""

import uuid

from ninja import File, Form, Query, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from aims.core.errors import NotFound, ValidationError
from aims.core.paging import BoundedPagination
from aims.core.responses import stream_response
from aims.core.uploads import accepts_upload
from aims.evidence import selectors, services
from aims.evidence.schemas import (
    EvidenceDetailOut,
    EvidenceIn,
    EvidenceOut,
    EvidencePatch,
    EvidenceQuery,
    LinkIn,
    LinkOut,
)
from aims.evidence.storage import blob_open, guarded_upload, too_large_message
from aims.orgs.api import OrgRequest, OrgRouter
from aims.records.kinds import record_get

router = OrgRouter()


def _body_subject(ctx, kind: str, pk):
    """A record named in a request body: a foreign or missing one is a 422 on subject_id."""
    try:
        return record_get(ctx=ctx, kind=kind, pk=pk)
    except NotFound:
        raise ValidationError({"subject_id": [
            "No such record of this kind in this organisation."]}) from None


def _detail(ctx, evidence):
    evidence.linked = [
        {"subject_kind": link.subject_kind, "subject_id": link.subject_id, "label": rec.label,
         "title": rec.title, "url": rec.url}
        for link, rec in selectors.evidence_links(ctx=ctx, evidence=evidence)]
    return evidence


@router.get("/{slug}/evidence", response=list[EvidenceOut])
@paginate(BoundedPagination)
def evidence_list(request: OrgRequest, slug: str, query: Query[EvidenceQuery]):
    """The evidence register, filtered and sorted."""
    d = query.dict()
    d["kind"] = d["kind"] or ""
    d["freshness"] = d["freshness"] or ""
    d["owner"] = str(d["owner"]) if d["owner"] else ""
    return selectors.evidence_list(ctx=request.ctx,
                                   filters=selectors.EvidenceFilters(**d))


@router.post("/{slug}/evidence", response={201: EvidenceDetailOut}, perm="evidence.change")
@decorate_view(guarded_upload)
@accepts_upload
def evidence_create(request: OrgRequest, slug: str, payload: Form[EvidenceIn],
                    # Optional, yet not `UploadedFile | None`, which the document would show
                    # as a nullable part.
                    file: File[UploadedFile] = None):  # type: ignore[assignment]
    """Add evidence: send multipart/form-data with the fields and, for a file, a `file` part
    (stored by its SHA-256; its name is cleaned and kept for download only). Optionally
    `subject_kind` and `subject_id` link it to a record at once."""
    ctx = request.ctx
    if getattr(request, "upload_too_large", None):
        raise ValidationError({"file": [too_large_message()]})
    links = []
    if payload.subject_kind or payload.subject_id:
        if not (payload.subject_kind and payload.subject_id):
            raise ValidationError({"subject_id": ["Send both subject_kind and subject_id."]})
        links = [_body_subject(ctx, payload.subject_kind, payload.subject_id)]
    evidence = services.evidence_create(ctx=ctx, data=payload.service_data(), upload=file,
                                        links=links)
    return Status(201, _detail(ctx, selectors.evidence_get(ctx=ctx, evidence_id=evidence.pk)))


@router.get("/{slug}/evidence/{evidence_id}", response=EvidenceDetailOut)
def evidence_get(request: OrgRequest, slug: str, evidence_id: uuid.UUID):
    """One piece of evidence with its SHA-256, freshness and every record it supports."""
    ctx = request.ctx
    return _detail(ctx, selectors.evidence_get(ctx=ctx, evidence_id=evidence_id))


@router.patch("/{slug}/evidence/{evidence_id}", response=EvidenceDetailOut,
              perm="evidence.change")
def evidence_update(request: OrgRequest, slug: str, evidence_id: uuid.UUID,
                    payload: EvidencePatch):
    """Change what is said about it; the content (file) never changes."""
    ctx = request.ctx
    services.evidence_update(ctx=ctx, evidence_id=evidence_id, **payload.changes())
    return _detail(ctx, selectors.evidence_get(ctx=ctx, evidence_id=evidence_id))


@router.delete("/{slug}/evidence/{evidence_id}", perm="evidence.change")
def evidence_delete(request: OrgRequest, slug: str, evidence_id: uuid.UUID, version: int):
    """Delete it and its links; the file goes when nothing else holds the same bytes."""
    services.evidence_delete(ctx=request.ctx, evidence_id=evidence_id, version=version)
    return Status(204, None)


@router.get("/{slug}/evidence/{evidence_id}/download", response={200: None})
def evidence_download(request: OrgRequest, slug: str, evidence_id: uuid.UUID):
    """The file, as an attachment under its original (cleaned) name."""
    evidence = selectors.evidence_get(ctx=request.ctx, evidence_id=evidence_id)
    if evidence.blob is None:
        raise NotFound("This evidence has no file.")
    return stream_response(blob_open(evidence.blob), evidence.content_type, evidence.file_name)


@router.post("/{slug}/evidence/{evidence_id}/links", response={201: LinkOut},
             perm="evidence.change")
def evidence_link(request: OrgRequest, slug: str, evidence_id: uuid.UUID, payload: LinkIn):
    """Say the evidence supports one more record (linking twice changes nothing)."""
    ctx = request.ctx
    evidence = selectors.evidence_get(ctx=ctx, evidence_id=evidence_id)
    subject = _body_subject(ctx, payload.subject_kind, payload.subject_id)
    return Status(201, services.evidence_link(ctx=ctx, evidence_id=evidence.pk, subject=subject))


@router.delete("/{slug}/evidence/{evidence_id}/links/{subject_kind}/{subject_id}",
               perm="evidence.change")
def evidence_unlink(request: OrgRequest, slug: str, evidence_id: uuid.UUID, subject_kind: str,
                    subject_id: str):
    """Withdraw one link; the evidence and the record both stay."""
    ctx = request.ctx
    evidence = selectors.evidence_get(ctx=ctx, evidence_id=evidence_id)
    subject = record_get(ctx=ctx, kind=subject_kind, pk=subject_id)
    services.evidence_unlink(ctx=ctx, evidence_id=evidence.pk, subject=subject)
    return Status(204, None)


@router.get("/{slug}/records/{record_kind}/{record_id}/evidence", response=list[EvidenceOut])
@paginate(BoundedPagination)
def record_evidence(request: OrgRequest, slug: str, record_kind: str, record_id: str):
    """The evidence that supports any record (a control, a risk, an AI system…)."""
    ctx = request.ctx
    subject = record_get(ctx=ctx, kind=record_kind, pk=record_id, field="record_id")
    return selectors.evidence_for(ctx=ctx, subject=subject)
