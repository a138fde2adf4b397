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


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from config.var import var_prepare

    var_prepare()  # the settings only read ./var: create it and the secret key first
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    execute_from_command_line(["aims", *args])


if __name__ == "__main__":
    main()
