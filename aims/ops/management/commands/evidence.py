from django.core.management.base import BaseCommand, CommandError

from aims.core.errors import DomainError
from aims.evidence.selectors import files_verify
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = "Evidence files: aims evidence verify --org SLUG"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Re-hash every stored file of the organisation; one line per missing "
                           "or altered file; exit 1 if any.")
        verify.add_argument("--org", required=True)

    def handle(self, *args, action, org, **opts):
        try:
            ctx = ctx_for_cli(org)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        result = files_verify(ctx=ctx)
        for p in result.problems:
            users = ", ".join(p.used_by) or "no record"
            self.stdout.write(f"{p.problem.upper()}: sha256:{p.sha256} ({p.size} bytes, "
                              f"{p.path}) used by {users}")
        if not result.ok:
            missing = sum(p.problem == "missing" for p in result.problems)
            raise CommandError(
                f"Evidence files of {org}: {len(result.problems)} of {result.checked} bad "
                f"({missing} missing, {len(result.problems) - missing} altered).")
        self.stdout.write(f"Evidence files of {org} are intact: {result.checked} files verified.")
