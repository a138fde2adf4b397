from django.core.management.base import BaseCommand

from aims.demo.build import DEFAULT_PASSWORD, demo_create


class Command(BaseCommand):
    help = "Create the demo organisation 'demo' and one user per role (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"Password of every demo user (default: {DEFAULT_PASSWORD}).")

    def handle(self, *args, password, **options):
        result = demo_create(password=password)
        state = "Created" if result.created else "Already present:"
        self.stdout.write(f"{state} organisation '{result.org.slug}' ({result.org.name}).")
        self.stdout.write("Sign in at http://127.0.0.1:8000/ with any of these (password "
                          f"{password!r}):")
        for role, email in result.users.items():
            self.stdout.write(f"  {role:<8} {email}")
