from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.compliance.exports import soa_export
from aims.core.errors import DomainError
from aims.frameworks.exports import coverage_export
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = ("Exports: aims export soa --org SLUG --format csv|xlsx -o FILE; "
            "aims export coverage --org SLUG --framework F -o FILE (csv or xlsx from the "
            "file's extension)")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        soa = sub.add_parser("soa", help="The Statement of Applicability.")
        soa.add_argument("--org", required=True)
        soa.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        soa.add_argument("-o", "--output", required=True, help="File to write ('-' for stdout).")
        cov = sub.add_parser("coverage", help="Coverage of one framework by the ISO/IEC 42001 "
                                              "record.")
        cov.add_argument("--org", required=True)
        cov.add_argument("--framework", required=True,
                         help="eu-ai-act, nist-ai-rmf or iso27001.")
        cov.add_argument("--format", choices=["csv", "xlsx"], default=None,
                         help="Defaults to the output file's extension.")
        cov.add_argument("-o", "--output", required=True,
                         help="File to write (.csv or .xlsx; '-' for CSV on stdout).")

    def handle(self, *args, what, org, output, **opts):
        try:
            if what == "coverage":
                fmt = opts["format"] or ("csv" if output == "-" else Path(output).suffix[1:].lower())
                if fmt not in ("csv", "xlsx"):
                    raise CommandError(f"Cannot tell the format from {output!r}: name a .csv or "
                                       ".xlsx file, or pass --format.")
                content, _, _ = coverage_export(ctx=ctx_for_cli(org), code=opts["framework"],
                                                fmt=fmt)
            else:
                content, _, _ = soa_export(ctx=ctx_for_cli(org), fmt=opts["format"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if output == "-":
            self.stdout.buffer.write(content) if hasattr(self.stdout, "buffer") else \
                self.stdout.write(content.decode("utf-8-sig"))
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {output} ({len(content)} bytes)")
