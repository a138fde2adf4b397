"""Backup and restore as an operator runs them: real `aims` processes on real databases (SQLite
in a temporary var directory; PostgreSQL on the test cluster when DATABASE_URL points at one)."""

from __future__ import annotations

import io
import secrets
import tarfile
from pathlib import Path

import psycopg
import pytest

from aims.testing.sites import PG, Site, dropped, installed, pg_execute

# The canonical export of the whole instance — every organisation's records, users, the
# catalog — in primary-key order: equal bytes mean equal data.
CANONICAL = ["dumpdata", "--exclude", "contenttypes", "--exclude", "auth.permission",
             "--exclude", "sessions", "--exclude", "admin.logentry", "--indent", "1"]


def _canonical(site: Site) -> bytes:
    return site.aims(*CANONICAL).stdout.encode()


def _names(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return tar.getnames()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sites(request, tmp_path_factory):
    """make(name, kind) → an installation sharing the log keys (kept apart from the data):
    empty (kind None), or a copy of what `aims init` (kind "initialised") or `aims init` then
    `aims demo` (kind "demo") made (aims.testing.sites)."""
    if (request.param == "postgresql") != PG:
        pytest.skip("PostgreSQL runs only against the test cluster (make test-postgres)"
                    if request.param == "postgresql" else "SQLite variant: the SQLite run")
    base = tmp_path_factory.mktemp("backup")
    made: list[Site] = []

    def make(name: str, kind: str | None = None) -> Site:
        if kind:
            site = installed(tmp_path_factory, base / name, kind, keys=base / "keys")
        else:
            database = f"aims_backup_{name}_{secrets.token_hex(4)}" if PG else None
            if database:
                pg_execute(f'CREATE DATABASE "{database}"')
            site = Site(base / name, keys=base / "keys", database=database)
        made.append(site)
        return site

    yield make
    for site in made:
        dropped(site)


@pytest.fixture(scope="module")
def source(sites):
    """An installation with the demo organisation, checkpointed, and its backup."""
    site = sites("source", "demo")
    site.aims("log", "anchor", "--all")
    done = site.aims("backup", "-o", str(site.root / "aims.tar"))
    assert "stored file(s)" in done.stdout
    return site


def test_round_trip_into_an_empty_installation(sites, source):
    archive = source.root / "aims.tar"
    names = _names(archive)
    assert names[0] == "manifest.json" and any(n.startswith("media/evidence/") for n in names)

    target = sites("target")
    done = target.aims("restore", str(archive))
    assert "demo: activity log intact" in done.stdout
    assert "demo: evidence files intact" in done.stdout
    verify = target.aims("log", "verify", "--all").stdout
    assert "Activity log of demo is intact" in verify and "holds the checkpoint" in verify
    assert "are intact" in target.aims("evidence", "verify", "--org", "demo").stdout
    assert _canonical(target) == _canonical(source)
    soa = ["export", "soa", "--org", "demo", "--format", "csv", "-o", "-"]
    assert target.aims(*soa).stdout == source.aims(*soa).stdout


def test_non_empty_installation_is_refused_unless_forced(sites, source):
    before = _canonical(source)
    done = source.aims("restore", str(source.root / "aims.tar"), ok=False)
    assert done.returncode != 0
    assert "not empty" in done.stderr and "--force" in done.stderr
    assert _canonical(source) == before

    target = sites("forced", "initialised")
    target.aims("user", "create", "someone@example.org", "--password", "a-long-password-2026")
    assert target.aims("restore", str(source.root / "aims.tar"), ok=False).returncode != 0
    target.aims("restore", "--force", str(source.root / "aims.tar"))
    assert _canonical(target) == before
    assert "someone@example.org" not in _canonical(target).decode()


def _tampered(archive: Path, out: Path, member: str) -> Path:
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for m in src.getmembers():
            member_file = src.extractfile(m)
            assert member_file is not None
            data = member_file.read()
            if m.name == member:
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(m, io.BytesIO(data))
    return out


def test_damaged_archive_is_refused_before_anything_is_touched(sites, source):
    archive = source.root / "aims.tar"
    names = _names(archive)
    evidence = next(n for n in names if n.startswith("media/"))
    target = sites("damaged")
    for member in [next(n for n in names if n.startswith("database.")), evidence]:
        bad = _tampered(archive, target.root / "bad.tar", member)
        done = target.aims("restore", str(bad), ok=False)
        assert done.returncode != 0
        assert f"{member} does not match the SHA-256" in done.stderr
        assert "Nothing was restored" in done.stderr
    assert not (target.root / "var" / "media").exists()
    if "DATABASE_URL" in target.env:
        with psycopg.connect(target.env["DATABASE_URL"]) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert tables.fetchone()[0] == 0
    else:
        db = target.root / "var" / "aims.sqlite3"
        assert not db.exists() or db.stat().st_size == 0


def test_dumpdata_loaddata_into_a_fresh_database_keeps_the_log_valid(sites, source):
    dump = source.root / "dump.json"
    source.aims(*CANONICAL, "-o", str(dump))
    fresh = sites("loaded")
    fresh.aims("migrate", "--verbosity", "0")
    fresh.aims("loaddata", str(dump))
    verify = fresh.aims("log", "verify", "--all")
    assert "Activity log of demo is intact" in verify.stdout, verify.stderr
