from django.core.management.base import BaseCommand, CommandError

from aims.accounts.services import token_create, token_list, token_revoke, user_get_by_email
from aims.core.errors import DomainError


class Command(BaseCommand):
    help = "Manage API tokens: aims token create|list|revoke --user EMAIL"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token alone on stdout.")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="")
        create.add_argument("--expires-days", type=int, default=None,
                            help="Stop working after this many days (default: never).")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("token_id")

    def handle(self, *args, action, **opts):
        try:
            user = user_get_by_email(email=opts["user"])
            if action == "create":
                _, raw = token_create(user=user, name=opts["name"] or "CLI token",
                                      expires_in_days=opts["expires_days"])
                self.stdout.write(raw)
            elif action == "list":
                for t in token_list(user=user):
                    state = ("active" if t.is_active else
                             f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "expired")
                    self.stdout.write(f"{t.pk}  {t.prefix}…  {t.name}  {state}")
            else:
                t = token_revoke(user=user, token_id=opts["token_id"])
                self.stdout.write(f"Revoked {t.name}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except Exception as exc:  # a malformed uuid reaches here from the ORM
            if action == "revoke":
                raise CommandError(f"Token not found: {opts['token_id']}") from exc
            raise
