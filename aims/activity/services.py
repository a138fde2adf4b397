"""The activity log's only writer, its verifier, its sealer and its checkpoints.

Each event carries a seal: an HMAC-SHA-256, under a key the database does not hold
(aims.activity.keys), of a canonical form of every field that matters — organisation, sequence
number, time, actor (id and label), action, object, changes, the previous seal and the key id.
The seals chain the events; the organisation row holds the head; checkpoints signed outside
the database (aims.activity.anchors) pin the head, so a shortened or wiped log is caught too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from aims.activity.anchors import (
    Anchor,
    AnchorError,
    anchor_append,
    anchor_check_signature,
    anchor_latest,
    anchor_sign,
)
from aims.activity.keys import Keyring, LogKeyError, keyring
from aims.activity.models import Event
from aims.core.errors import DomainError
from aims.core.fields import plain
from aims.orgs.context import Ctx
from aims.orgs.models import Organization

GENESIS = "0" * 64


def canonical_at(at: datetime.datetime) -> str:
    """The time as sealed: UTC to the millisecond, the precision Django's serialisers keep, so
    a dumpdata → loaddata round trip (or a backup) leaves every seal valid."""
    at = at.astimezone(datetime.UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _payload(ev: Event) -> bytes:
    return json.dumps(
        {
            "org": str(ev.org_id), "seq": ev.seq, "at": canonical_at(ev.at),
            "actor_id": ev.actor_ref, "actor": ev.actor_label, "action": ev.action,
            "type": ev.object_type, "id": ev.object_id, "repr": ev.object_repr,
            "changes": ev.changes, "prev": ev.prev_hash, "key": ev.key_id,
        },
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).encode()


def seal_of(ev: Event, ring: Keyring) -> str:
    """The seal `ev` must carry under its key id."""
    return ring.seal(ev.key_id, _payload(ev))


def legacy_digest(ev: Event) -> str:
    """The unkeyed SHA-256 of events written before keyed sealing (only `aims log seal` and
    `aims init` read it, to re-seal an intact legacy chain)."""
    payload = json.dumps(
        {
            "org": str(ev.org_id), "seq": ev.seq, "at": ev.at.isoformat(),
            "actor": ev.actor_label, "action": ev.action, "type": ev.object_type,
            "id": ev.object_id, "repr": ev.object_repr, "changes": ev.changes,
            "prev": ev.prev_hash,
        },
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def record(*, ctx: Ctx, action: str, obj: models.Model, changes: dict[str, Any]) -> Event:
    """Append one sealed event to ctx.org's chain; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record() must run inside the service's transaction")
    ring = keyring()  # before any write: without a key nothing can be logged, so nothing is
    # Lock the organisation row: appends to one chain are serialised, so seq has no gaps.
    org = Organization.objects.select_for_update().get(pk=ctx.org.pk)
    now = timezone.now()
    user = ctx.user
    event = Event(
        org=org, seq=org.log_head_seq + 1, at=now.replace(microsecond=now.microsecond // 1000 * 1000),
        actor=user, actor_ref=str(user.pk) if user is not None else "",
        actor_label=ctx.actor_label, action=action, object_type=object_type_of(obj),
        object_id=str(obj.pk), object_repr=str(obj)[:300], changes=plain(changes),
        prev_hash=org.log_head_hash or GENESIS, key_id=ring.current,
    )
    event.hash = seal_of(event, ring)
    event.save(force_insert=True)
    Organization.objects.filter(pk=org.pk).update(log_head_seq=event.seq, log_head_hash=event.hash)
    ctx.org.log_head_seq, ctx.org.log_head_hash = event.seq, event.hash
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    # The latest checkpoint: "none" (never anchored), "ok" (the log still holds it), "failed".
    checkpoint: str = "none"
    checkpoint_at: str = ""
    checkpoint_seq: int | None = None
    # The seal of the last event verified (the head the walk covered); empty for an empty log.
    head: str = ""


def _event_problem(ev: Event, ring: Keyring) -> str:
    """Why `ev` does not carry a valid seal, or ''."""
    if not ev.key_id:
        return (f"event #{ev.seq} is not sealed with a log key (written before keyed sealing): "
                "run `aims log seal`")
    if ev.key_id not in ring.keys:
        return (f"event #{ev.seq} is sealed with key {ev.key_id!r}, which this installation "
                "does not hold")
    if ev.actor_id is not None and str(ev.actor_id) != ev.actor_ref:
        return f"event #{ev.seq} names another actor than the one it was sealed with"
    if seal_of(ev, ring) != ev.hash:
        return (f"event #{ev.seq} was altered, or sealed without the log key (its seal does not "
                f"match under key {ev.key_id!r})")
    return ""


def _checkpoint(org: Organization) -> Anchor | None:
    anchor = anchor_latest(str(org.pk))
    if anchor is not None:
        anchor_check_signature(anchor)
    return anchor


VERIFY_PAGE = 2000  # events read at a time: memory stays flat whatever the log's length


def log_verify(*, org: Organization) -> VerifyResult:
    """Re-walk the chain with the keys and hold it against the latest checkpoint: an edited,
    removed, inserted or reordered event, a forged seal, a shortened or wiped log all fail,
    naming the first event at fault and the check it failed.

    The walk covers the log up to the head the organisation has committed when it starts,
    page by page, each page a short read of its own: it takes no lock and holds no
    transaction, so writers (in this organisation and every other) carry on meanwhile, and
    events appended during the walk are left to the next verification. A busy log never
    looks tampered with: the head read first names committed events only."""
    org = Organization.objects.get(pk=org.pk)
    head_seq, head_hash = org.log_head_seq, org.log_head_hash
    try:
        ring = keyring()
        anchor = _checkpoint(org)
    except (LogKeyError, AnchorError) as exc:
        return VerifyResult(False, 0, 1, str(exc), checkpoint="failed")
    cp: dict[str, Any] = {"checkpoint": "ok" if anchor else "none",
          "checkpoint_at": anchor.at if anchor else "",
          "checkpoint_seq": anchor.seq if anchor else None}

    def broken(checked: int, seq: int, problem: str, **extra) -> VerifyResult:
        return VerifyResult(False, checked, seq, problem, **{**cp, **extra})

    prev = GENESIS
    expected_seq = 1
    at_checkpoint = ""
    events = Event.objects.filter(org=org).order_by("seq")
    while True:
        page = list(events.filter(seq__gte=expected_seq, seq__lte=max(head_seq, 0))
                    [:VERIFY_PAGE])
        for ev in page:
            checked = expected_seq - 1
            if ev.seq != expected_seq:
                return broken(checked, expected_seq,
                              f"event #{expected_seq} is missing (next found is #{ev.seq})")
            if ev.prev_hash != prev:
                return broken(checked, ev.seq,
                              f"event #{ev.seq} does not follow the event before it")
            if problem := _event_problem(ev, ring):
                return broken(checked, ev.seq, problem)
            if anchor and ev.seq == anchor.seq:
                at_checkpoint = ev.hash
            prev = ev.hash
            expected_seq += 1
        if len(page) < VERIFY_PAGE:
            break
    checked = expected_seq - 1
    if checked != head_seq or (checked and prev != head_hash):
        return broken(checked, checked + 1 if checked < head_seq else checked,
                      f"the log ends at #{checked} but the organisation recorded "
                      f"#{head_seq} as its latest event")
    # Events past the head: appended since the walk began if the head has moved on (the next
    # verification covers them), else put there behind the organisation's back.
    if events.filter(seq__gt=head_seq).exists() and Organization.objects.filter(
            pk=org.pk, log_head_seq=head_seq).exists():
        return broken(checked, checked + 1,
                      f"events follow #{head_seq}, which the organisation recorded as its "
                      "latest event")
    if anchor:
        if checked < anchor.seq:
            return broken(checked, checked + 1,
                          f"the log ends at #{checked} but the checkpoint of {anchor.at} saw "
                          f"#{anchor.seq}: events were removed from its end",
                          checkpoint="failed")
        if at_checkpoint != anchor.head:
            return broken(anchor.seq - 1, anchor.seq,
                          f"event #{anchor.seq} is not the one the checkpoint of {anchor.at} "
                          "signed: the log was rewritten", checkpoint="failed")
    return VerifyResult(True, checked, head=prev if checked else "", **cp)


@dataclass(frozen=True)
class SealResult:
    resealed: int
    key_id: str
    anchor: Anchor | None


@transaction.atomic
def log_seal(*, org: Organization, actor_label: str = "aims log seal") -> SealResult:
    """Re-seal an intact chain under the current key (events written before keyed sealing, or
    under a key about to be retired), record that it was done, and take a checkpoint.

    Refused when the chain does not verify under the scheme each event was written with:
    sealing must never bless tampering."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    ring = keyring()
    events = list(Event.objects.filter(org=org).order_by("seq", "id"))
    prev = GENESIS
    for n, ev in enumerate(events, start=1):
        if ev.seq != n or ev.prev_hash != prev:
            raise DomainError(f"The activity log of {org.slug} is broken at event #{n}; "
                              "it was not re-sealed.")
        valid = (legacy_digest(ev) == ev.hash if not ev.key_id
                 else not _event_problem(ev, ring))
        if not valid:
            raise DomainError(f"The activity log of {org.slug} is broken at event #{n}; "
                              "it was not re-sealed.")
        prev = ev.hash
    if len(events) != org.log_head_seq or (events and prev != org.log_head_hash):
        raise DomainError(f"The activity log of {org.slug} does not end where the organisation "
                          "recorded its latest event; it was not re-sealed.")
    old_head = org.log_head_hash
    prev = GENESIS
    for ev in events:
        ev.key_id = ring.current
        if not ev.actor_ref and ev.actor_id is not None:
            ev.actor_ref = str(ev.actor_id)
        ev.prev_hash = prev
        ev.hash = seal_of(ev, ring)
        prev = ev.hash
    Event.objects.bulk_update(events, ["key_id", "actor_ref", "prev_hash", "hash"],
                              batch_size=1000)
    Organization.objects.filter(pk=org.pk).update(log_head_hash=prev)
    org.log_head_hash = prev
    ctx = Ctx(org=org, user=None, role="owner", actor_label=actor_label)
    record(ctx=ctx, action="update", obj=org, changes={"activity_log_seal": {
        "before": f"{len(events)} events, head {old_head or GENESIS}",
        "after": f"re-sealed under key {ring.current}"}})
    return SealResult(len(events), ring.current, _anchor_take(org))


def _anchor_take(org: Organization) -> Anchor | None:
    """Checkpoint org's current head if a checkpoint key is configured."""
    try:
        return log_anchor(org=org)
    except LogKeyError:
        return None


def log_anchor(*, org: Organization) -> Anchor:
    """Sign org's head as the verification found it and append it to the anchor file. Refused
    when the log does not verify: a checkpoint must never pin a tampered log. No lock is held:
    the checkpoint names the event verified last, whatever was appended meanwhile."""
    result = log_verify(org=org)
    if not result.ok:
        raise DomainError(f"The activity log of {org.slug} is broken at event "
                          f"#{result.first_bad_seq}: {result.problem}. No checkpoint was taken.")
    anchor = anchor_sign(org_id=str(org.pk), org=org.slug, events=result.checked,
                         seq=result.checked, head=result.head or GENESIS,
                         at=timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"))
    anchor_append(anchor)
    return anchor


def anchor_email(anchor: Anchor) -> list[str]:
    """E-mail the checkpoint to AIMS_LOG_ANCHOR_EMAIL (if set); returns the recipients.
    A copy in someone's mailbox is a witness the anchor file's host cannot rewrite."""
    to = list(settings.AIMS_LOG_ANCHOR_EMAIL)
    if to:
        send_mail(
            f"aims activity-log checkpoint: {anchor.org} #{anchor.seq}",
            f"The activity log of organisation {anchor.org} had {anchor.events} events at "
            f"{anchor.at}; its head seal was {anchor.head}. Keep this message: "
            f"`aims log verify` compares the log with checkpoints like this one.\n\n"
            f"{anchor.to_line()}",
            None, to)
    return to
