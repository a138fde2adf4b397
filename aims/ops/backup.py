"""Backup and restore of a whole installation: one archive, checked before anything is touched.

The archive is a tar file holding `manifest.json` (format, versions, the applied migrations,
the SHA-256 and size of every other member), a consistent snapshot of the database (SQLite's
online backup API, or `pg_dump --format=custom` on PostgreSQL) and the stored files (evidence
and document files, the storage directory) under `media/`. The log keys and checkpoints are
not in it: they belong apart from the data (README: the activity log).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "aims-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA = "media/"
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupError("Stored files are not on local disk (AIMS_STORAGE_BACKEND): back up "
                          "the object storage with its own tools; aims backs up local files.")
    return Path(settings.MEDIA_ROOT)


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: AIMS_PG_BIN, else PATH, else the newest /usr/lib/postgresql."""
    if env := os.environ.get("AIMS_PG_BIN"):
        return str(Path(env) / name)
    if found := shutil.which(name):
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)])
    if versions:
        return str(versions[-1])
    raise BackupError(f"{name} was not found: install PostgreSQL's client tools or set "
                      "AIMS_PG_BIN to the directory holding them.")


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()}")


def _snapshot(engine: str, dest: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            # The online backup API copies a consistent state while others keep writing.
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        args, env = _pg_args()
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(dest), *args], env, "pg_dump")


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list(
            "app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    size: int


def backup_write(output: Path) -> BackupResult:
    """Write the archive to `output` (through a temporary file beside it, renamed at the end)."""
    engine = _engine()
    media_root = _media_root()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".aims-backup-") as tmp:
        db_member = SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER
        db_file = Path(tmp) / db_member
        _snapshot(engine, db_file)
        # Files after the database: stored files are content-addressed and never rewritten, so
        # every file the snapshot names is already on disk.
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) \
            if media_root.exists() else []
        members = {db_member: db_file}
        members.update({MEDIA + p.relative_to(media_root).as_posix(): p for p in media})
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": {"aims": _aims_version(), "django": django.get_version(),
                         "database": f"{engine} {_driver_name()}"},
            "database": {"engine": engine, "member": db_member},
            "migrations": _migrations(),
            "files": {name: {"sha256": _sha256(p), "size": p.stat().st_size}
                      for name, p in members.items()},
        }
        part = Path(tmp) / "archive.tar"
        with tarfile.open(part, "w") as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.datetime.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            for name, p in members.items():
                tar.add(p, arcname=name, recursive=False)
        os.chmod(part, 0o600)
        os.replace(part, output)
    return BackupResult(output, len(members) - 1, output.stat().st_size)


def _driver_name() -> str:
    """The DB-API module the connection uses (sqlite3, psycopg)."""
    return getattr(connection, "Database").__name__  # noqa: B009 (not in the stubs)


def _aims_version() -> str:
    try:
        return version("aims")
    except PackageNotFoundError:
        return "unknown"


def backup_check(archive: Path, into: Path) -> dict:
    """Unpack `archive` into `into` and check all of it against its manifest — safe names,
    nothing missing, nothing extra, every size and SHA-256 — before anything is restored."""
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not an aims backup: {exc}") from None
    with tar:
        names = set()
        for m in tar.getmembers():
            if not m.isfile():
                raise BackupError(f"{archive}: {m.name!r} is not a regular file.")
            names.add(m.name)
        try:
            tar.extractall(into, filter="data")  # refuses absolute paths, .. and links
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{archive} could not be unpacked: {exc}") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{archive} has no readable {MANIFEST}: not an aims backup.") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{archive} is not an aims backup of format {FORMAT_VERSION}.")
    files = manifest["files"]
    if extra := names - set(files) - {MANIFEST}:
        raise BackupError(f"{archive} holds files its manifest does not list: "
                          f"{', '.join(sorted(extra))}.")
    if missing := set(files) - names:
        raise BackupError(f"{archive} lacks files its manifest lists: "
                          f"{', '.join(sorted(missing))}.")
    for name, meta in sorted(files.items()):
        p = into / name
        if p.stat().st_size != meta["size"] or _sha256(p) != meta["sha256"]:
            raise BackupError(f"{archive}: {name} does not match the SHA-256 in its manifest; "
                              "the archive is damaged or was altered. Nothing was restored.")
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(f"The backup is of a {manifest['database']['engine']} database; this "
                          f"installation uses {engine}. Restore into the same kind of database.")
    return manifest


def migrations_unknown(manifest: dict) -> list[str]:
    """Migrations the backup has applied that this version of aims does not know."""
    known = {(app, name) for app, name in MigrationLoader(None, ignore_no_migrations=True)
             .disk_migrations}
    latest_known: dict[str, str] = {}
    for app, name in known:
        latest_known[app] = max(latest_known.get(app, ""), name)
    return sorted(f"{app}.{name}" for app, name in manifest["migrations"].items()
                  if (app, name) not in known and name > latest_known.get(app, ""))


@dataclass(frozen=True)
class Contents:
    organisations: int
    users: int
    files: int

    @property
    def empty(self) -> bool:
        return not (self.organisations or self.users or self.files)


def installation_contents() -> Contents:
    """What this installation holds (a database without tables holds nothing)."""
    tables = set(connection.introspection.table_names())
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    org_model = apps.get_model("orgs", "Organization")
    orgs = org_model.objects.count() if org_model._meta.db_table in tables else 0
    users = user_model.objects.count() if user_model._meta.db_table in tables else 0
    root = _media_root()
    files = sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0
    return Contents(orgs, users, files)


def restore_apply(unpacked: Path, manifest: dict, *, replace_files: bool) -> int:
    """Replace the database with the snapshot and put the stored files in place; returns the
    number of files restored. The archive has been checked (backup_check) before this runs."""
    snapshot = unpacked / manifest["database"]["member"]
    connection.close()
    if manifest["database"]["engine"] == "sqlite":
        source = sqlite3.connect(snapshot)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            source.backup(target)  # page by page, inside one write transaction of the target
        finally:
            source.close()
            target.close()
    else:
        args, env = _pg_args()
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *args, str(snapshot)], env,
             "pg_restore")
    root = _media_root()
    if replace_files and root.exists():
        for child in root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    count = 0
    for name in manifest["files"]:
        if name.startswith(MEDIA):
            dest = root / name.removeprefix(MEDIA)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(unpacked / name, dest)
            count += 1
    return count
