"""Installations for the tests that run aims as an operator does: real `aims` processes on a
folder of their own (its `var/` directory and, beside it, the activity log's keys).

Setting an installation up (`aims init`: every migration, then the catalog; `aims demo`) is
most of what such a test costs, and it is the same work each time. So it is done once per test
run, by whichever test process asks first (the others wait on a lock), into a cached folder;
each test then gets a copy of it. The copy is the installation `aims init` made, byte for byte
(on PostgreSQL the database is cloned from a template), so nothing the tests check about it
changes — and the commands themselves still run for real in the building.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, overload

import pytest

PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
DEMO_PASSWORD = "a-long-demo-password-2026"


class Site:
    """One installation: `root/var` and the log's keys in `root/keys` (apart from the data, as
    an operator keeps them); on PostgreSQL, its own database."""

    def __init__(self, root: Path, *, keys: Path | None = None, database: str | None = None,
                 **env: str) -> None:
        self.root = root
        self.keys = keys or root / "keys"
        self.database = database
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AIMS_")
                    and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        self.env.update(AIMS_VAR_DIR=str(root / "var"),
                        AIMS_LOG_KEY_FILE=str(self.keys / "log_keys"),
                        AIMS_LOG_ANCHOR_KEY_FILE=str(self.keys / "anchor.pem"),
                        AIMS_LOG_ANCHOR_FILE=str(self.keys / "anchors.jsonl"),
                        PYTHONUNBUFFERED="1", **env)
        if database:
            self.env["DATABASE_URL"] = database_url(database)
        root.mkdir(parents=True, exist_ok=True)

    @property
    def var(self) -> Path:
        return self.root / "var"

    def aims(self, *args: str, ok: bool = True, timeout: float = 1800
             ) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "aims.cli", *args], env=self.env,
                              cwd=self.root, capture_output=True, text=True, timeout=timeout)
        if ok:
            assert done.returncode == 0, f"aims {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done

    def popen(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "aims.cli", *args], env=self.env,
                                cwd=self.root, **kwargs)


S = TypeVar("S", bound=Site)


def database_url(name: str) -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"


def pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_root(factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this test run shares (xdist workers have one each below it)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


# What each cached installation holds, built on the one before it.
STEPS: dict[str, tuple[str | None, list[list[str]]]] = {
    "initialised": (None, [["init"]]),
    "demo": ("initialised", [["demo", "--password", DEMO_PASSWORD]]),
}


def _cached(factory: pytest.TempPathFactory, kind: str) -> Site:
    """The cached installation `kind`, built by the first process of the run that asks."""
    root = _run_root(factory) / "aims-installations"
    cache = root / kind
    with _locked(root / f"{kind}.lock"):
        if not (cache / ".built").exists():
            base, steps = STEPS[kind]
            shutil.rmtree(cache, ignore_errors=True)
            site = (_copy(_cached(factory, base), cache, f"tpl_{kind}") if base
                    else Site(cache, database=_new_database(f"tpl_{kind}")))
            for step in steps:
                site.aims(*step)
            (cache / ".built").write_text(site.database or "")
    database = (cache / ".built").read_text() or None
    return Site(cache, database=database)


def _new_database(label: str) -> str | None:
    if not PG:
        return None
    name = f"aims_{label}_{secrets.token_hex(4)}"
    pg_execute(f'CREATE DATABASE "{name}"')
    return name


def _copy(source: Site, root: Path, label: str, *, keys: Path | None = None) -> Site:
    database = None
    if source.database:
        database = f"aims_{label}_{secrets.token_hex(4)}"
        pg_execute(f'CREATE DATABASE "{database}" TEMPLATE "{source.database}"')
    shutil.copytree(source.var, root / "var")
    keys = keys or root / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for key in source.keys.iterdir():  # shared keys already there (and their anchors) stay
        if not (keys / key.name).exists():
            shutil.copy2(key, keys / key.name)
    return Site(root, keys=keys, database=database)


@overload
def installed(factory: pytest.TempPathFactory, root: Path, kind: str = ..., *,
              keys: Path | None = ..., **env: str) -> Site: ...
@overload
def installed(factory: pytest.TempPathFactory, root: Path, kind: str = ..., *,
              keys: Path | None = ..., cls: type[S], **env: str) -> S: ...
def installed(factory: pytest.TempPathFactory, root: Path, kind: str = "initialised", *,
              keys: Path | None = None, cls: Any = Site, **env: str) -> Site:
    """A copy, at `root`, of the installation `aims init` (kind "initialised") or `aims init`
    then `aims demo` (kind "demo") made, as a `cls`. `keys`: where its log keys go (default
    root/keys); `env`: settings for its commands. On PostgreSQL, `dropped(site)` drops its
    database."""
    copy = _copy(_cached(factory, kind), root, root.name, keys=keys)
    return cls(root, keys=copy.keys, database=copy.database, **env)


def dropped(site: Site) -> None:
    if site.database:
        pg_execute(f'DROP DATABASE IF EXISTS "{site.database}" WITH (FORCE)')
