"""`manage.py run_scheduler`: the periodic tasks of CELERY_BEAT_SCHEDULE, run in this process.

For the zero-setup mode (`make run`), which has no broker, no worker and no beat: this small
loop runs beside the web server and does what beat and a worker do in production (due
reminders, update and cancellation notices, invitations and every other e-mail the outbox
holds, the sweeps, the weekly digest), so that they appear in the console without anyone
clicking "Send due reminders now". Each task runs in this process (`Task.apply`), at its own
interval from the schedule but at least every `--every` seconds. It stops on SIGINT or
SIGTERM, and by itself when the process that started it (`--parent-pid`) is gone, so it never
outlives the web server it was started beside.

In production run Celery beat and workers instead (docker-compose's `beat` and `worker`).
"""

import datetime
import logging
import os
import signal
import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


def _interval_seconds(schedule, ceiling: float) -> float:
    if isinstance(schedule, int | float):
        seconds = float(schedule)
    elif isinstance(schedule, datetime.timedelta):
        seconds = schedule.total_seconds()
    else:  # a celery schedule object (crontab, ...): its nominal period when it has one
        run_every = getattr(schedule, "run_every", None)
        seconds = run_every.total_seconds() if run_every else ceiling
    return max(1.0, min(seconds, ceiling))


def _close_old_connections() -> None:
    """As a request does: a long-lived process must not keep a connection the database closed.
    (Never inside a transaction, where Django would close the connection in use: only a test
    calls the command inside one.)"""
    if not connection.in_atomic_block:
        close_old_connections()


class Command(BaseCommand):
    help = (
        "Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process (the zero-setup mode's "
        "scheduler, started by `make run` beside the web server)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=60.0,
            help="Run each task at least this often, in seconds (default 60).",
        )
        parser.add_argument("--once", action="store_true", help="Run every task once, then stop.")
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="Stop when this process (the one that started the scheduler) is gone.",
        )

    def handle(self, *args, every: float, once: bool, parent_pid: int | None, **options):
        current_app.loader.import_default_modules()  # every app's tasks are registered
        # Celery's "Task ... succeeded" line for every run of every task would bury the
        # e-mails the console shows; failures are still logged (below and by Celery).
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        schedule = dict(settings.CELERY_BEAT_SCHEDULE)
        intervals = {
            name: _interval_seconds(entry["schedule"], every) for name, entry in schedule.items()
        }
        self.stopping = False
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self._loop(schedule, intervals, every=every, once=once, parent_pid=parent_pid)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _loop(self, schedule, intervals, *, every, once, parent_pid) -> None:
        self.stdout.write(
            f"Scheduler: {len(schedule)} periodic tasks (reminders, notices, invitations and "
            f"other e-mails, sweeps) run here every {every:g} s at most; stops with the server."
        )
        next_run = dict.fromkeys(schedule, 0.0)
        while not self.stopping:
            for name, entry in schedule.items():
                if self.stopping or time.monotonic() < next_run[name]:
                    continue
                self._run(name, entry)
                next_run[name] = time.monotonic() + intervals[name]
            if once:
                return
            if parent_pid is not None and os.getppid() != parent_pid:
                return  # the web server's shell is gone: so are we
            time.sleep(1)

    def _stop(self, signum, frame):
        self.stopping = True

    def _run(self, name: str, entry: dict) -> None:
        _close_old_connections()
        task = current_app.tasks.get(entry["task"])
        if task is None:
            logger.error("Scheduler: no task named %s (schedule entry %s)", entry["task"], name)
            return
        result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        if result.failed():
            # Logged and tried again at its next turn: one failing task stops no other.
            logger.error("Scheduler: %s failed:\n%s", entry["task"], result.traceback)
        _close_old_connections()
