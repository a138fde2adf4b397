import argparse
import datetime
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.compliance.exports import soa_export
from aims.core.errors import DomainError
from aims.exchange.pack import audit_pack_write, period_of
from aims.frameworks.exports import coverage_export
from aims.orgs.context import ctx_for_cli
from aims.oscal.exports import MODELS, oscal_export


class Command(BaseCommand):
    help = ("Exports: aims export soa --org SLUG --format csv|xlsx -o FILE; "
            "aims export coverage --org SLUG --framework F -o FILE (csv or xlsx from the "
            "file's extension); "
            "aims export oscal --org SLUG --model M -o FILE (OSCAL 1.1.3 JSON); "
            "aims export audit-pack --org SLUG --from DATE --to DATE -o FILE.zip")

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
        pack = sub.add_parser("audit-pack", help="Everything an auditor asks for about a "
                                                 "period, in one ZIP with a manifest of hashes.")
        pack.add_argument("--org", required=True)
        pack.add_argument("--from", dest="start", type=_day, default=None,
                          help="First day of the period (YYYY-MM-DD; default a year before "
                               "--to).")
        pack.add_argument("--to", dest="end", type=_day, default=None,
                          help="Last day of the period (YYYY-MM-DD; default today).")
        pack.add_argument("-o", "--output", required=True, help="The ZIP file to write.")

        osc = sub.add_parser("oscal", help="The AIMS as an OSCAL 1.1.3 JSON document.")
        osc.add_argument("--org", required=True)
        osc.add_argument("--model", required=True, choices=MODELS,
                         help="catalog (ISO/IEC 42001), profile (the SoA), ssp (AI systems and "
                              "implemented requirements), assessment-plan and "
                              "assessment-results (internal audits), poam (open actions).")
        osc.add_argument("-o", "--output", required=True, help="File to write ('-' for stdout).")

    def handle(self, *args, what, org, output, **opts):
        if what == "audit-pack":
            return self._pack(org, output, opts["start"], opts["end"])
        try:
            if what == "oscal":
                content, _, _ = oscal_export(ctx=ctx_for_cli(org), model=opts["model"])
            elif what == "coverage":
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

    def _pack(self, org: str, output: str, start, end) -> None:
        # Written beside the target and renamed once complete: a failed run leaves no
        # half-written pack behind.
        part = Path(f"{output}.part")
        try:
            ctx = ctx_for_cli(org)
            period = period_of(start, end)
            with part.open("wb") as fh:
                summary = audit_pack_write(ctx=ctx, period=period, out=fh)
            os.replace(part, output)
        except DomainError as exc:
            part.unlink(missing_ok=True)
            raise CommandError(exc.message) from exc
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        size = Path(output).stat().st_size
        self.stderr.write(f"Wrote {output} ({size} bytes, {len(summary.entries)} files, "
                          f"period {period})")
        if not summary.log["ok"]:
            self.stderr.write(f"Warning: the activity log did not verify: "
                              f"{summary.log['problem']}")
        for problem in summary.problems:
            self.stderr.write(f"Warning: {problem}")


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give the date as YYYY-MM-DD, not {value!r}") from None
