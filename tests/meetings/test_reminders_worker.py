"""End to end, with real parts: PostgreSQL, a Redis broker, real `celery worker` processes and a
local SMTP server. Every invitee receives exactly one reminder even though the worker is killed
with SIGKILL in the middle of the batch.

Required in CI (marker `worker`). Its Redis database (REDIS_URL) is flushed before and after:
point REDIS_URL at a database of your own.
"""

import datetime
import tempfile
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from meetings.models import DeliveryState, Invitation, InvitationResponse, ReminderDelivery
from meetings.reminders.schedule import reminders_poll
from members.models import Person
from tests.celery_worker import kill_worker, start_worker, worker_environment
from tests.factories.meetings import MeetingFactory
from tests.smtp_sink import SmtpSink
from untfsse.celery import app as celery_app

INVITEES = 300
KILL_AFTER = 60  # messages received before the first worker is killed
# Generous bounds for a busy shared machine; a healthy run takes well under a minute in all.
FIRST_MESSAGES_TIMEOUT = 120
FINISH_TIMEOUT = 180
POLL_EVERY = 5


@pytest.fixture
def broker():
    """The real Redis broker, empty, with this process queuing to it instead of running tasks
    in process."""
    connection = redis.Redis.from_url(settings.REDIS_URL)
    connection.flushdb()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield connection
    finally:
        celery_app.conf.task_always_eager = eager
        connection.flushdb()
        connection.close()


def _invitees(meeting, count):
    people = Person.objects.bulk_create(
        Person(name=f"Invitee {number:03d}", email=f"invitee{number:03d}@example.org")
        for number in range(count)
    )
    Invitation.objects.bulk_create(Invitation(meeting=meeting, person=person) for person in people)
    return people


def _log_tail(path: Path) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return text[-4000:]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_every_invitee_gets_exactly_one_reminder_despite_a_killed_worker(broker):
    start = timezone.now() + datetime.timedelta(hours=23)
    meeting = MeetingFactory(
        start=start, end=start + datetime.timedelta(hours=2), reminder_offsets=[24]
    )
    people = _invitees(meeting, INVITEES)
    declined = Person.objects.create(name="Declined", email="declined@example.org")
    Invitation.objects.create(
        meeting=meeting,
        person=declined,
        response=InvitationResponse.DECLINED,
        responded_at=timezone.now(),
    )
    opted_out = Person.objects.create(
        name="Opted out", email="opted-out@example.org", receives_reminders=False
    )
    Invitation.objects.create(meeting=meeting, person=opted_out)

    workers = []
    log_path = Path(tempfile.mkdtemp(prefix="reminders-worker-")) / "worker.log"
    # A slightly slow SMTP server, so that the batch is still running when the worker is killed.
    with SmtpSink(delay=0.02) as sink:
        environment = worker_environment(smtp_port=sink.port)
        try:
            workers.append(start_worker(environment=environment, log_path=log_path, name="first"))
            proposed, queued = reminders_poll()
            assert (proposed, queued) == (INVITEES, INVITEES)

            assert sink.wait_for(KILL_AFTER, timeout=FIRST_MESSAGES_TIMEOUT), _log_tail(log_path)
            kill_worker(workers[0])
            received_at_kill = sink.count()
            assert received_at_kill < INVITEES, "the batch ended before the kill: nothing tested"

            workers.append(start_worker(environment=environment, log_path=log_path, name="second"))
            deadline = time.monotonic() + FINISH_TIMEOUT
            while ReminderDelivery.objects.filter(state=DeliveryState.PENDING).exists():
                assert time.monotonic() < deadline, (
                    f"still pending after {FINISH_TIMEOUT} s: "
                    f"{ReminderDelivery.objects.filter(state=DeliveryState.PENDING).count()}\n"
                    + _log_tail(log_path)
                )
                # Re-queues what the killed worker held (the broker would only hand it out
                # again after its one-hour visibility timeout); queuing twice is harmless.
                reminders_poll()
                time.sleep(POLL_EVERY)
        finally:
            for worker in workers:
                kill_worker(worker)

    by_recipient = sink.message_ids_by_recipient()
    expected = {person.email for person in people}
    assert set(by_recipient) == expected  # none missing, nobody else (declined, opted out)
    assert {email: len(ids) for email, ids in by_recipient.items()} == dict.fromkeys(expected, 1)
    deliveries = dict(
        ReminderDelivery.objects.filter(meeting=meeting).values_list("person__email", "message_id")
    )
    assert {email: next(iter(ids)) for email, ids in by_recipient.items()} == deliveries
    assert ReminderDelivery.objects.filter(state=DeliveryState.SENT).count() == INVITEES
    resends = len(sink.snapshot()) - INVITEES
    print(
        f"\n{INVITEES} invitees, {received_at_kill} messages before SIGKILL, "
        f"{len(sink.snapshot())} messages in all: {resends} same-Message-ID resend(s) "
        "caused by the kill, 0 distinct duplicates"
    )
