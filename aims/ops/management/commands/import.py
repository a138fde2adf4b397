"""aims import KIND --org SLUG FILE [--dry-run] [--as EMAIL] [--json] [--digest D]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.accounts.services import user_get_by_email
from aims.core.errors import DomainError
from aims.exchange.imports.engine import ImportRejected
from aims.exchange.imports.kinds import KINDS
from aims.exchange.imports.reading import MAX_BYTES
from aims.exchange.imports.services import import_direct
from aims.orgs.context import ctx_for_cli, ctx_for_user


class Command(BaseCommand):
    help = ("Import a register from a CSV or XLSX file with the columns of its export: all "
            "rows or none. --dry-run prints what would be created and changed and writes "
            "nothing. Exits 1 with the report when a row is refused.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS),
                            help="soa, inventory, parties, issues, suppliers or training.")
        parser.add_argument("file", help="The CSV (UTF-8) or XLSX file.")
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check every row and print the diff; write nothing.")
        parser.add_argument("--as", dest="as_email", default="",
                            help="Import as this member (their role applies and the activity "
                                 "log names them); by default as the operator (cli).")
        parser.add_argument("--digest", default="",
                            help="Import only if the diff is still the one a dry run printed "
                                 "with this digest.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, kind, file, org, dry_run, as_email, digest, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB; split "
                               "it.")
        try:
            if as_email:
                user = user_get_by_email(email=as_email)
                ctx = ctx_for_user(user, org)
            else:
                ctx = ctx_for_cli(org)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

        def progress(done: int, total: int, message: str) -> None:
            self.stderr.write(f"{message}")
            self.stderr.flush()

        try:
            report = import_direct(ctx=ctx, kind=kind, data=path.read_bytes(),
                                   file_name=path.name, dry_run=dry_run,
                                   expected_digest=digest, progress=progress)
        except ImportRejected as exc:
            self.stdout.write(json.dumps(exc.report.as_dict(), indent=1, ensure_ascii=False)
                              if opts["json"] else exc.report.text())
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(report.as_dict(), indent=1, ensure_ascii=False)
                          if opts["json"] else report.text())
        if dry_run:
            self.stdout.write(f"Digest: {report.digest} (pass it as --digest to import exactly "
                              "this diff)")
