"""Writes of integrations: issuing and revoking integration tokens, evidence pushed by a
pipeline, and model cards imported onto an AI system."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from aims.activity.services import record
from aims.compliance.selectors import soa_item_get
from aims.core.errors import NotFound, PermissionDenied, ValidationError
from aims.evidence.models import Evidence, EvidenceKind
from aims.evidence.services import evidence_create
from aims.evidence.storage import atomic_with_files
from aims.integrations import modelcard
from aims.integrations.models import IntegrationToken
from aims.inventory.models import AISystem
from aims.inventory.selectors import ai_system_get, ai_system_list
from aims.orgs.context import Ctx
from aims.orgs.permissions import Role
from aims.records import writes

# Not the personal tokens' "aims_": a personal-token check never matches an integration
# token, so every route but the push route refuses it before looking further.
TOKEN_PREFIX = "aimsi_"
MANAGE = "members.manage"
PUSH = "evidence.change"
MAX_SCOPE = 100


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_refs(ctx: Ctx, refs: list[str] | None) -> list[str]:
    out: list[str] = []
    for ref in refs or []:
        ref = str(ref).strip()
        if not ref:
            continue
        try:
            soa_item_get(ctx=ctx, ref=ref)
        except NotFound:
            raise ValidationError({"controls": [
                f"{ref} is not a control or clause of this organisation's record "
                "(write refs as A.6.2.4 or 9.2)."]}) from None
        if ref not in out:
            out.append(ref)
    if len(out) > MAX_SCOPE:
        raise ValidationError({"controls": [f"Name at most {MAX_SCOPE} controls."]})
    return out


def _system(ctx: Ctx, value: str, field: str) -> AISystem:
    """An AI system of ctx.org named by its id or its exact name (case aside)."""
    value = str(value).strip()
    try:
        return ai_system_get(ctx=ctx, system_id=uuid.UUID(value))
    except ValueError:
        pass
    except NotFound:
        raise ValidationError({field: [f"No AI system {value} in this organisation."]}) from None
    found = list(ai_system_list(ctx=ctx).filter(name__iexact=value)[:2])
    if len(found) != 1:
        raise ValidationError({field: [
            f"No AI system named “{value}” in this organisation." if not found else
            f"Several AI systems are named “{value}”: give its id instead."]})
    return found[0]


def _clean_systems(ctx: Ctx, values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        if str(value).strip():
            pk = str(_system(ctx, value, "systems").pk)
            if pk not in out:
                out.append(pk)
    if len(out) > MAX_SCOPE:
        raise ValidationError({"systems": [f"Name at most {MAX_SCOPE} AI systems."]})
    return out


@transaction.atomic
def integration_token_create(*, ctx: Ctx, name: str, expires_in_days: int | None = None,
                             controls: list[str] | None = None,
                             systems: list[str] | None = None,
                             ) -> tuple[IntegrationToken, str]:
    """Issue a token that may only push evidence into ctx.org (optionally only onto the named
    controls and AI systems); returns the row and the secret, which is never stored."""
    ctx.require(MANAGE)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["Say what will hold the token (a pipeline, a "
                                        "repository, a tool)."]})
    if expires_in_days is not None and not 1 <= expires_in_days <= 3660:
        raise ValidationError({"expires_in_days": ["Choose between 1 and 3660 days."]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = IntegrationToken(
        org=ctx.org, name=name, prefix=raw[:12], token_hash=_hash(raw), created_by=ctx.user,
        controls=_clean_refs(ctx, controls), systems=_clean_systems(ctx, systems),
        expires_at=(timezone.now() + timedelta(days=expires_in_days)
                    if expires_in_days else None))
    writes.create(ctx=ctx, obj=token, exclude=["token_hash"])
    return token, raw


@transaction.atomic
def integration_token_revoke(*, ctx: Ctx, token_id: uuid.UUID | str) -> IntegrationToken:
    """Revoke one of ctx.org's integration tokens; it stays listed, as revoked. Revoking twice
    changes nothing."""
    ctx.require(MANAGE)
    try:
        pk = uuid.UUID(str(token_id))
    except ValueError:
        raise NotFound("Integration token not found.") from None
    token = writes.get_for_update(IntegrationToken, ctx=ctx, pk=pk, label="Integration token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.version += 1
        token.save(update_fields=["revoked_at", "version", "updated_at"])
        record(ctx=ctx, action="update", obj=token,
               changes={"revoked_at": {"before": None, "after": token.revoked_at}})
    return token


def integration_token_authenticate(*, raw: str) -> IntegrationToken | None:
    """The live integration token with this secret, or None; notes when it was last used."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (IntegrationToken.all_orgs.select_related("org")
             .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now),
                     token_hash=_hash(raw), revoked_at__isnull=True).first())
    if token is None:
        return None
    # At most once a minute, and without touching the row's version: use is not a change.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        IntegrationToken.all_orgs.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def integration_ctx(token: IntegrationToken) -> Ctx:
    """The context a token acts in: its organisation, no person, logged as the token. Only
    the push services accept it (no other route authenticates integration tokens), and they
    hold it to the token's scope."""
    return Ctx(org=token.org, user=None, role=Role.EDITOR, actor_label=token.actor_label)


# --------------------------------------------------------------------------- push


@dataclass
class Targets:
    controls: list[models.Model] = field(default_factory=list)
    systems: list[AISystem] = field(default_factory=list)

    @property
    def all(self) -> list[models.Model]:
        return [*self.systems, *self.controls]


