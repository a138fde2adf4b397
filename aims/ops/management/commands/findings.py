import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.core.errors import DomainError
from aims.findings.sarif import MAX_BYTES, too_large
from aims.findings.services import scan_import
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = ("Security findings on AI systems: aims findings import --org SLUG --system ID FILE "
            "(a SARIF 2.1.0 report from any scanner)")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Import a SARIF 2.1.0 report as findings on one AI system: known "
                           "findings are updated, fixed ones reported again reopen, and the "
                           "tool's findings the report no longer holds are marked fixed.")
        imp.add_argument("--org", required=True, help="The organisation's slug.")
        imp.add_argument("--system", required=True, help="The AI system's id.")
        imp.add_argument("file", help="The SARIF file ('-' reads standard input).")

    def handle(self, *args, action, org, system, file, **opts):
        try:
            ctx = ctx_for_cli(org, actor_label="aims findings import")
            content = self._read(file)
            scan = scan_import(ctx=ctx, system_id=system, content=content,
                               file_name=Path(file).name if file != "-" else "")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{scan.ref} ({scan.tools}): {scan.results} result(s) read; "
                          f"{scan.new} new, {scan.reopened} reopened, {scan.fixed} marked "
                          "fixed.")

    def _read(self, file: str) -> bytes:
        if file == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No such file: {file}")
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(too_large(path.stat().st_size))
            data = path.read_bytes()
        return data
