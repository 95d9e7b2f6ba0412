"""Background work of meetings: the reminders' poller, a thin Celery task around
meetings.reminders.schedule.

Sending is the outbox's (untfsse.core.outbox: the task `outbox.send_delivery` and the sweep
`outbox.sweep_deliveries`). Retries and back-off live in the database
(ReminderDelivery.next_attempt_at), not in far-future broker ETAs, which Redis would hand out
again after its visibility timeout.
"""

import logging

from celery import shared_task

from meetings.reminders.schedule import reminders_poll

logger = logging.getLogger(__name__)


@shared_task(name="meetings.queue_due_reminders", ignore_result=True)
def queue_due_reminders() -> None:
    """Periodic (Celery beat, every 5 minutes): create due reminders and queue every pending
    delivery whose attempt is due."""
    proposed, queued = reminders_poll()
    if proposed or queued:
        logger.info("Reminders: %s new, %s queued", proposed, queued)
