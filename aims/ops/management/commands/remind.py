import os

from django.core.management.base import BaseCommand, CommandError

from aims.activity.keys import LogKeyError
from aims.activity.services import anchor_email, log_anchor
from aims.core.errors import DomainError
from aims.core.wording import counted
from aims.findings.services import acceptances_lapse
from aims.orgs.context import ctx_for_cli
from aims.readiness.services import snapshot_daily
from aims.tasks.reminders import reminder_orgs, reminders_send

DEFAULT_BASE_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = ("E-mail each member one digest per organisation of their overdue and soon-due "
            "tasks and risk treatment actions, at most once a day, and save each "
            "organisation's daily readiness snapshot and activity-log checkpoint, and reopen "
            "security findings whose acceptance expired: "
            "aims remind [--org SLUG] [--days 7] [--dry-run] [--base-url URL]")

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organisation (default: all of them).")
        parser.add_argument("--days", type=int, default=7,
                            help="Include work due within this many days (default 7).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Say who would be reminded of what; send nothing.")
        parser.add_argument("--base-url",
                            default=os.environ.get("AIMS_BASE_URL", DEFAULT_BASE_URL),
                            help="Where aims is served, for the links in the e-mail "
                                 "(default: $AIMS_BASE_URL or http://localhost:8000).")

    def handle(self, *args, org, days, dry_run, base_url, **opts):
        if not 0 <= days <= 365:
            raise CommandError("--days must be between 0 and 365.")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://.")
        orgs = reminder_orgs(slug=org)
        if org and not orgs:
            raise CommandError(f"No organisation with slug {org!r}.")
        failed = 0
        broken_logs = 0
        for o in orgs:
            ctx = ctx_for_cli(o.slug, actor_label="aims remind")
            try:
                run = reminders_send(ctx=ctx, days=days, base_url=base_url, dry_run=dry_run)
                # The trend of readiness gets one point a day, whoever looks at it.
                snapshot = None if dry_run else snapshot_daily(ctx=ctx)
                lapsed = [] if dry_run else acceptances_lapse(ctx=ctx)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            verb = "would remind" if dry_run else "reminded"
            for d in run.sent:
                self.stdout.write(f"{o.slug}: {verb} {d.user.email} of {counted(d.count, 'item')} "
                                  f"({len(d.overdue)} overdue)")
            for d in run.already:
                self.stdout.write(f"{o.slug}: {d.user.email} was already reminded today")
            for d, error in run.failed:
                self.stderr.write(f"{o.slug}: could not e-mail {d.user.email}: {error}")
            failed += len(run.failed)
            if lapsed:
                self.stdout.write(f"{o.slug}: {counted(len(lapsed), 'accepted finding')} open "
                                  f"again, its acceptance expired: "
                                  f"{', '.join(f.ref for f in lapsed)}")
            if snapshot is not None:
                self.stdout.write(f"{o.slug}: readiness {snapshot.score}/100 "
                                  f"({snapshot.verdict.replace('_', ' ')}) saved for today.")
            self.stdout.write(f"{o.slug}: {counted(len(run.sent), 'digest')} "
                              f"{'to send' if dry_run else 'sent'}, "
                              f"{len(run.already)} already sent today.")
            if not dry_run:
                broken_logs += self._checkpoint(o)
        if broken_logs:
            raise CommandError(f"{broken_logs} activity log(s) do not verify: see above.")
        if failed:
            raise CommandError(f"{counted(failed, 'digest')} could not be sent; run again to retry them.")

    def _checkpoint(self, org) -> int:
        """The daily checkpoint of org's activity log; 1 if its log does not verify."""
        try:
            anchor = log_anchor(org=org)
        except LogKeyError as exc:
            self.stderr.write(f"{org.slug}: no activity-log checkpoint: {exc}")
            return 0
        except DomainError as exc:
            self.stderr.write(f"{org.slug}: {exc.message}")
            return 1
        self.stdout.write(f"{org.slug}: activity-log checkpoint at #{anchor.seq}.")
        try:
            anchor_email(anchor)
        except OSError as exc:
            self.stderr.write(f"{org.slug}: the checkpoint could not be e-mailed: {exc}")
        return 0
