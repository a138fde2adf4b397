import getpass

from django.core.management.base import BaseCommand, CommandError

from aims.accounts.services import user_create
from aims.core.errors import ValidationError


class Command(BaseCommand):
    help = "Manage users: aims user create EMAIL [--password P] [--name NAME] [--staff]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user who signs in with EMAIL.")
        create.add_argument("email")
        create.add_argument("--password", help="Prompted for when omitted and interactive.")
        create.add_argument("--name", default="")
        create.add_argument("--staff", action="store_true",
                            help="May use the operators' admin site.")

    def handle(self, *args, action, **opts):
        password = opts.get("password")
        if password is None and self.stdin_is_tty():
            password = getpass.getpass("Password: ")
        try:
            user = user_create(email=opts["email"], password=password, full_name=opts["name"])
        except ValidationError as exc:
            raise CommandError(exc.message) from exc
        if opts["staff"]:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(f"Created user {user.email}"
                          + ("" if password else " (no password: cannot sign in yet)"))

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin is not None and sys.stdin.isatty()
