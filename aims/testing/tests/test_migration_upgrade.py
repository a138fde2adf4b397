"""Installations made before the migrations were squashed keep working: the scripted check of
aims.testing.migration_upgrade, run as an operator would, on this leg's database engine (SQLite
in a temporary folder; on the PostgreSQL leg, two databases beside the test database)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_a_database_migrated_before_the_squash_upgrades_with_nothing_to_do():
    # The installation's own settings, not the test run's.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-m", "aims.testing.migration_upgrade"], env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3. a fresh database built with the squashes has the same" in done.stdout
