from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.core.errors import DomainError
from aims.orgs.context import ctx_for_cli
from aims.oscal.services import profile_import


class Command(BaseCommand):
    help = ("OSCAL in: aims oscal import-profile --org SLUG FILE [--dry-run] sets Statement of "
            "Applicability decisions from an OSCAL 1.1.3 profile (all or nothing). Exports: "
            "aims export oscal.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        prof = sub.add_parser("import-profile", help="SoA decisions from an OSCAL profile.")
        prof.add_argument("--org", required=True)
        prof.add_argument("file", help="The OSCAL profile (JSON).")
        prof.add_argument("--dry-run", action="store_true",
                          help="Report what would change; write nothing.")

    def handle(self, *args, what, org, file, dry_run, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            report = profile_import(ctx=ctx_for_cli(org, actor_label="aims oscal import-profile"),
                                    content=path.read_bytes(), dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for d in report.changes:
            was = {True: "applicable", False: "excluded", None: "not decided"}
            line = (f"{d.ref}: {was[d.before['applicable']]} → {was[d.after['applicable']]}"
                    + (f" ({d.after['inclusion_reason']})" if d.after["inclusion_reason"] else ""))
            self.stdout.write(line + (f"  REFUSED: {d.problem}" if d.problem else ""))
        for note in report.notes:
            self.stdout.write(note)
        summary = (f"{len(report.decisions)} controls selected, {len(report.changes)} changed, "
                   f"{report.untouched} not named")
        if report.problems:
            raise CommandError(f"Dry run: {len(report.problems)} decisions refused; an import "
                               f"would write nothing. {summary}.")
        self.stderr.write(("Dry run, nothing written: " if dry_run else "Imported: ") + summary)
