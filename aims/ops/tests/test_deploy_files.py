"""The Dockerfile, compose.yaml and the proxy's configuration say what the README's production
layout says, and name only settings, commands and files that exist.

Docker itself is not run by the test suite (no daemon on a CI machine); these checks read the
files the way Docker would use them, and the container's health probe is run for real against
a live server.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from aims.ops.healthcheck import probe_host

ROOT = Path(settings.BASE_DIR)
# Where settings are read from the environment: the settings, the var directory, `aims serve`.
SETTINGS_SOURCES = [ROOT / "config" / "settings" / "base.py", ROOT / "config" / "var.py",
                    ROOT / "aims" / "ops" / "management" / "commands" / "serve.py"]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    return [(m.group(1).upper(), m.group(2).strip()) for m in
            re.finditer(r"^\s*([A-Za-z]+)\s+(.*)$", text, re.M) if not m.group(0).lstrip().startswith("#")]


def test_compose_runs_the_production_layout():
    services = _compose()["services"]
    assert {"db", "init", "app", "worker", "proxy"} <= set(services)
    app, worker, init = services["app"], services["worker"], services["init"]
    assert app["deploy"]["replicas"] == 2
    assert app["command"] == ["serve", "--no-worker"]
    assert worker["command"] == ["worker"] and init["command"] == ["init"]
    # Nothing starts on a schema that is not there yet; the schema waits for the database.
    for svc in (app, worker):
        assert svc["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert init["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["db"]["image"].startswith("postgres:")
    # MinIO is there for whoever asks for it (a profile), not started by default.
    assert services["minio"]["profiles"] == ["minio"]
    # Every aims container shares the stored files and the log's checkpoint key.
    for svc in (app, worker, init):
        mounts = {v.split(":")[1] for v in svc["volumes"]}
        assert mounts == {"/var/lib/aims-media", "/var/lib/aims-keys"}
        assert svc["environment"]["AIMS_MEDIA_ROOT"] == "/var/lib/aims-media"
        assert svc["environment"]["DATABASE_URL"].startswith("postgres://aims:")


def test_every_command_compose_runs_is_an_aims_command():
    commands = get_commands()
    for name, svc in _compose()["services"].items():
        if svc.get("image", "").startswith("aims"):
            assert svc["command"][0] in commands, name


def test_every_setting_compose_sets_is_read_by_aims_and_documented():
    read = "".join(p.read_text() for p in SETTINGS_SOURCES)
    readme = (ROOT / "README.md").read_text()
    env = _compose()["services"]["app"]["environment"]
    names = [n for n in env if n.startswith("AIMS_") or n == "DATABASE_URL"]
    assert len(names) > 20
    for name in names:
        assert f'"{name}"' in read, f"{name} is set by compose.yaml but read nowhere"
        assert name in readme, f"{name} is set by compose.yaml but not in the README"
    # The values given leave a production start nothing to refuse.
    from aims.ops.management.commands.serve import production_problems

    assert production_problems({"AIMS_SECRET_KEY": "k" * 50,
                                "AIMS_ALLOWED_HOSTS": "localhost,127.0.0.1"}) == []


def test_the_proxy_spreads_requests_over_the_app_servers():
    proxy = _compose()["services"]["proxy"]
    [conf] = [v.split(":")[0] for v in proxy["volumes"]]
    text = (ROOT / conf).read_text()
    assert re.search(r"upstream \w+ \{\s*server app:8000", text)
    assert "X-Forwarded-For" in text and "X-Forwarded-Proto" in text


def test_the_dockerfile_installs_the_lock_and_runs_an_app_server_as_nobody_special():
    steps = _dockerfile()
    froms = [a for i, a in steps if i == "FROM"]
    assert froms[-1].startswith("python:3.11-slim")  # Debian slim, the Python the lock is for
    runs = " ".join(a for i, a in steps if i == "RUN")
    assert "npm ci" in runs
    assert "pip install --no-deps --require-hashes -r requirements.lock" in runs
    assert "pip check" in runs
    [user] = [a for i, a in steps if i == "USER"]
    assert user not in ("root", "0")
    for instruction, args in steps:
        if instruction == "COPY" and "--from=" not in args:
            *sources, _dest = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    [entry] = [a for i, a in steps if i == "ENTRYPOINT"]
    [cmd] = [a for i, a in steps if i == "CMD"]
    assert yaml.safe_load(entry) == ["python", "-m", "aims.cli"]
    assert yaml.safe_load(cmd) == ["serve", "--no-worker"]
    assert importlib.util.find_spec("aims.cli") is not None
    [health] = [a for i, a in steps if i == "HEALTHCHECK"]
    probe = yaml.safe_load(health.split("CMD", 1)[1].strip())
    assert probe[:2] == ["python", "-m"] and importlib.util.find_spec(probe[2]) is not None
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", "var"} <= set(ignored)


@pytest.mark.parametrize(("allowed", "host"), [
    ("", "localhost"), ("*", "localhost"), ("aims.example.org,localhost", "aims.example.org"),
    (".example.org", "aims.example.org"), (" , *, 10.0.0.5", "10.0.0.5")])
def test_the_health_probe_names_a_host_the_server_accepts(allowed, host):
    assert probe_host(allowed) == host


def _probe(port: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIMS_PORT": str(port), "AIMS_ALLOWED_HOSTS": "testserver,localhost"}
    return subprocess.run([sys.executable, "-m", "aims.ops.healthcheck"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_health_probe_passes_on_a_live_server_and_fails_without_one(live_server,
                                                                         unused_port):
    assert _probe(int(live_server.url.rsplit(":", 1)[1])).returncode == 0
    down = _probe(unused_port)
    assert down.returncode == 1 and "healthcheck:" in down.stderr
