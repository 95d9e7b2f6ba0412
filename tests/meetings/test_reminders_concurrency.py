"""Two workers claiming the same deliveries at once never send one twice (PostgreSQL row locks:
SELECT ... FOR UPDATE SKIP LOCKED). Each thread has its own database connection, as two worker
processes would."""

import threading

import pytest
from django.db import connection

from meetings.models import DeliveryState, ReminderDelivery
from meetings.reminders.email import REMINDER_EMAIL
from tests.factories import PersonFactory
from tests.factories.meetings import InvitationFactory, MeetingFactory, ReminderDeliveryFactory
from tests.meetings.email_backends import BlockingBackend
from untfsse.core.outbox.engine import Outcome, delivery_send

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def pending_deliveries(count):
    meeting = MeetingFactory()
    deliveries = []
    for number in range(count):
        person = PersonFactory(email=f"invitee{number}@example.org")
        InvitationFactory(meeting=meeting, person=person)
        deliveries.append(ReminderDeliveryFactory(meeting=meeting, person=person))
    return deliveries


def in_thread(target):
    """Run `target` in a thread with its own database connection; returns (thread, results)."""
    results = []

    def run():
        try:
            results.append(target())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


@pytest.fixture
def slow_smtp(settings):
    settings.EMAIL_BACKEND = "tests.meetings.email_backends.BlockingBackend"
    BlockingBackend.entered.clear()
    BlockingBackend.release.clear()
    yield BlockingBackend
    BlockingBackend.release.set()


def test_a_delivery_being_sent_is_skipped_by_a_second_worker(slow_smtp, mailoutbox):
    (delivery,) = pending_deliveries(1)

    first, first_result = in_thread(lambda: delivery_send(REMINDER_EMAIL, delivery_id=delivery.pk))
    assert slow_smtp.entered.wait(timeout=30)  # the first worker holds the row, mid-SMTP
    second_result = delivery_send(REMINDER_EMAIL, delivery_id=delivery.pk)
    slow_smtp.release.set()
    first.join(timeout=30)
    redelivered_result = delivery_send(REMINDER_EMAIL, delivery_id=delivery.pk)

    assert (first_result, second_result, redelivered_result) == (
        [Outcome.SENT],
        Outcome.BUSY,
        Outcome.NOT_PENDING,
    )
    assert [message.to for message in mailoutbox] == [["invitee0@example.org"]]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)


def test_two_workers_racing_through_the_same_batch_send_each_once(mailoutbox):
    deliveries = pending_deliveries(40)
    ids = [delivery.pk for delivery in deliveries]
    start = threading.Barrier(2)

    def worker():
        start.wait(timeout=30)
        return [delivery_send(REMINDER_EMAIL, delivery_id=delivery_id) for delivery_id in ids]

    threads = [in_thread(worker) for _ in range(2)]
    for thread, _results in threads:
        thread.join(timeout=120)

    outcomes = [outcome for _thread, results in threads for outcome in results[0]]
    assert outcomes.count(Outcome.SENT) == 40
    assert set(outcomes) <= {Outcome.SENT, Outcome.BUSY, Outcome.NOT_PENDING}
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        f"invitee{number}@example.org" for number in range(40)
    )
    assert ReminderDelivery.objects.filter(state=DeliveryState.SENT).count() == 40
