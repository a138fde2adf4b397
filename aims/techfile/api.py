"""The drafted EU AI Act documents of an AI system, read-only: the technical documentation
(Annex IV) and the post-market monitoring plan (Art. 72), as JSON or PDF."""

import datetime
import uuid
from typing import Literal

from django.urls import reverse
from ninja import Schema, Status
from pydantic import Field

from aims.core.api import InSchema, VersionIn
from aims.core.responses import file_response
from aims.orgs.api import OrgRequest, OrgRouter
from aims.techfile.drafts import Draft, draft_get
from aims.techfile.models import NoticeLink
from aims.techfile.notices import notice_get, notice_pdf
from aims.techfile.pdf import draft_pdf
from aims.techfile.schemas import DraftOut
from aims.techfile.services import notice_link_create, notice_link_revoke

router = OrgRouter()
ITEM = "/{slug}/ai-systems/{system_id}/documents/{kind}"
Kind = Literal["technical-file", "monitoring-plan"]


def _out(d: Draft) -> dict:
    return {
        "kind": d.kind, "title": d.title, "ai_system": d.system.pk, "applies": d.applies,
        "why": d.why, "complete": d.complete, "complete_count": d.complete_count,
        "sections": [{
            "key": s.key, "title": s.title, "guidance": s.guidance, "complete": s.complete,
            "facts": [{"label": label, "value": value or ""} for label, value in s.facts],
            "items": [{"label": i["label"], "detail": i.get("detail") or "",
                       "url": i.get("url") or ""} for i in s.items],
            "missing": [{"text": g.text, "url": g.url} for g in s.missing],
        } for s in d.sections],
    }


@router.get(ITEM, response=DraftOut)
def document_get(request: OrgRequest, slug: str, system_id: uuid.UUID, kind: Kind):
    """The document drafted from the record now: each section with what it holds, whether it
    is complete, and what is missing (with the page to fix it)."""
    return _out(draft_get(ctx=request.ctx, system_id=system_id, kind=kind))


@router.get(ITEM + "/pdf", response={200: None})
def document_pdf(request: OrgRequest, slug: str, system_id: uuid.UUID, kind: Kind):
    """The document as a PDF."""
    return file_response(*draft_pdf(ctx=request.ctx, system_id=system_id, kind=kind))


# ---------------------------------------------------------------- transparency notice

NOTICE = "/{slug}/ai-systems/{system_id}/transparency-notice"


class NoticeSectionOut(Schema):
    title: str
    text: str


class NoticeLinkOut(Schema):
    id: uuid.UUID
    url: str = Field(description="The public address; anyone who has it reads the notice "
                                 "without signing in, until the link is revoked. Given once, "
                                 "in the answer that makes the link (only a hash of it is "
                                 "stored); empty otherwise.")
    hint: str = Field(description="The first characters of the address's token, to tell "
                                  "links apart.")
    contact: str
    active: bool
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None
    version: int


class NoticeOut(Schema):
    ai_system: uuid.UUID
    system_name: str
    opening: str
    sections: list[NoticeSectionOut]
    contact: str
    links: list[NoticeLinkOut]


class NoticeLinkIn(InSchema):
    contact: str = Field(min_length=1, description="How people reach the organisation about "
                                                   "the system; shown on the notice.")


def _link_out(request, link: NoticeLink) -> dict:
    return {"id": link.pk, "contact": link.contact, "active": link.active,
            "created_at": link.created_at, "revoked_at": link.revoked_at,
            "version": link.version,
            "hint": link.token_hint,
            "url": request.build_absolute_uri(reverse("notice_public", args=[link.raw_token]))
            if link.active and link.raw_token else ""}


@router.get(NOTICE, response=NoticeOut)
def notice_read(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """The transparency notice drafted from the AI system record, with its public links."""
    system, n, links = notice_get(ctx=request.ctx, system_id=system_id)
    return {"ai_system": system.pk, "system_name": n.system_name, "opening": n.opening,
            "sections": [{"title": t, "text": v} for t, v in n.sections], "contact": n.contact,
            "links": [_link_out(request, link) for link in links]}


@router.get(NOTICE + "/pdf", response={200: None})
def notice_pdf_file(request: OrgRequest, slug: str, system_id: uuid.UUID):
    """The transparency notice as a PDF."""
    return file_response(*notice_pdf(ctx=request.ctx, system_id=system_id))


@router.post(NOTICE + "/links", response={201: NoticeLinkOut}, perm="inventory.change")
def notice_link_create_api(request: OrgRequest, slug: str, system_id: uuid.UUID,
                           payload: NoticeLinkIn):
    """Publish the notice at a new unguessable public address: `url` is in this answer only
    (the address is stored as a hash and cannot be shown again)."""
    link = notice_link_create(ctx=request.ctx, system_id=system_id, data=payload.dict())
    return Status(201, _link_out(request, link))


@router.post(NOTICE + "/links/{link_id}/revoke", response=NoticeLinkOut,
             perm="inventory.change")
def notice_link_revoke_api(request: OrgRequest, slug: str, system_id: uuid.UUID,
                           link_id: uuid.UUID, payload: VersionIn):
    """Revoke a public link: its address answers 404 from now on."""
    link = notice_link_revoke(ctx=request.ctx, system_id=system_id, link_id=link_id,
                              version=payload.version)
    return _link_out(request, link)
