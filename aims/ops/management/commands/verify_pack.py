"""aims verify-pack FILE.zip

Re-hashes every file of an audit pack against its manifest. Exits 0 when all match, 1 naming
each file changed, missing or added, 2 when the file is not an audit pack that can be read.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from aims.exchange.verify import PackUnreadable, pack_verify


class Command(BaseCommand):
    help = ("Check an audit pack offline: re-hash every file against manifest.json; exit 0 "
            "when all match, 1 when a file was changed, removed or added, 2 when unreadable.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The audit pack (.zip).")

    def handle(self, *args, file, **options):
        try:
            check = pack_verify(file)
        except PackUnreadable as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        for label, names in (("changed", check.changed), ("missing", check.missing),
                             ("added", check.added)):
            for name in names:
                self.stdout.write(f"{label}: {name}")
        if not check.ok:
            self.stderr.write(f"The pack does not match its manifest: {len(check.changed)} "
                              f"changed, {len(check.missing)} missing, {len(check.added)} "
                              f"added ({check.checked} checked).")
            sys.exit(1)
        self.stdout.write(f"OK: all {check.checked} files match the manifest.")
