"""Documented information: the API."""

import datetime
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from aims.core.api import VersionIn
from aims.core.errors import NotFound
from aims.core.paging import BoundedPagination
from aims.core.responses import file_response, stream_response
from aims.documents import selectors, services
from aims.documents.models import DocumentKind
from aims.documents.pdf import version_pdf
from aims.documents.schemas import (
    DiffOut,
    DocumentApproveIn,
    DocumentIn,
    DocumentOut,
    DocumentPatch,
    DocumentVersionIn,
    DocumentVersionOut,
    DocumentVersionPatch,
)
from aims.evidence.storage import blob_open
from aims.orgs.api import OrgRequest, OrgRouter
from aims.records.approval import ReturnIn

router = OrgRouter()


class DocumentQuery(Schema):
    q: str = ""
    kind: DocumentKind | Literal[""] = ""
    status: Literal["", "draft", "in_review", "approved"] = ""
    review: Literal["", "overdue", "due_soon", "never"] = ""
    owner: uuid.UUID | None = None


class InForceQuery(Schema):
    on: datetime.date | None = None


class DiffQuery(Schema):
    old: int | None = None
    new: int | None = None


class PdfQuery(Schema):
    number: int | None = None


BASE = "/{slug}/documents"
ITEM = BASE + "/{document_id}"
VERSIONS = ITEM + "/versions"
VERSION = VERSIONS + "/{version_id}"


def _get(ctx, document_id):
    return selectors.document_get(ctx=ctx, document_id=document_id)


def _version(ctx, document_id, version_id):
    return selectors.version_get(ctx=ctx, document_id=document_id, version_id=version_id)


@router.get(BASE, response=list[DocumentOut])
@paginate(BoundedPagination)
def document_list(request: OrgRequest, slug: str, query: Query[DocumentQuery]):
    """Documents by reference; `status` finds those with a draft, a review or an approval,
    `review` those overdue, due soon or never approved."""
    ctx = request.ctx
    q = query.dict()
    q["owner"] = str(q["owner"] or "")
    return selectors.document_list(ctx=ctx, filters=selectors.DocumentFilters(**q))


@router.post(BASE, response={201: DocumentOut}, perm="documents.change")
def document_create(request: OrgRequest, slug: str, payload: DocumentIn):
    """Add a document; its version 1 starts as a draft (blank, given, or from a template)."""
    ctx = request.ctx
    data = payload.dict()
    if data.get("template") is None:
        data.pop("template")
    document = services.document_create(ctx=ctx, data=data)
    return Status(201, _get(ctx, document.pk))


@router.get(ITEM, response=DocumentOut)
def document_get(request: OrgRequest, slug: str, document_id: uuid.UUID):
    return _get(request.ctx, document_id)


@router.patch(ITEM, response=DocumentOut, perm="documents.change")
def document_update(request: OrgRequest, slug: str, document_id: uuid.UUID,
                    payload: DocumentPatch):
    """Change the document's title, kind, purpose, owner, review interval or requirements."""
    ctx = request.ctx
    services.document_update(ctx=ctx, document_id=document_id, **payload.changes())
    return _get(ctx, document_id)


@router.delete(ITEM, perm="documents.change")
def document_delete(request: OrgRequest, slug: str, document_id: uuid.UUID, version: int):
    """Delete a document that was never approved."""
    services.document_delete(ctx=request.ctx, document_id=document_id, version=version)
    return Status(204, None)


@router.get(ITEM + "/in-force", response=DocumentVersionOut)
def version_in_force(request: OrgRequest, slug: str, document_id: uuid.UUID,
                     query: Query[InForceQuery]):
    """The version in force on `on` (default today); 404 when none was."""
    ctx = request.ctx
    document = _get(ctx, document_id)
    found = selectors.version_in_force(ctx=ctx, document=document, on=query.on)
    if found is None:
        day = query.on or timezone.localdate()
        raise NotFound(f"No version of {document.ref} was in force on {day:%Y-%m-%d}.")
    return found


@router.get(ITEM + "/diff", response=DiffOut)
def version_diff(request: OrgRequest, slug: str, document_id: uuid.UUID,
                 query: Query[DiffQuery]):
    """A unified diff between versions `old` and `new` (by number; default the latest and the
    one before it)."""
    ctx = request.ctx
    d = selectors.version_diff(ctx=ctx, document=_get(ctx, document_id), old=query.old,
                               new=query.new)
    return {"old": d.old.number, "new": d.new.number, "changed": d.changed, "diff": d.unified}


