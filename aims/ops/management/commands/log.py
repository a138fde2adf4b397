from django.core.management.base import BaseCommand, CommandError

from aims.activity.services import log_verify
from aims.core.errors import DomainError
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = "The activity log: aims log verify --org SLUG"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Re-check the hash chain; exit 1 if broken.")
        verify.add_argument("--org", required=True)

    def handle(self, *args, action, org, **opts):
        try:
            ctx = ctx_for_cli(org)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        result = log_verify(org=ctx.org)
        if not result.ok:
            raise CommandError(
                f"Activity log of {org} is broken at event #{result.first_bad_seq}: "
                f"{result.problem} ({result.checked} events before it are intact)."
            )
        self.stdout.write(f"Activity log of {org} is intact: {result.checked} events verified.")
