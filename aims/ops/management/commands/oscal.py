from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aims.core.errors import DomainError
from aims.orgs.context import ctx_for_cli
from aims.oscal.catalog_import import catalog_import
from aims.oscal.services import profile_import


class Command(BaseCommand):
    help = ("OSCAL in: aims oscal import-profile --org SLUG FILE [--dry-run] sets Statement of "
            "Applicability decisions from an OSCAL 1.1.3 profile; aims oscal import-catalog "
            "--org SLUG FILE [--profile FILE] [--dry-run] brings a catalog in as a framework "
            "of the organisation's own (all or nothing). Exports: aims export oscal.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        prof = sub.add_parser("import-profile", help="SoA decisions from an OSCAL profile.")
        prof.add_argument("--org", required=True)
        prof.add_argument("file", help="The OSCAL profile (JSON).")
        prof.add_argument("--dry-run", action="store_true",
                          help="Report what would change; write nothing.")
        cat = sub.add_parser("import-catalog",
                             help="A framework of the organisation's own from an OSCAL catalog.")
        cat.add_argument("--org", required=True)
        cat.add_argument("file", help="The OSCAL catalog (JSON).")
        cat.add_argument("--profile", default="",
                         help="An OSCAL profile selecting the controls to bring in (JSON).")
        cat.add_argument("--dry-run", action="store_true",
                         help="Report what would be created, changed and retired; write "
                              "nothing.")

    def handle(self, *args, what, org, file, dry_run, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if what == "import-catalog":
            return self._catalog(org, path, opts["profile"], dry_run)
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

    def _catalog(self, org: str, path: Path, profile: str, dry_run: bool) -> None:
        prof = Path(profile) if profile else None
        if prof is not None and not prof.is_file():
            raise CommandError(f"{profile}: no such file.")
        try:
            report = catalog_import(
                ctx=ctx_for_cli(org, actor_label="aims oscal import-catalog"),
                content=path.read_bytes(), profile=prof.read_bytes() if prof else None,
                dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for ref, what in report.problems:
            self.stdout.write(f"{ref}: {what}" if ref else what)
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems in the file; an import would "
                               "write nothing.")
        for e in report.entries:
            if report.updating and e.action == "unchanged":
                continue
            kind = "control" if e.is_control else "section"
            self.stdout.write(f"{e.action}: {kind} {e.ref}{f' ({e.label})' if e.label else ''} "
                              f"{e.title}")
        for ref, title in report.retired:
            self.stdout.write(f"retired: control {ref} {title}")
        for note in report.notes:
            self.stdout.write(note)
        summary = (f"{report.title} version {report.version} as {report.code}: "
                   f"{len(report.groups)} sections, {len(report.controls)} controls "
                   f"({report.count('new')} new, {report.count('changed')} changed, "
                   f"{len(report.retired)} retired)")
        self.stderr.write(("Dry run, nothing written: " if dry_run else "Imported: ") + summary)
