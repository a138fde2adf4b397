from django.core.management.base import BaseCommand, CommandError

from aims.accounts.services import token_create, token_list, token_revoke, user_get_by_email
from aims.core.errors import DomainError
from aims.integrations.selectors import integration_token_list
from aims.integrations.services import integration_token_create, integration_token_revoke
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = ("Manage API tokens: aims token create|list|revoke --user EMAIL; integration tokens "
            "(push evidence only): aims token create-integration|list-integration|"
            "revoke-integration --org SLUG")

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
        icreate = sub.add_parser(
            "create-integration",
            help="Print a new integration token alone on stdout: it can only push evidence "
                 "into the organisation (aims evidence push), optionally only onto the named "
                 "controls and AI systems.")
        icreate.add_argument("--org", required=True, help="The organisation's slug.")
        icreate.add_argument("--name", required=True,
                             help="What will hold it: the pipeline, repository or tool.")
        icreate.add_argument("--expires-days", type=int, default=None,
                             help="Stop working after this many days (default: never).")
        icreate.add_argument("--control", action="append", default=[],
                             help="Only this control (a ref such as A.6.2.4); repeatable.")
        icreate.add_argument("--system", action="append", default=[],
                             help="Only this AI system (its id or exact name); repeatable.")
        ilist = sub.add_parser("list-integration", help="List the organisation's integration "
                                                        "tokens.")
        ilist.add_argument("--org", required=True)
        irevoke = sub.add_parser("revoke-integration",
                                 help="Revoke an integration token by its id.")
        irevoke.add_argument("--org", required=True)
        irevoke.add_argument("token_id")

    def handle(self, *args, action, **opts):
        if action.endswith("-integration"):
            return self._integration(action, opts)
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

    def _integration(self, action: str, opts) -> None:
        try:
            ctx = ctx_for_cli(opts["org"], actor_label=f"aims token {action}")
            if action == "create-integration":
                _, raw = integration_token_create(
                    ctx=ctx, name=opts["name"], expires_in_days=opts["expires_days"],
                    controls=opts["control"], systems=opts["system"])
                self.stdout.write(raw)
            elif action == "list-integration":
                for t in integration_token_list(ctx=ctx):
                    limits = ", ".join([*t.controls, *t.systems]) or "any control or AI system"
                    used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at \
                        else "never used"
                    self.stdout.write(f"{t.pk}  {t.prefix}…  {t.name}  {t.state}  {used}  "
                                      f"limited to: {limits}")
            else:
                t = integration_token_revoke(ctx=ctx, token_id=opts["token_id"])
                self.stdout.write(f"Revoked {t.name}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
