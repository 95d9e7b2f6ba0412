"""Background work of the Knowledge Hub: thin wrappers around services, queued after commit
(the write services import these tasks to queue them; the tasks import knowledgehub.indexing,
never the services).
"""

from celery import shared_task
from django.db import OperationalError

from knowledgehub.indexing import resource_extract_text
from knowledgehub.selectors import resources_waiting_for_extraction
from untfsse.core.queue import enqueue


@shared_task(
    name="knowledgehub.extract_resource_text",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def extract_resource_text(*, resource_id: int) -> None:
    """Extract the text of the resource's PDF and refresh its search vector.

    Returns quietly when the resource or its PDF is gone; a broken PDF is recorded as "no
    text" by the service, so only database hiccups are retried (three times, with back-off).
    """
    resource_extract_text(resource_id=resource_id)


@shared_task(name="knowledgehub.sweep_pending_text_extraction")
def sweep_pending_text_extraction() -> None:
    """Queue again the extraction of PDFs whose task was lost (broker away when the PDF was
    attached, worker killed); runs every ten minutes."""
    for resource_id in resources_waiting_for_extraction():
        enqueue(extract_resource_text, resource_id=resource_id)


@shared_task(name="knowledgehub.send_submission_notification", ignore_result=True)
def send_submission_notification(*, delivery_id: int) -> str:
    """Send one submission e-mail if it is still pending and due; returns what happened.

    Safe to run twice or side by side: the row lock sends it once (knowledgehub/notifications.py).
    SMTP failures are retried by the poller below, with back-off kept in the database.
    """
    from knowledgehub.notifications import delivery_send

    return str(delivery_send(delivery_id=delivery_id))


@shared_task(name="knowledgehub.queue_submission_notifications", ignore_result=True)
def queue_submission_notifications() -> int:
    """Periodic (Celery beat, every 5 minutes): queue every pending submission e-mail whose
    attempt is due (after an SMTP failure, or left pending by a worker that died)."""
    from knowledgehub.notifications import notifications_queue_due

    return notifications_queue_due()
