"""Background work of meetings: thin Celery tasks around meetings.reminders.

Both are safe to run twice or side by side (see meetings/reminders/delivery.py). Retries and
back-off live in the database (ReminderDelivery.next_attempt_at), not in far-future broker
ETAs, which Redis would hand out again after its visibility timeout.
"""

import logging

from celery import shared_task

from meetings.reminders.delivery import delivery_send
from meetings.reminders.schedule import reminders_poll

logger = logging.getLogger(__name__)


@shared_task(name="meetings.queue_due_reminders", ignore_result=True)
def queue_due_reminders() -> None:
    """Periodic (Celery beat, every 5 minutes): create due reminders and queue every pending
    delivery whose attempt is due."""
    proposed, queued = reminders_poll()
    if proposed or queued:
        logger.info("Reminders: %s new, %s queued", proposed, queued)


@shared_task(name="meetings.send_delivery", ignore_result=True)
def send_delivery(*, delivery_id: int) -> str:
    """Send one delivery if it is still pending and due; returns what happened."""
    return str(delivery_send(delivery_id=delivery_id))
