"""`aims jobs`: background jobs from the command line (an operator's view of the queue)."""

from django.core.management.base import BaseCommand, CommandError

from aims.core.errors import DomainError
from aims.jobs.selectors import job_list
from aims.jobs.services import job_start
from aims.orgs.context import ctx_for_cli


class Command(BaseCommand):
    help = ("Background jobs: aims jobs list --org SLUG | aims jobs start --org SLUG KIND "
            "[--param NAME=VALUE …] (e.g. activity.csv with --param since=2026-01-01).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "start"])
        parser.add_argument("kind", nargs="?", default="")
        parser.add_argument("--org", required=True)
        parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")

    def handle(self, *args, action, kind, org, param, **opts):
        try:
            ctx = ctx_for_cli(org, actor_label="aims jobs")
            if action == "start":
                if not kind:
                    raise CommandError("Name the kind of job to start, e.g. activity.csv.")
                bad = [p for p in param if "=" not in p]
                if bad:
                    raise CommandError(f"--param takes NAME=VALUE, not {bad[0]!r}.")
                job = job_start(ctx=ctx, kind=kind,
                                params=dict(p.split("=", 1) for p in param))
                self.stdout.write(f"{job.pk} queued: {job.label}")
                return
            for job in job_list(ctx=ctx)[:50]:
                pct = f" {job.percent}%" if job.percent is not None and not job.finished else ""
                self.stdout.write(f"{job.pk}  {job.created_at:%Y-%m-%d %H:%M}  {job.status}{pct}  "
                                  f"{job.label}{'  ' + job.error if job.error else ''}"
                                  f"{'  ' + job.result_path if job.result_path else ''}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
