"""Integrations over the API: integration tokens (owners and admins), and the push route a CI
pipeline calls with one — evidence as a file or a link, or a model card, onto named controls
and AI systems."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.security import HttpBearer
from pydantic import Field

from aims.core.api import InSchema
from aims.core.errors import NotFound, ValidationError
from aims.core.uploads import accepts_upload
from aims.evidence.storage import guarded_upload, too_large_message
from aims.integrations import modelcard, selectors, services
from aims.orgs.api import OrgRequest, OrgRouter

router = OrgRouter()


class IntegrationBearer(HttpBearer):
    """`Authorization: Bearer aimsi_…`: an integration token, on the push route only. A token
    of another organisation is answered as a non-member is (404)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = services.integration_token_authenticate(raw=token)
        if found is None:
            return None
        slug = request.resolver_match.kwargs.get("slug", "") if request.resolver_match else ""
        if found.org.slug != slug:
            raise NotFound("Organisation not found.")
        request.ctx = services.integration_ctx(found)  # type: ignore[attr-defined]
        request.integration_token = found  # type: ignore[attr-defined]
        return found


# --------------------------------------------------------------------------- tokens


class IntegrationTokenOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    controls: list[str] = Field(description="Requirement refs it may push to; empty: any.")
    systems: list[uuid.UUID] = Field(description="AI systems it may push to; empty: any.")
    state: str = Field(description="active, expired or revoked.")
    created_at: datetime.datetime
    created_by_email: str | None
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class IntegrationTokenCreated(IntegrationTokenOut):
    token: str = Field(description="The secret: shown in this response only.")


class IntegrationTokenIn(InSchema):
    name: str = Field(min_length=1, max_length=100,
                      description="What will hold it: the pipeline, repository or tool.")
    expires_in_days: int | None = Field(None, description="1–3660; left out: never expires.")
    controls: list[str] = Field(default_factory=list,
                                description="Only these controls (refs such as A.6.2.4).")
    systems: list[str] = Field(default_factory=list,
                               description="Only these AI systems (ids or exact names).")


@router.get("/{slug}/integration-tokens", response=list[IntegrationTokenOut],
            perm=services.MANAGE)
def integration_token_list(request: OrgRequest, slug: str):
    """The organisation's integration tokens, newest first, revoked and expired ones too
    (owners and admins)."""
    return list(selectors.integration_token_list(ctx=request.ctx))


@router.post("/{slug}/integration-tokens", response={201: IntegrationTokenCreated},
             perm=services.MANAGE)
def integration_token_create(request: OrgRequest, slug: str, payload: IntegrationTokenIn):
    """Issue a token that can only push evidence into this organisation (optionally only onto
    the named controls and AI systems); the secret is in this response only."""
    token, raw = services.integration_token_create(ctx=request.ctx, **payload.dict())
    token = selectors.integration_token_get(ctx=request.ctx, token_id=token.pk)
    return Status(201, IntegrationTokenCreated(
        token=raw, **IntegrationTokenOut.from_orm(token).model_dump()))


@router.delete("/{slug}/integration-tokens/{integration_token_id}", perm=services.MANAGE)
def integration_token_revoke(request: OrgRequest, slug: str, integration_token_id: uuid.UUID):
    """Revoke it: it stops working at once and stays listed, as revoked."""
    services.integration_token_revoke(ctx=request.ctx, token_id=integration_token_id)
    return Status(204, None)


# --------------------------------------------------------------------------- push


class PushIn(InSchema):
    """The form fields of a push (the file, if any, is the `file` part)."""

    title: str = Field("", max_length=200,
                       description="What it is, as an auditor would ask for it (not needed for "
                                   "a model card).")
    description: str = Field("", max_length=5000)
    url: str = Field("", max_length=2000, description="A link instead of a file.")
    effective_from: datetime.date | None = Field(None, description="First day it covers.")
    effective_to: datetime.date | None = Field(None, description="Last day it covers.")
    valid_until: datetime.date | None = Field(None, description="When it goes stale.")
    controls: list[str] = Field(default_factory=list,
                                description="Controls it supports, by ref (A.6.2.4); repeat "
                                            "the field or separate with commas.")
    systems: list[str] = Field(default_factory=list,
                               description="AI systems it supports, by id or exact name; "
                                           "repeat the field or separate with commas.")
    model_card: bool = Field(False, description="The file is a Hugging Face model card or "
                                                "MLflow metadata JSON for the one AI system "
                                                "named in `systems`.")


class PushedEvidence(Schema):
    id: uuid.UUID
    ref: str
    title: str
    kind: str
    sha256: str | None = None


def _pushed(evidence) -> PushedEvidence:
    return PushedEvidence(id=evidence.pk, ref=evidence.ref, title=evidence.title,
                          kind=evidence.kind,
                          sha256=evidence.blob.sha256 if evidence.blob_id else None)


class PushOut(Schema):
    evidence: list[PushedEvidence]
    model: str = Field("", description="For a model card: the model it describes.")
    gaps: list[str] = Field(default_factory=list,
                            description="For a model card: what it leaves empty.")
    unlinked_controls: list[str] = Field(
        default_factory=list, description="For a model card: controls of the mapping this "
                                          "organisation's record does not hold.")


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@router.post("/{slug}/evidence/push", response={201: PushOut}, perm=services.PUSH,
             extra_auth=(IntegrationBearer(),))
@decorate_view(guarded_upload)
@accepts_upload
def evidence_push(request: OrgRequest, slug: str, payload: Form[PushIn],
                  file: File[UploadedFile] = None):  # type: ignore[assignment]
    """Push evidence as a pipeline does: multipart/form-data with a `file` part or a `url`,
    the period it covers and the controls and AI systems it supports. Open to an integration
    token of this organisation (inside its limits: 403 outside them) and to members who may
    add evidence. With `model_card=true` the file is a model card for one AI system."""
    ctx = request.ctx
    token = getattr(request, "integration_token", None)
    if getattr(request, "upload_too_large", None):
        raise ValidationError({"file": [too_large_message()]})
    controls, systems = _split(payload.controls), _split(payload.systems)
    if payload.model_card:
        if len(systems) != 1:
            raise ValidationError({"systems": ["A model card is for one AI system: name it."]})
        if file is None:
            raise ValidationError({"file": ["Send the model card as the file part."]})
        if file.size is not None and file.size > modelcard.MAX_BYTES:
            raise ValidationError({"file": [f"A model card may be at most "
                                            f"{modelcard.MAX_BYTES // 1024 // 1024} MB."]})
        done = services.model_card_import(
            ctx=ctx, system_id=systems[0], content=file.read(modelcard.MAX_BYTES + 1),
            file_name=file.name or "", token=token, effective_from=payload.effective_from,
            effective_to=payload.effective_to)
        return Status(201, PushOut(
            evidence=[_pushed(e) for e in done.evidence],
            model=done.card.model, gaps=done.card.gaps, unlinked_controls=done.unlinked))
    if not payload.title.strip():
        raise ValidationError({"title": ["Give the evidence a title."]})
    evidence = services.evidence_push(
        ctx=ctx, token=token, title=payload.title, description=payload.description,
        upload=file, url=payload.url, effective_from=payload.effective_from,
        effective_to=payload.effective_to, valid_until=payload.valid_until,
        controls=controls, systems=systems)
    return Status(201, PushOut(evidence=[_pushed(evidence)], model="", gaps=[],
                                unlinked_controls=[]))
