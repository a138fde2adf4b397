"""The `aims` console command: Django's management commands under one name.

    aims init | demo | serve | user create | org create | token create | log verify|anchor|seal
         | classify --org SLUG --system ID --answers FILE.json
         | export soa|coverage|oscal|audit-pack | oscal import-profile|import-catalog | verify-pack | backup | restore
"""

from __future__ import annotations

import os
import sys

# Commands spelt with a hyphen on the command line (a Python module name cannot hold one).
ALIASES = {"verify-pack": "verify_pack"}
# Django runs its system checks before a command. They load every page and API schema (about
# three seconds), so they run where they can catch a broken installation or configuration:
# setting up or upgrading (`aims init`), serving (`aims serve`) and asking (`aims check`). The
# other commands, which operators and scripts run often, skip them.
CHECKED = {"init", "serve", "check"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from config.var import var_prepare

    var_prepare()  # the settings only read ./var: create it and the secret key first
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    execute_from_command_line(["aims", *_checks_skipped(args)])


def _checks_skipped(args: list[str]) -> list[str]:
    """`args` with --skip-checks added for a command that would run the system checks and is
    not one of CHECKED (placed after the command's name, before any subcommand of its own)."""
    if not args or args[0] in CHECKED or "--skip-checks" in args:
        return args
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    app = get_commands().get(args[0])
    if app is None or not load_command_class(app, args[0]).requires_system_checks:
        return args
    return [args[0], "--skip-checks", *args[1:]]


if __name__ == "__main__":
    main()