def _outside(token: IntegrationToken | None, *, controls=(), systems=()) -> None:
    """403 when the token is limited and something named is outside its limits."""
    if token is None:
        return
    if token.controls and (extra := [r for r in controls if r not in token.controls]):
        raise PermissionDenied(
            f"Integration token “{token.name}” may only link evidence to "
            f"{', '.join(token.controls)}; not to {', '.join(extra)}.")
    if token.systems and (extra := [str(s.pk) for s in systems
                                    if str(s.pk) not in token.systems]):
        raise PermissionDenied(
            f"Integration token “{token.name}” may not link evidence to AI system "
            f"{', '.join(extra)}: it is limited to other AI systems.")


def _targets(ctx: Ctx, token: IntegrationToken | None, controls: list[str],
             systems: list[str]) -> Targets:
    refs = [r.strip() for r in controls if r and r.strip()]
    _outside(token, controls=refs)
    found = Targets()
    for ref in dict.fromkeys(refs):
        try:
            found.controls.append(soa_item_get(ctx=ctx, ref=ref))
        except NotFound:
            raise ValidationError({"controls": [
                f"{ref} is not a control or clause of this organisation's record "
                "(write refs as A.6.2.4 or 9.2)."]}) from None
    seen: set[uuid.UUID] = set()
    for value in systems:
        if value and value.strip():
            system = _system(ctx, value, "systems")
            if system.pk not in seen:
                seen.add(system.pk)
                found.systems.append(system)
    _outside(token, systems=found.systems)
    if not found.all:
        raise ValidationError({"controls": [
            "Name at least one control (controls) or AI system (systems) the evidence "
            "supports."]})
    return found


@atomic_with_files
def evidence_push(*, ctx: Ctx, token: IntegrationToken | None = None, title: str,
                  description: str = "", upload: UploadedFile | None = None, url: str = "",
                  effective_from: datetime.date | None = None,
                  effective_to: datetime.date | None = None,
                  valid_until: datetime.date | None = None,
                  controls: list[str] | None = None,
                  systems: list[str] | None = None) -> Evidence:
    """Add a file or a link as evidence of the named controls and AI systems, as a pipeline
    does: with `token`, only inside the token's limits (403 outside them)."""
    ctx.require(PUSH)
    targets = _targets(ctx, token, list(controls or []), list(systems or []))
    url = (url or "").strip()
    if upload is not None and url:
        raise ValidationError({"url": ["Send a file or a url, not both."]})
    if upload is None and not url:
        raise ValidationError({"file": ["Send the evidence as a file part, or its url."]})
    if effective_from is None or effective_to is None:
        raise ValidationError({"effective_from" if effective_from is None else "effective_to": [
            "Say which period the evidence covers (from and to), so it lands in the right "
            "audit period."]})
    data: dict[str, Any] = {
        "title": title, "description": description, "url": url,
        "effective_from": effective_from, "effective_to": effective_to,
        "valid_until": valid_until,
        "kind": EvidenceKind.FILE if upload is not None else EvidenceKind.LINK,
        "source": (f"Pushed by integration token “{token.name}”" if token is not None
                   else "Pushed over the API")[:200]}
    return evidence_create(ctx=ctx, data=data, upload=upload, links=targets.all)


# --------------------------------------------------------------------------- model cards


@dataclass
class CardImport:
    card: modelcard.ModelCard
    system: AISystem
    evidence: list[Evidence]
    unlinked: list[str]  # controls the mapping names that this organisation's record lacks


@atomic_with_files
def model_card_import(*, ctx: Ctx, system_id: uuid.UUID | str, content: bytes,
                      file_name: str = "", token: IntegrationToken | None = None,
                      effective_from: datetime.date | None = None,
                      effective_to: datetime.date | None = None) -> CardImport:
    """Keep a model card as evidence of an AI system: the card itself, and one note per part
    it fills (intended use, limitations, training data, evaluation) linked to the controls
    each supports. Nothing is written when the card cannot be read."""
    ctx.require(PUSH)
    system = _system(ctx, str(system_id), "systems")
    _outside(token, systems=[system])
    wanted = list(dict.fromkeys([*modelcard.CARD_CONTROLS,
                                 *(c for p in modelcard.PARTS for c in p.controls)]))
    _outside(token, controls=wanted)
    card = modelcard.parse(content, file_name)
    items: dict[str, models.Model] = {}
    unlinked = []
    for ref in wanted:
        try:
            items[ref] = soa_item_get(ctx=ctx, ref=ref)
        except NotFound:
            unlinked.append(ref)
    today = timezone.localdate()
    period = {"effective_from": effective_from or today, "effective_to": effective_to or today}
    source = (f"{card.format_label} “{file_name or card.model}”"
              + (f", pushed by integration token “{token.name}”" if token else ""))[:200]
    gaps = ("The card leaves empty: " + " ".join(card.gaps)) if card.gaps else (
        "The card fills intended use, limitations, training data and evaluation results.")
    name = file_name or ("model-card.json" if card.format == "mlflow" else "README.md")
    created = [evidence_create(
        ctx=ctx, upload=SimpleUploadedFile(name, content),
        links=[system, *(items[r] for r in modelcard.CARD_CONTROLS if r in items)],
        data={"title": f"Model card of {card.model}"[:200], "kind": EvidenceKind.FILE,
              "description": f"The {card.format_label} of {card.model}, as imported. {gaps}",
              "source": source, **period})]
    for part in modelcard.PARTS:
        text = card.parts.get(part.key)
        if not text:
            continue
        created.append(evidence_create(
            ctx=ctx, links=[system, *(items[r] for r in part.controls if r in items)],
            data={"title": f"{part.label} of {card.model}"[:200], "kind": EvidenceKind.NOTE,
                  "note": text, "source": source,
                  "description": f"Read from the {card.format_label}. {part.why}", **period}))
    return CardImport(card=card, system=system, evidence=created, unlinked=unlinked)
