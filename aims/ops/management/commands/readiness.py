"""aims readiness --org SLUG [--format text|json] [--fail-on major|minor] [--as-of DATE] [--save]

Judges the organisation's record as a certification auditor would and exits 0 when nothing
at or above --fail-on (default: major) is found, 1 when something is, 2 on a usage error, so a
pipeline can gate on it.
"""

from __future__ import annotations

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aims.core.errors import DomainError
from aims.orgs.context import ctx_for_cli
from aims.readiness.rules.base import SEVERITY_RANK, Severity
from aims.readiness.selectors import readiness_evaluate
from aims.readiness.services import snapshot_save

USAGE = 2


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.",
                           returncode=USAGE) from None


class Command(BaseCommand):
    help = ("Judge the AIMS record as a certification auditor would: exit 0 when nothing at "
            "or above --fail-on is found, 1 when something is, 2 on a usage error.")

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--fail-on", choices=["major", "minor"], default="major",
                            help="The least grave finding that fails the run (default major).")
        parser.add_argument("--as-of", default="", help="Judge as of this day (YYYY-MM-DD); "
                                                       "default today. May be in the future.")
        parser.add_argument("--save", action="store_true",
                            help="Also save the evaluation for the trend.")

    def handle(self, *args, org, format, fail_on, as_of, save, **options):
        day = _day(as_of) if as_of else timezone.localdate()
        try:
            ctx = ctx_for_cli(org, actor_label="aims readiness")
            evaluation = readiness_evaluate(ctx=ctx, as_of=day)
            if save:
                snapshot_save(ctx=ctx, evaluation=evaluation)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=USAGE) from exc
        if format == "json":
            self.stdout.write(json.dumps(evaluation.as_dict(), indent=2))
        else:
            self._text(evaluation)
        limit = SEVERITY_RANK[Severity(fail_on)]
        if any(SEVERITY_RANK[f.severity] <= limit for f in evaluation.findings):
            sys.exit(1)

    def _text(self, e) -> None:
        counts = e.counts
        self.stdout.write(f"{e.organization} as of {e.as_of:%Y-%m-%d}: "
                          f"{'READY' if e.verdict == 'ready' else 'NOT READY'} for Stage 1, "
                          f"score {e.score}/100 ({counts['major']} major, {counts['minor']} "
                          f"minor, {counts['observation']} observations)")
        for reason in e.reasons:
            self.stdout.write(f"  - {reason}")
        for f in e.findings:
            where = f" [{f.subject.label}]" if f.subject else ""
            self.stdout.write(f"{f.severity.upper():<11} {f.rule:<28} {', '.join(f.refs)}"
                              f"{where}\n            {f.message}\n            Fix: {f.fix}")
