"""`aims serve` in production refuses to start on settings meant for a laptop."""

import os
import subprocess
import sys

import pytest


def _serve(tmp_path, **env):
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("AIMS_") and k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "aims.cli", "serve", "--port", "1"],
        env={**base, "AIMS_VAR_DIR": str(tmp_path), **env},
        capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("env", "missing"), [
    ({}, ["AIMS_SECRET_KEY", "AIMS_ALLOWED_HOSTS"]),
    ({"AIMS_SECRET_KEY": "k" * 50}, ["AIMS_ALLOWED_HOSTS"]),
    ({"AIMS_ALLOWED_HOSTS": "aims.example.org"}, ["AIMS_SECRET_KEY"]),
])
def test_production_serve_refuses_to_start_naming_what_is_missing(tmp_path, env, missing):
    done = _serve(tmp_path, AIMS_ENV="production", **env)
    assert done.returncode != 0
    for name in missing:
        assert name in done.stderr
    for name in {"AIMS_SECRET_KEY", "AIMS_ALLOWED_HOSTS"} - set(missing):
        assert name not in done.stderr
    assert "production" in done.stderr
    assert not (tmp_path / "static").exists()  # refused before doing anything


def test_a_short_secret_key_is_refused_in_production(tmp_path):
    done = _serve(tmp_path, AIMS_ENV="production", AIMS_SECRET_KEY="short",
                  AIMS_ALLOWED_HOSTS="aims.example.org")
    assert done.returncode != 0 and "AIMS_SECRET_KEY" in done.stderr


def test_outside_production_or_with_both_set_nothing_stops_the_start():
    from aims.ops.management.commands.serve import production_problems

    assert production_problems({"AIMS_SECRET_KEY": "k" * 50,
                                "AIMS_ALLOWED_HOSTS": "aims.example.org"}) == []
