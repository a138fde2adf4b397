from django.core.management.base import BaseCommand, CommandError

from aims.accounts.services import user_get_by_email
from aims.core.errors import DomainError
from aims.members.services import org_create


class Command(BaseCommand):
    help = "Manage organisations: aims org create SLUG --name NAME --owner EMAIL"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation (one AIMS).")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--owner", required=True, help="E-mail of an existing user.")

    def handle(self, *args, action, slug, name, owner, **opts):
        try:
            user = user_get_by_email(email=owner)
            org = org_create(slug=slug, name=name, owner=user, actor_label="cli")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created organisation {org.slug} ({org.name}) owned by {user.email}")
