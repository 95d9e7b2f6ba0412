"""Benchmark of meeting reminders: one meeting with 10,000 invitees, real Celery workers, a real
Redis broker and a local SMTP sink. Prints deliveries per second and the number of duplicates
(must be 0) with 1 and then 2 worker processes. See bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1/untfsse REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/reminders.py [--invitees 10000] [--workers 1,2]

It works in a throw-away database (test_<name>, created and dropped here) and FLUSHES the Redis
database of REDIS_URL: give it one of its own.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import DeliveryState, Invitation, Meeting, ReminderDelivery  # noqa: E402
from meetings.reminders.schedule import reminders_poll  # noqa: E402
from members.models import Person  # noqa: E402
from tests.celery_worker import kill_worker, start_worker, worker_environment  # noqa: E402
from tests.smtp_sink import SmtpSink  # noqa: E402
from untfsse.celery import app as celery_app  # noqa: E402

FINISH_TIMEOUT = 1800  # seconds, per run


def meeting_with_invitees(count: int) -> Meeting:
    start = timezone.now() + datetime.timedelta(hours=23)
    meeting = Meeting.objects.create(
        kind="regular",
        title="Benchmark meeting",
        slug="benchmark-meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        mode="virtual",
        reminder_offsets=[24],
    )
    people = Person.objects.bulk_create(
        (
            Person(name=f"Invitee {n:05d}", email=f"invitee{n:05d}@example.org")
            for n in range(count)
        ),
        batch_size=2000,
    )
    Invitation.objects.bulk_create(
        (Invitation(meeting=meeting, person=person) for person in people), batch_size=2000
    )
    return meeting


def run(*, meeting: Meeting, invitees: int, workers: int, broker: redis.Redis) -> str:
    ReminderDelivery.objects.all().delete()
    broker.flushdb()
    log_path = Path(tempfile.mkdtemp(prefix="reminders-bench-")) / "worker.log"
    processes = []
    with SmtpSink() as sink:
        environment = worker_environment(smtp_port=sink.port)
        try:
            for number in range(workers):
                processes.append(
                    start_worker(
                        environment=environment,
                        log_path=log_path,
                        name=f"bench{number}",
                        concurrency=1,
                    )
                )
            queuing_started = time.monotonic()
            reminders_poll()
            queuing_seconds = time.monotonic() - queuing_started
            deadline = time.monotonic() + FINISH_TIMEOUT
            while sink.count() < invitees and time.monotonic() < deadline:
                time.sleep(0.5)
            while (
                ReminderDelivery.objects.filter(state=DeliveryState.PENDING).exists()
                and time.monotonic() < deadline
            ):
                time.sleep(0.5)
        finally:
            for process in processes:
                kill_worker(process)
        received = sink.snapshot()
        arrivals = list(sink.arrivals)
    by_recipient: dict[str, set[str]] = {}
    for recipient, message_id in received:
        by_recipient.setdefault(recipient, set()).add(message_id)
    distinct_duplicates = sum(len(ids) - 1 for ids in by_recipient.values())
    same_id_resends = len(received) - sum(len(ids) for ids in by_recipient.values())
    missing = invitees - len(by_recipient)
    seconds = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
    rate = (len(arrivals) - 1) / seconds if len(arrivals) > 1 else 0.0
    return (
        f"{workers} worker process(es): {len(received)} messages to {len(by_recipient)} of "
        f"{invitees} invitees in {seconds:.1f} s (first to last) = {rate:.1f} deliveries/s; "
        f"queuing took {queuing_seconds:.1f} s; missing: {missing}; "
        f"distinct duplicates: {distinct_duplicates}; same-ID resends: {same_id_resends}; "
        f"worker log: {log_path}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitees", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2", help="worker process counts, e.g. 1,2")
    arguments = parser.parse_args()
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        print("Set DATABASE_URL=postgres://... and REDIS_URL=redis://.../<a db of its own>.")
        return 2
    broker = redis.Redis.from_url(settings.REDIS_URL)
    celery_app.conf.task_always_eager = False  # queue to the real broker
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        meeting = meeting_with_invitees(arguments.invitees)
        for workers in (int(value) for value in arguments.workers.split(",")):
            print(run(meeting=meeting, invitees=arguments.invitees, workers=workers, broker=broker))
    finally:
        broker.flushdb()
        connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
