"""The `aims` console command: Django's management commands under one name.

    aims init | demo | serve | user create | org create | token create | log verify|anchor|seal
         | export soa | backup | restore
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from config.var import var_prepare

    var_prepare()  # the settings only read ./var: create it and the secret key first
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aims", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