@router.get(ITEM + "/pdf", response={200: None})
def document_pdf(request: OrgRequest, slug: str, document_id: uuid.UUID,
                 query: Query[PdfQuery]):
    """A version as a PDF: `number`, or by default the version in force (else the latest)."""
    ctx = request.ctx
    document = _get(ctx, document_id)
    if query.number is not None:
        version = selectors.version_by_number(ctx=ctx, document=document, number=query.number)
    else:
        found = (selectors.version_in_force(ctx=ctx, document=document)
                 or selectors.version_list(ctx=ctx, document_id=document.pk).first())
        if found is None:  # a document is created with its first version
            raise NotFound(f"{document.ref} has no version.")
        version = found
    return file_response(*version_pdf(ctx=ctx, document=document, version=version))


@router.get(VERSIONS, response=list[DocumentVersionOut])
@paginate(BoundedPagination)
def version_list(request: OrgRequest, slug: str, document_id: uuid.UUID):
    """Every version, newest first, with who approved it and when it was in force."""
    return selectors.version_list(ctx=request.ctx, document_id=document_id)


@router.post(VERSIONS, response={201: DocumentVersionOut}, perm="documents.change")
def version_create(request: OrgRequest, slug: str, document_id: uuid.UUID,
                   payload: DocumentVersionIn):
    """Start the next version as a draft, copying the version in force unless `content` is
    given."""
    ctx = request.ctx
    data = {k: v for k, v in payload.dict().items() if v is not None}
    created = services.document_version_create(ctx=ctx, document_id=document_id, data=data)
    return Status(201, _version(ctx, document_id, created.pk))


@router.get(VERSION, response=DocumentVersionOut)
def version_get(request: OrgRequest, slug: str, document_id: uuid.UUID,
                version_id: uuid.UUID):
    return _version(request.ctx, document_id, version_id)


@router.patch(VERSION, response=DocumentVersionOut, perm="documents.change")
def version_update(request: OrgRequest, slug: str, document_id: uuid.UUID,
                   version_id: uuid.UUID, payload: DocumentVersionPatch):
    """Change a draft's text or change summary; approved versions never change (422)."""
    ctx = request.ctx
    services.document_version_update(ctx=ctx, document_id=document_id, version_id=version_id,
                                     **payload.changes())
    return _version(ctx, document_id, version_id)


@router.post(VERSION + "/submit", response=DocumentVersionOut, perm="documents.change")
def version_submit(request: OrgRequest, slug: str, document_id: uuid.UUID,
                   version_id: uuid.UUID, payload: VersionIn):
    """Send a draft for review."""
    ctx = request.ctx
    services.document_version_submit(ctx=ctx, document_id=document_id, version_id=version_id,
                                     version=payload.version)
    return _version(ctx, document_id, version_id)


@router.post(VERSION + "/approve", response=DocumentVersionOut, perm="documents.approve")
def version_approve(request: OrgRequest, slug: str, document_id: uuid.UUID,
                    version_id: uuid.UUID, payload: DocumentApproveIn):
    """Approve a version in review (documents.approve; never by whoever wrote or submitted
    it); the version it replaces is superseded from its effective date."""
    ctx = request.ctx
    services.document_version_approve(
        ctx=ctx, document_id=document_id, version_id=version_id, version=payload.version,
        comment=payload.comment, approved_on=payload.approved_on,
        effective_from=payload.effective_from, happened_on=payload.happened_on)
    return _version(ctx, document_id, version_id)


@router.post(VERSION + "/return", response=DocumentVersionOut, perm="documents.approve")
def version_return(request: OrgRequest, slug: str, document_id: uuid.UUID,
                   version_id: uuid.UUID, payload: ReturnIn):
    """Send a version in review back to draft, saying what must change."""
    ctx = request.ctx
    services.document_version_return(ctx=ctx, document_id=document_id, version_id=version_id,
                                     version=payload.version, comment=payload.comment)
    return _version(ctx, document_id, version_id)


@router.get(VERSION + "/file", response={200: None})
def version_file(request: OrgRequest, slug: str, document_id: uuid.UUID,
                 version_id: uuid.UUID):
    """The uploaded file of a file version, under its original (cleaned) name."""
    v = _version(request.ctx, document_id, version_id)
    if not v.is_file:
        raise NotFound(f"{v} is Markdown text, not a file: read its content instead.")
    return stream_response(blob_open(v.blob), v.content_type or "application/octet-stream",
                           v.file_name)
