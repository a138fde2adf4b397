"""Checkpoints of the activity log: a signed head kept where the database cannot reach it.

A checkpoint is one JSON line — organisation, event count, last sequence number, head digest,
time — signed with an Ed25519 key (AIMS_LOG_ANCHOR_KEY_FILE) and appended to the anchor file
(AIMS_LOG_ANCHOR_FILE); it can also be e-mailed (AIMS_LOG_ANCHOR_EMAIL). Verification compares
the log with the latest checkpoint of its organisation, so removing the tail of the log (and
rewinding the head stored on the organisation), wiping it, or rewriting it is caught.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from aims.activity.keys import LogKeyError, write_private

VERSION = 1


class AnchorError(Exception):
    """A checkpoint could not be read or does not verify; the message says which and why."""


@dataclass(frozen=True)
class Anchor:
    org_id: str
    org: str
    events: int
    seq: int
    head: str
    at: str
    key: str
    sig: str = ""
    line: int = 0  # where it was read from (1-based), not part of the record

    def payload(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k not in ("sig", "line")}
        return json.dumps({"v": VERSION, **body}, sort_keys=True,
                          separators=(",", ":")).encode()

    def to_line(self) -> str:
        body = {k: v for k, v in asdict(self).items() if k != "line"}
        return json.dumps({"v": VERSION, **body}, sort_keys=True, separators=(",", ":")) + "\n"


def anchor_file() -> Path:
    return Path(settings.AIMS_LOG_ANCHOR_FILE)


def anchor_key_file() -> Path:
    return Path(settings.AIMS_LOG_ANCHOR_KEY_FILE)


def anchor_key_create() -> Path | None:
    """Create the Ed25519 signing key (owner-only PEM) unless it exists."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    path = anchor_key_file()
    return path if write_private(path, pem.decode()) else None


def _private_key() -> Ed25519PrivateKey:
    path = anchor_key_file()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise LogKeyError(f"No checkpoint signing key: run `aims init` once to create {path}, "
                          "or set AIMS_LOG_ANCHOR_KEY_FILE.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LogKeyError(f"{path} is not an Ed25519 private key.")
    return key


def public_key_pem() -> str:
    return _private_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_fingerprint(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def anchor_sign(*, org_id: str, org: str, events: int, seq: int, head: str, at: str) -> Anchor:
    key = _private_key()
    unsigned = Anchor(org_id=org_id, org=org, events=events, seq=seq, head=head, at=at,
                      key=key_fingerprint(key))
    sig = base64.b64encode(key.sign(unsigned.payload())).decode()
    return Anchor(**{**asdict(unsigned), "sig": sig})


def anchor_append(anchor: Anchor) -> Path:
    """Append one line to the anchor file, locked against concurrent writers, and sync it."""
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, anchor.to_line().encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def anchors_read() -> dict[str, Anchor]:
    """The latest checkpoint of each organisation id in the anchor file (none if no file).

    A line that is not a checkpoint is an error: the file is only ever appended to by aims."""
    latest: dict[str, Anchor] = {}
    try:
        f = anchor_file().open(encoding="utf-8")
    except FileNotFoundError:
        return latest
    with f:
        for n, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                data.pop("v")
                anchor = Anchor(**data, line=n)
            except (ValueError, TypeError, KeyError) as exc:
                raise AnchorError(f"line {n} of the anchor file {anchor_file()} is not a "
                                  "checkpoint") from exc
            latest[anchor.org_id] = anchor
    return latest


def anchor_latest(org_id: str) -> Anchor | None:
    return anchors_read().get(org_id)


def anchor_check_signature(anchor: Anchor) -> None:
    """Raise AnchorError unless this installation's anchor key signed `anchor`."""
    key = _private_key()
    where = f"the checkpoint of {anchor.at} (line {anchor.line} of {anchor_file()})"
    if anchor.key != key_fingerprint(key):
        raise AnchorError(f"{where} was signed by key {anchor.key}, not by this installation's "
                          f"checkpoint key {key_fingerprint(key)}")
    try:
        key.public_key().verify(base64.b64decode(anchor.sig), anchor.payload())
    except (InvalidSignature, ValueError):
        raise AnchorError(f"the signature of {where} does not verify") from None
