"""The local state directory (`./var`, or AIMS_VAR_DIR): where it is, and preparing it.

Settings only read from it. The `aims` command and manage.py call `var_prepare()` before
Django starts, so importing settings never touches the filesystem.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    return Path(os.environ.get("AIMS_VAR_DIR", BASE_DIR / "var"))


def secret_key_path() -> Path:
    return var_dir() / "secret_key"


def var_prepare() -> None:
    """Create the state directory when something will live there (the SQLite database unless
    DATABASE_URL is set, the secret key unless AIMS_SECRET_KEY is set), and generate the
    secret key once. Safe to call any number of times, also from concurrent processes."""
    needs_key = not os.environ.get("AIMS_SECRET_KEY")
    if not needs_key and os.environ.get("DATABASE_URL"):
        return
    var_dir().mkdir(parents=True, exist_ok=True)
    if needs_key:
        _secret_key_create(secret_key_path())


def _secret_key_create(path: Path) -> None:
    # Written whole to a private temporary file (mkstemp: owner-only), then linked into place,
    # which fails if the key exists: a concurrent first run never sees a half-written key and
    # never replaces another's.
    if path.exists():
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
