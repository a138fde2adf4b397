"""The activity log's only writer, and its verifier."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aims.activity.models import Event
from aims.core.fields import plain
from aims.orgs.context import Ctx
from aims.orgs.models import Organization

GENESIS = "0" * 64


def _digest(*, org_id: str, seq: int, at: str, actor_label: str, action: str, object_type: str,
            object_id: str, object_repr: str, changes: Any, prev_hash: str) -> str:
    payload = json.dumps(
        {
            "org": org_id, "seq": seq, "at": at, "actor": actor_label, "action": action,
            "type": object_type, "id": object_id, "repr": object_repr,
            "changes": changes, "prev": prev_hash,
        },
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(*, ctx: Ctx, action: str, obj: models.Model, changes: dict[str, Any]) -> Event:
    """Append one event to ctx.org's chain; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record() must run inside the service's transaction")
    # Lock the organisation row: appends to one chain are serialised, so seq has no gaps.
    org = Organization.objects.select_for_update().get(pk=ctx.org.pk)
    seq = org.log_head_seq + 1
    prev = org.log_head_hash or GENESIS
    at = timezone.now()
    changes = plain(changes)
    fields: dict[str, Any] = dict(
        org_id=str(org.pk), seq=seq, at=at.isoformat(), actor_label=ctx.actor_label,
        action=action, object_type=object_type_of(obj), object_id=str(obj.pk),
        object_repr=str(obj)[:300], changes=changes, prev_hash=prev,
    )
    digest = _digest(**fields)
    event = Event.objects.create(
        org=org, seq=seq, at=at, actor=ctx.user, actor_label=ctx.actor_label, action=action,
        object_type=fields["object_type"], object_id=fields["object_id"],
        object_repr=fields["object_repr"], changes=changes, prev_hash=prev, hash=digest,
    )
    Organization.objects.filter(pk=org.pk).update(log_head_seq=seq, log_head_hash=digest)
    ctx.org.log_head_seq, ctx.org.log_head_hash = seq, digest
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


@transaction.atomic
def log_verify(*, org: Organization) -> VerifyResult:
    """Re-walk the chain: any edited, removed or reordered event breaks it at that point.

    The organisation row is locked (as record() does) so no event is appended mid-walk:
    a busy log must not look tampered with."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    prev = GENESIS
    expected_seq = 1
    checked = 0
    events = Event.objects.filter(org=org).order_by("seq", "id")
    for ev in events.iterator(chunk_size=2000):
        if ev.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq,
                                f"event #{expected_seq} is missing (next found is #{ev.seq})")
        if ev.prev_hash != prev:
            return VerifyResult(False, checked, ev.seq,
                                f"event #{ev.seq} does not follow the event before it")
        digest = _digest(
            org_id=str(org.pk), seq=ev.seq, at=ev.at.isoformat(), actor_label=ev.actor_label,
            action=ev.action, object_type=ev.object_type, object_id=ev.object_id,
            object_repr=ev.object_repr, changes=ev.changes, prev_hash=ev.prev_hash,
        )
        if digest != ev.hash:
            return VerifyResult(False, checked, ev.seq, f"event #{ev.seq} was altered")
        prev = ev.hash
        expected_seq += 1
        checked += 1
    if checked != org.log_head_seq or (checked and prev != org.log_head_hash):
        return VerifyResult(False, checked, checked + 1 if checked < org.log_head_seq else checked,
                            f"the log ends at #{checked} but the organisation recorded "
                            f"#{org.log_head_seq} as its latest event")
    return VerifyResult(True, checked)
