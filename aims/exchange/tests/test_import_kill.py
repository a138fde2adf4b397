"""A CLI import killed with SIGKILL in the middle writes nothing: a real `aims` process on a
real SQLite database, killed while it is writing rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

PG = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
COUNT = ("from aims.inventory.models import AISystem; from aims.exchange.models import "
         "ImportRun; from aims.activity.models import Event; from aims.orgs.models import "
         "Organization as O; o = O.objects.get(slug='acme'); "
         "print(AISystem.objects.for_org(o).count(), ImportRun.objects.for_org(o).count(), "
         "Event.objects.filter(org=o).count())")


@pytest.mark.skipif(PG, reason="the SQLite installation of one process; PostgreSQL rolls "
                               "back an interrupted transaction the same way")
def test_kill_9_in_the_middle_of_a_cli_import_leaves_nothing_written(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIMS_")
           and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(AIMS_VAR_DIR=str(tmp_path / "var"), AIMS_LOG_KEY_FILE=str(tmp_path / "keys"),
               AIMS_LOG_ANCHOR_KEY_FILE=str(tmp_path / "anchor.pem"),
               AIMS_LOG_ANCHOR_FILE=str(tmp_path / "anchors.jsonl"), PYTHONUNBUFFERED="1")

    def aims(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "aims.cli", *args], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"aims {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    aims("init")
    aims("user", "create", "lead@example.org", "--password", "a-long-password-2026")
    aims("org", "create", "acme", "--name", "Acme", "--owner", "lead@example.org")
    before = aims("shell", "-c", COUNT).split()
    rows = "".join(f"System {i:05d},Scores claims batch {i},Design,Deployer\n"
                   for i in range(3000))
    (tmp_path / "inventory.csv").write_text(
        f"Name,Intended purpose,Lifecycle stage,Roles\n{rows}")

    proc = subprocess.Popen([sys.executable, "-m", "aims.cli", "import", "inventory",
                             "--org", "acme", str(tmp_path / "inventory.csv")],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    seen = ""
    for line in proc.stderr:  # progress: "N of 3000 rows checked." while rows are written
        seen += line
        if "rows checked" in line and not line.startswith(("200 of", "3000 of")):
            break
    assert "rows checked" in seen, seen
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    assert aims("shell", "-c", COUNT).split() == before  # no system, no import, no event
    assert "intact" in aims("log", "verify", "--org", "acme")
