"""Background work of the Knowledge Hub: thin wrappers around services, queued after commit
(the write services import these tasks to queue them; the tasks import knowledgehub.indexing,
never the services).

Its e-mails are the outbox's (untfsse.core.outbox; knowledgehub/notifications.py builds them).
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
