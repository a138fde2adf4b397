from django.core.management.base import BaseCommand, CommandError

from aims.activity.anchors import AnchorError, anchors_read, public_key_pem
from aims.activity.keys import LogKeyError, key_rotate
from aims.activity.services import anchor_email, log_anchor, log_seal, log_verify
from aims.core.errors import DomainError
from aims.orgs.context import ctx_for_cli
from aims.orgs.models import Organization


class Command(BaseCommand):
    help = ("The activity log: aims log verify|anchor|seal (--org SLUG | --all), "
            "aims log rotate-key, aims log public-key")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in [
            ("verify", "Re-check every seal, the chain and the latest checkpoint; exit 1 "
                       "naming the first event at fault and the check it failed."),
            ("anchor", "Sign the current head of the log and append it to the anchor file "
                       "(and e-mail it to AIMS_LOG_ANCHOR_EMAIL); refused on a broken log."),
            ("seal", "Re-seal an intact log under the current key (events from before keyed "
                     "sealing, or under a key to retire); recorded in the log."),
        ]:
            p = sub.add_parser(name, help=text)
            which = p.add_mutually_exclusive_group(required=True)
            which.add_argument("--org", help="One organisation.")
            which.add_argument("--all", action="store_true", help="Every organisation.")
        sub.add_parser("rotate-key", help="Add a new current key to the key file; events "
                                          "sealed with the earlier keys keep verifying.")
        sub.add_parser("public-key", help="Print the public key that checks the checkpoints.")

    def handle(self, *args, action, **opts):
        try:
            if action == "rotate-key":
                self.stdout.write(f"New activity-log key {key_rotate()} seals events from now on.")
                return
            if action == "public-key":
                self.stdout.write(public_key_pem().rstrip())
                return
            orgs = self._orgs(opts["org"], opts["all"])
            failed = getattr(self, f"_{action}")(orgs, every=opts["all"])
        except (DomainError, LogKeyError, AnchorError) as exc:
            raise CommandError(getattr(exc, "message", None) or str(exc)) from exc
        if failed:
            raise CommandError(f"{failed} organisation(s) failed: see above.")

    def _orgs(self, slug, every) -> list[Organization]:
        if every:
            return list(Organization.objects.order_by("slug"))
        return [ctx_for_cli(slug).org]

    def _verify(self, orgs, every) -> int:
        failed = 0
        for org in orgs:
            r = log_verify(org=org)
            if r.ok:
                cp = (f"; it holds the checkpoint of {r.checkpoint_at} (#{r.checkpoint_seq})"
                      if r.checkpoint == "ok" else "; no checkpoint yet (aims log anchor)")
                self.stdout.write(f"Activity log of {org.slug} is intact: {r.checked} events "
                                  f"verified{cp}.")
            else:
                failed += 1
                message = (f"Activity log of {org.slug} is broken at event #{r.first_bad_seq}: "
                           f"{r.problem} ({r.checked} events before it are intact).")
                if not every:
                    raise CommandError(message)
                self.stderr.write(message)
        if every:
            # An organisation removed from the database wholesale leaves its checkpoints.
            known = {str(pk) for pk in Organization.objects.values_list("pk", flat=True)}
            for org_id, anchor in anchors_read().items():
                if org_id not in known:
                    failed += 1
                    self.stderr.write(
                        f"Organisation {anchor.org} ({org_id}) is missing from the database: "
                        f"its checkpoint of {anchor.at} saw {anchor.events} events.")
        return failed

    def _anchor(self, orgs, every) -> int:
        failed = 0
        for org in orgs:
            try:
                anchor = log_anchor(org=org)
            except DomainError as exc:
                if not every:
                    raise
                failed += 1
                self.stderr.write(exc.message)
                continue
            self.stdout.write(f"Checkpoint of {org.slug}: {anchor.events} events, head "
                              f"{anchor.head[:16]}…, at {anchor.at}.")
            try:
                if to := anchor_email(anchor):
                    self.stdout.write(f"  e-mailed to {', '.join(to)}.")
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{org.slug}: the checkpoint is in the anchor file but could "
                                  f"not be e-mailed: {exc}")
        return failed

    def _seal(self, orgs, every) -> int:
        failed = 0
        for org in orgs:
            try:
                done = log_seal(org=org)
            except DomainError as exc:
                if not every:
                    raise
                failed += 1
                self.stderr.write(exc.message)
                continue
            cp = " and checkpointed" if done.anchor else ""
            self.stdout.write(f"Activity log of {org.slug}: {done.resealed} events re-sealed "
                              f"under key {done.key_id}{cp}.")
        return failed
