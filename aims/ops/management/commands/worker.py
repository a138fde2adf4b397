"""`aims worker`: run background jobs, and start the scheduled ones, without cron.

The worker is django-tasks' database worker (Django's task API) with a clock beside it: every
--tick seconds the clock starts the day's scheduled jobs that no worker has started yet (a
unique constraint keeps it to one per organisation and day, however many workers tick) and
takes back the jobs whose worker died (no heartbeat), to run them again or fail them.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from aims.jobs.services import jobs_recover, schedule_due

logger = logging.getLogger("aims.worker")


def clock_tick() -> tuple[int, int]:
    """One pass of the clock: (jobs taken back, scheduled jobs started)."""
    try:
        recovered = jobs_recover(stale_after=timedelta(seconds=settings.AIMS_JOB_STALE_SECONDS))
        started = schedule_due()
        return len(recovered), len(started)
    finally:
        connections.close_all()


class Clock(threading.Thread):
    def __init__(self, every: float) -> None:
        super().__init__(daemon=True, name="aims-clock")
        self.every, self.stop = every, threading.Event()

    def run(self) -> None:
        while True:
            try:
                recovered, started = clock_tick()
                if recovered or started:
                    logger.warning("clock: %d lost job(s) taken back, %d scheduled job(s) "
                                   "started", recovered, started)
            except Exception:
                logger.exception("clock: the tick failed; trying again at the next one")
            if self.stop.wait(self.every):
                return


class Command(DbWorkerCommand):
    help = ("Run background jobs (exports, the daily upkeep) and start scheduled ones: "
            "aims worker [--tick SECONDS] [--no-clock] [--batch]. Run as many as you like, "
            "on any machine that reaches the database.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=f"{socket.gethostname()[:40]}:{os.getpid()}", reload=False)
        parser.add_argument("--tick", type=float, default=30.0,
                            help="Seconds between two passes of the clock (default 30).")
        parser.add_argument("--no-clock", action="store_true",
                            help="Only run jobs; start no scheduled work and recover nothing.")

    def handle(self, *args, tick, no_clock, **options):
        if not no_clock:
            Clock(tick).start()
        super().handle(*args, **options)
