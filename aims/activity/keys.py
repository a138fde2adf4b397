"""The keys that seal the activity log: held outside the database, rotated by key id.

An event's digest is an HMAC-SHA-256 under one of these keys, so someone who can write to the
database but does not hold the keys cannot forge, edit or re-chain events. The ring comes from
AIMS_LOG_KEYS (`id:secret,id:secret…`) when set, else from the key file (AIMS_LOG_KEY_FILE,
by default `log_keys` in the var directory: one `id secret` per line). The last key is the
current one: new events are sealed with it; older ones stay to verify the events sealed with
them. `aims init` creates the file (owner-only) when there is neither.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MIN_SECRET = 32


class LogKeyError(ImproperlyConfigured):
    """The log keys are missing or malformed; the message says what to do."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]
    current: str

    def seal(self, key_id: str, payload: bytes) -> str:
        return hmac.new(self.keys[key_id], payload, hashlib.sha256).hexdigest()


def _parse(pairs: list[tuple[str, str]], where: str) -> Keyring:
    keys: dict[str, bytes] = {}
    for key_id, secret in pairs:
        if not KEY_ID.match(key_id):
            raise LogKeyError(f"{where}: key id {key_id!r} must be 1–32 letters, digits, - or _.")
        if len(secret) < MIN_SECRET:
            raise LogKeyError(f"{where}: key {key_id!r} is shorter than {MIN_SECRET} characters.")
        if key_id in keys:
            raise LogKeyError(f"{where}: key id {key_id!r} appears twice.")
        keys[key_id] = secret.encode()
    if not keys:
        raise LogKeyError(f"{where} holds no key.")
    return Keyring(keys, pairs[-1][0])


def key_file() -> Path:
    return Path(settings.AIMS_LOG_KEY_FILE)


_cache: dict[tuple, Keyring] = {}


def keyring() -> Keyring:
    """The configured keys (cached until the variable or the file changes)."""
    if env := settings.AIMS_LOG_KEYS:
        items = [item.strip().split(":", 1) for item in env.split(",") if item.strip()]
        if any(len(p) != 2 for p in items):
            raise LogKeyError("AIMS_LOG_KEYS must read id:secret[,id:secret…].")
        return _parse([(p[0], p[1]) for p in items], "AIMS_LOG_KEYS")
    path = key_file()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise LogKeyError(
            f"No activity-log key: set AIMS_LOG_KEYS, or run `aims init` once to create "
            f"{path}.") from None
    if (cached := _cache.get((path, stamp))) is not None:
        return cached
    pairs = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            parts = line.split()
            if len(parts) != 2:
                raise LogKeyError(f"{path}: each line must read `id secret`.")
            pairs.append((parts[0], parts[1]))
    ring = _parse(pairs, str(path))
    _cache.clear()
    _cache[(path, stamp)] = ring
    return ring


def write_private(path: Path, text: str, *, replace: bool = False) -> bool:
    """Write `text` to an owner-only file, whole or not at all; False if it exists (and not
    `replace`). A concurrent first run never sees half a key and never replaces another's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not replace:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _new_key_line() -> tuple[str, str]:
    key_id = "k" + datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return key_id, f"{key_id} {secrets.token_urlsafe(48)}\n"


def key_file_create() -> Path | None:
    """Create the key file with one key unless AIMS_LOG_KEYS is set or the file exists."""
    if settings.AIMS_LOG_KEYS:
        return None
    path = key_file()
    _, line = _new_key_line()
    header = ("# aims activity-log keys: `id secret` per line; the last one seals new events.\n"
              "# Keep a copy apart from the database backups; never remove a key whose events\n"
              "# have not been re-sealed (aims log seal).\n")
    return path if write_private(path, header + line) else None


def key_rotate() -> str:
    """Append a new current key to the key file; the earlier keys keep verifying."""
    if settings.AIMS_LOG_KEYS:
        raise LogKeyError("The keys come from AIMS_LOG_KEYS: add the new key at its end there.")
    path = key_file()
    text = path.read_text() if path.exists() else ""
    key_id, line = _new_key_line()
    if any(old.split()[:1] == [key_id] for old in text.splitlines()):
        raise LogKeyError(f"A key {key_id} exists already; try again in a second.")
    write_private(path, text + ("" if not text or text.endswith("\n") else "\n") + line,
                  replace=True)
    return key_id
