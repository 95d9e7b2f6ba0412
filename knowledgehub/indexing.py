"""What makes a resource findable: the text read out of its PDF, and its stored search vector.

Kept apart from the write services (knowledgehub/services/resources.py) because both sides use
it: the services refresh the vector when they change a resource and queue the PDF's text
extraction, and the extraction task (knowledgehub/tasks.py) calls `resource_extract_text`. So
the services import the task and the task imports this module, and nothing goes round in a
circle.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from knowledgehub.extraction import pdf_text
from knowledgehub.models import Resource, TextExtractionStatus, search_config_expression
from untfsse.core.invalidation import content_changed


def resource_refresh_search_vector(*, resource_id: int) -> None:
    """Rebuild the stored search vector from the row's own columns, in one UPDATE.

    Title weighs A, authors B, abstract C and the PDF's text D. A no-op off PostgreSQL, where
    search falls back to plain substring matching.
    """
    resources_refresh_search_vectors(resources=Resource.objects.filter(pk=resource_id))


def resources_refresh_search_vectors(*, resources=None) -> int:
    """The same for many resources (all by default) in one UPDATE, e.g. after a bulk import.
    Returns how many rows were refreshed (0 off PostgreSQL)."""
    if connection.vendor != "postgresql":
        return 0
    config = search_config_expression()
    resources = Resource.objects.all() if resources is None else resources
    # No content_changed(Resource) here: a vector is made of its row's own columns, and what
    # changed them (the caller's save, resource_extract_text, generate_bulk_data) has made the
    # Knowledge Hub's cached pages and searches stale already.
    return resources.update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector("authors_text", weight="B", config=config)
        + SearchVector("abstract", weight="C", config=config)
        + SearchVector("extracted_text", weight="D", config=config)
    )


def resource_extract_text(*, resource_id: int) -> str | None:
    """Extract the text of the resource's PDF, store it and refresh the search vector.

    Returns the new extraction status, or None when the resource or its PDF is gone. A
    damaged, encrypted or image-only PDF is recorded as "no text" (never raises for it), so a
    redelivered task does no harm and nothing is retried forever.
    """
    resource = Resource.objects.filter(pk=resource_id).only("pk", "pdf").first()
    if resource is None or not resource.pdf:
        return None
    file_name = resource.pdf.name
    try:
        with resource.pdf.open("rb") as file:
            text = pdf_text(file)
    except FileNotFoundError:
        text = ""
    status = TextExtractionStatus.DONE if text else TextExtractionStatus.NO_TEXT
    # Only if the PDF is still the one read: a newer upload has its own extraction queued.
    updated = Resource.objects.filter(pk=resource_id, pdf=file_name).update(
        extracted_text=text, text_extraction_status=status
    )
    if updated:
        content_changed(Resource)  # update() sends no signal
        resource_refresh_search_vector(resource_id=resource_id)
    return status
