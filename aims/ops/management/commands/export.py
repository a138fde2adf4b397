from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.compliance.exports import soa_export
from aims.core.errors import DomainError
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = "Exports: aims export soa --org SLUG --format csv|xlsx -o FILE"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        soa = sub.add_parser("soa", help="The Statement of Applicability.")
        soa.add_argument("--org", required=True)
        soa.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        soa.add_argument("-o", "--output", required=True, help="File to write ('-' for stdout).")

    def handle(self, *args, what, org, format, output, **opts):
        try:
            content, _, _ = soa_export(ctx=ctx_for_cli(org), fmt=format)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if output == "-":
            self.stdout.buffer.write(content) if hasattr(self.stdout, "buffer") else \
                self.stdout.write(content.decode("utf-8-sig"))
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {output} ({len(content)} bytes)")
