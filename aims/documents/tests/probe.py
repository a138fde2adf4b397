"""How the tenancy, role and error matrices reach the document routes (see
aims.testing.tenancy)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from aims.documents.services import (
    document_create,
    document_version_approve,
    document_version_submit,
    document_version_update,
)
from aims.testing.factories import ctx_for


def _submitted(ctx, document):
    draft = document.versions.get(number=1)
    return document_version_submit(ctx=ctx, document_id=document.pk, version_id=draft.pk,
                                   version=draft.version)


def build(world, ctx, tag: str) -> None:
    """Three documents written by the editor: one with a draft carrying a file (never approved,
    so deletable), one approved by the owner, one in review (so the owner and admins may
    approve it)."""
    editor = ctx_for(world.org, world.editor)
    drafted = document_create(ctx=editor, data={
        "title": f"{tag} Model risk appetite statement", "kind": "topic_policy",
        "owner": world.editor.pk, "requirements": ["5.2"]})
    draft = drafted.versions.get(number=1)
    draft = document_version_update(
        ctx=editor, document_id=drafted.pk, version_id=draft.pk, version=draft.version,
        data={"change_summary": f"{tag} confidential board wording"},
        upload=SimpleUploadedFile(f"{tag}-appetite.pdf", f"{tag} secret appetite".encode()))
    approved = document_create(ctx=editor, data={
        "title": f"{tag} Claims AI policy", "kind": "ai_policy",
        "content": f"# {tag} claims AI policy\n\n{tag} secret commitments."})
    submitted = _submitted(editor, approved)
    approved_v1 = document_version_approve(ctx=ctx, document_id=approved.pk,
                                           version_id=submitted.pk, version=submitted.version)
    reviewed = document_create(ctx=editor, data={
        "title": f"{tag} Fraud model procedure", "kind": "procedure",
        "content": f"{tag} secret fraud thresholds."})
    review = _submitted(editor, reviewed)
    drafted.refresh_from_db()
    reviewed.refresh_from_db()
    world.extra.update(doc_draft=drafted, doc_draft_v=draft, doc_approved=approved,
                       doc_review=reviewed, doc_review_v=review)
    world.secrets += [drafted.title, approved.title, reviewed.title, draft.change_summary,
                      f"{tag} secret commitments", f"{tag} secret fraud thresholds",
                      draft.file_name,
                      *(str(x) for x in (drafted.pk, draft.pk, approved.pk, approved_v1.pk,
                                         reviewed.pk, review.pk))]


def _draft_doc(w):
    return w.extra["doc_draft"]


def _draft(w):
    return w.extra["doc_draft_v"]


def _review_doc(w):
    return w.extra["doc_review"]


def _review(w):
    return w.extra["doc_review_v"]


def _approved_doc(w):
    return w.extra["doc_approved"]


PATH_PARAMS = {
    "document_id": lambda w: _draft_doc(w).pk,
    "version_id": lambda w: _draft(w).pk,
}
ORG_UNIQUE_PARAMS = {"document_id", "version_id"}
VERSIONED_BY = {
    "document_id": lambda w: _draft_doc(w).version,
    "version_id": lambda w: _draft(w).version,
}

D = "/orgs/{slug}/documents"
ITEM = D + "/{document_id}"
V = ITEM + "/versions/{version_id}"
BODIES = {
    ("POST", D): lambda s, i: {"title": "Probe document", "kind": "procedure",
                               "owner": str(s.editor.pk)},
    ("PATCH", ITEM): lambda s, i: {"version": _draft_doc(i).version, "title": "Probe renamed"},
    ("POST", ITEM + "/versions"): lambda s, i: {"change_summary": "Probe: yearly review."},
    ("PATCH", V): lambda s, i: {"version": _draft(i).version, "change_summary": "Probe edit"},
    ("POST", V + "/submit"): lambda s, i: {"version": _draft(i).version},
    ("POST", V + "/approve"): lambda s, i: {"version": _review(i).version},
    ("POST", V + "/return"):
        lambda s, i: {"version": _review(i).version, "comment": "Probe: name the owner."},
}

# A new version starts from an approved document (the draft document already has one open);
# the version in force is the approved one's; approving and returning act on the review.
_REVIEWED = {"document_id": lambda w: _review_doc(w).pk, "version_id": lambda w: _review(w).pk}
ROUTE_PARAMS = {
    ("POST", ITEM + "/versions"): {"document_id": lambda w: _approved_doc(w).pk},
    ("GET", ITEM + "/in-force"): {"document_id": lambda w: _approved_doc(w).pk},
    ("POST", V + "/approve"): _REVIEWED,
    ("POST", V + "/return"): _REVIEWED,
}
WRITE_PERMS = {"documents": "documents.change"}
ROUTE_PERMS = {
    ("POST", V + "/approve"): "documents.approve",
    ("POST", V + "/return"): "documents.approve",
}
# Creating a document logs it and its first version; approving logs the version and the
# document's next review date (and the superseded version, if any).
MULTI_EVENT_ROUTES = {("POST", D), ("POST", V + "/approve")}
WEB_PARAMS = {
    "document_id": lambda w: _draft_doc(w).pk,
    "version_id": lambda w: _draft(w).pk,
}
