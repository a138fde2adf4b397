"""Checking an audit pack offline: every file re-hashed against the pack's manifest."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from aims.exchange.pack import FORMAT, MANIFEST

CHUNK = 1024 * 1024


class PackUnreadable(Exception):
    """The file is not an audit pack that can be checked at all (not a ZIP, no manifest)."""


@dataclass
class PackCheck:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added)


def _hash(zf: zipfile.ZipFile, name: str) -> tuple[str, int] | None:
    """(SHA-256, size) of one member, or None when its bytes cannot be read back (a member
    edited inside the ZIP fails its own CRC check)."""
    digest, size = hashlib.sha256(), 0
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return None
    return digest.hexdigest(), size


def pack_verify(path: str | Path) -> PackCheck:
    """Re-hash every file of the pack at `path` against its manifest: name the files whose
    bytes changed, those the manifest lists but the pack lacks, and those added to it."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackUnreadable(f"{path} is not a readable ZIP file ({exc}).") from exc
    with zf:
        try:
            manifest = json.loads(zf.read(MANIFEST))
        except KeyError:
            raise PackUnreadable(f"{path} has no {MANIFEST}: it is not an audit pack, or its "
                                 "manifest was removed.") from None
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            raise PackUnreadable(f"{MANIFEST} in {path} cannot be read ({exc}).") from exc
        files = manifest.get("files") if isinstance(manifest, dict) else None
        if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
                or not isinstance(files, list)
                or not all(isinstance(f, dict) and isinstance(f.get("path"), str)
                           and isinstance(f.get("sha256"), str) for f in files)):
            raise PackUnreadable(f"{MANIFEST} in {path} is not the manifest of an audit pack.")
        members = {i.filename for i in zf.infolist() if not i.is_dir()}
        check = PackCheck()
        listed = set()
        for f in files:
            name = f["path"]
            listed.add(name)
            if name not in members:
                check.missing.append(name)
                continue
            check.checked += 1
            found = _hash(zf, name)
            if found is None or found != (f["sha256"], f.get("size", found[1])):
                check.changed.append(name)
        check.added = sorted(members - listed - {MANIFEST})
    return check
