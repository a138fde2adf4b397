"""Importing settings touches no file; the `aims` command prepares the var directory first."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.var import secret_key_path, var_prepare

ROOT = Path(__file__).resolve().parent.parent.parent
MODULES = ["config.settings.base", "config.settings.local", "config.settings.production",
           "config.settings.test"]


def _import(tmp_path: Path, modules: list[str], **env: str) -> subprocess.CompletedProcess:
    """Import `modules` in a fresh interpreter whose var directory and TMPDIR are under
    tmp_path, and whose environment has no aims configuration but `env`."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("AIMS_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    clean.update(AIMS_VAR_DIR=str(tmp_path / "var"), TMPDIR=str(scratch), PYTHONPATH=str(ROOT),
                 PYTHONDONTWRITEBYTECODE="1", **env)
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    return subprocess.run([sys.executable, "-c", code, *modules], cwd=tmp_path, env=clean,
                          capture_output=True, text=True, timeout=60)


def _created(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if p != tmp_path / "tmp"]


def test_importing_settings_creates_nothing(tmp_path):
    done = _import(tmp_path, MODULES, AIMS_SECRET_KEY="from-the-environment")
    assert done.returncode == 0, done.stderr
    assert _created(tmp_path) == []


def test_test_settings_need_no_key(tmp_path):
    done = _import(tmp_path, ["config.settings.test"])
    assert done.returncode == 0, done.stderr
    assert _created(tmp_path) == []


@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.local"])
def test_missing_key_is_a_clear_error(tmp_path, module):
    done = _import(tmp_path, [module])
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "AIMS_SECRET_KEY" in done.stderr and "aims init" in done.stderr
    assert _created(tmp_path) == []


def test_var_prepare_generates_a_private_key_once(tmp_path, monkeypatch):
    monkeypatch.setenv("AIMS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("AIMS_SECRET_KEY", raising=False)
    var_prepare()
    key = secret_key_path().read_text()
    assert len(key) >= 50
    assert stat.S_IMODE(secret_key_path().stat().st_mode) == 0o600
    var_prepare()
    assert secret_key_path().read_text() == key
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == ["secret_key"]

    done = _import(tmp_path, ["config.settings.production"])
    assert done.returncode == 0, done.stderr


def test_var_prepare_leaves_no_trace_when_everything_is_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("AIMS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("AIMS_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://aims@db.invalid/aims")
    var_prepare()
    assert not (tmp_path / "var").exists()
