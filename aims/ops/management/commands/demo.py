from django.core.management.base import BaseCommand

from aims.demo.build import DEFAULT_PASSWORD, demo_create
from aims.ops.management.commands.serve import sign_in_url


class Command(BaseCommand):
    help = "Create the demo organisation 'demo' and one user per role (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"Password of every demo user (default: {DEFAULT_PASSWORD}).")
        parser.add_argument("--url", default=None,
                            help="The address to print for signing in (default: $AIMS_BASE_URL, "
                                 "else the address `aims serve` uses: $AIMS_HOST and $AIMS_PORT, "
                                 "127.0.0.1:8000 when unset).")

    def handle(self, *args, password, url=None, **options):
        result = demo_create(password=password)
        state = "Created" if result.created else "Already present:"
        self.stdout.write(f"{state} organisation '{result.org.slug}' ({result.org.name}).")
        self.stdout.write(f"Sign in at {url or sign_in_url()} with any of these (password "
                          f"{password!r}):")
        for role, email in result.users.items():
            self.stdout.write(f"  {role:<8} {email}")
