"""Which `aims` commands run Django's system checks: those that set up, serve or ask for them;
the others skip them (they load every page and API schema, about three seconds a command)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aims.cli import _checks_skipped


@pytest.mark.parametrize("args", [["init"], ["serve", "--port", "8001"], ["check", "--deploy"]])
def test_setting_up_serving_and_checking_run_the_checks(args):
    assert _checks_skipped(args) == args


@pytest.mark.parametrize("args,expected", [
    (["log", "verify", "--all"], ["log", "--skip-checks", "verify", "--all"]),
    (["export", "soa", "--org", "demo"], ["export", "--skip-checks", "soa", "--org", "demo"]),
    (["dumpdata", "--indent", "1"], ["dumpdata", "--skip-checks", "--indent", "1"]),
])
def test_other_commands_skip_them(args, expected):
    assert _checks_skipped(args) == expected


@pytest.mark.parametrize("args", [[], ["no-such-command"], ["help"], ["log", "--skip-checks"],
                                  ["shell", "-c", "print(1)"]])
def test_what_is_not_a_checked_command_is_left_alone(args):
    assert _checks_skipped(args) == args


def test_a_command_that_skips_them_still_runs(tmp_path):
    done = subprocess.run([sys.executable, "-m", "aims.cli", "log", "verify", "--help"],
                          env={"PATH": "/usr/bin:/bin", "AIMS_VAR_DIR": str(tmp_path / "var")},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--all" in done.stdout
