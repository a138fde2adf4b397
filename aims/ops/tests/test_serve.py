"""`aims serve` in production refuses to start on settings meant for a laptop."""

import os
import subprocess
import sys
import time

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


def test_static_files_are_collected_again_only_when_a_source_changed(tmp_path, settings):
    from aims.ops.management.commands.serve import STATIC_STAMP, static_collect

    source = tmp_path / "src"
    source.mkdir()
    (source / "app.css").write_text("body { color: black }")
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    assert static_collect() is True
    assert (tmp_path / "static" / "app.css").read_text() == "body { color: black }"
    assert static_collect() is False  # nothing changed: the start skips the work

    (source / "app.css").write_text("body { color: navy }")
    later = time.time() + 10  # collectstatic copies what is newer by whole seconds
    os.utime(source / "app.css", (later, later))
    assert static_collect() is True
    assert (tmp_path / "static" / "app.css").read_text() == "body { color: navy }"
    (source / "print.css").write_text("@page { margin: 1cm }")
    assert static_collect() is True and (tmp_path / "static" / "print.css").is_file()

    # A collection that stopped half-way (no stamp) is done again.
    (tmp_path / "static" / STATIC_STAMP).unlink()
    assert static_collect() is True
