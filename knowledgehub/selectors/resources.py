"""Reads of Knowledge Hub resources shared by pages, feeds, sitemaps and other apps' sections."""

import datetime

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from knowledgehub.models import Resource, ResourceAuthor, TextExtractionStatus


def _metadata_lookups() -> tuple:
    return (
        Prefetch(
            "authors",
            queryset=ResourceAuthor.objects.select_related("person__organisation").order_by(
                "order", "pk"
            ),
        ),
        "organisations",
        "sdgs",
        "themes",
    )


def _with_metadata(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """Authors (with their person and organisation), organisations, SDGs and themes: four
    queries, whatever the number of resources."""
    return resources.prefetch_related(*_metadata_lookups())


def resource_page_details(resource: Resource) -> Resource:
    """`resource` (from resource_heading) with its authors, organisations, SDGs and themes:
    four queries."""
    prefetch_related_objects([resource], *_metadata_lookups())
    return resource


def resource_for_page(pk: int) -> Resource:
    """The resource, published or withdrawn, with everything its page and citations show.
    Raises Resource.DoesNotExist."""
    return _with_metadata(Resource.objects.select_related("submission__call")).get(pk=pk)


def resource_heading(pk: int) -> Resource:
    """The resource's own row without the PDF's text and the search vector: what its page
    needs for every reader (address, status, title, links); the authors, organisations, SDGs
    and themes come with resource_page_details, only when the page's shared part is not kept.
    The call it answered (through its submission) is joined here, in the same query.
    Raises Resource.DoesNotExist."""
    return (
        Resource.objects.select_related("submission__call")
        .defer("extracted_text", "search_vector")
        .get(pk=pk)
    )


def resource_for_download(pk: int) -> Resource:
    """A published resource with a PDF. Raises Resource.DoesNotExist."""
    return (
        Resource.objects.published().exclude(pdf="").only("pk", "slug", "pdf", "status").get(pk=pk)
    )


def latest_resources(*, limit: int = 20) -> QuerySet[Resource]:
    """The newest published resources, as added to the Knowledge Hub, with their metadata."""
    return _with_metadata(Resource.objects.published()).order_by("-created_at", "-pk")[:limit]


def resources_of_organisation(organisation, *, limit: int = 10) -> list[Resource]:
    """The organisation's published resources, newest publication first (one query)."""
    return list(
        Resource.objects.published()
        .filter(organisations=organisation)
        .only("pk", "slug", "title", "kind", "published_on", "published_precision", "authors_text")
        .order_by("-published_on", "-pk")[:limit]
    )


def resources_for_sitemap() -> QuerySet[Resource]:
    return Resource.objects.published().only("pk", "slug", "updated_at").order_by("pk")


# An extraction younger than this is still in the hands of its own task.
EXTRACTION_GRACE = datetime.timedelta(minutes=5)


def resources_waiting_for_extraction(now: datetime.datetime | None = None) -> list[int]:
    """Resources whose PDF has been waiting for its text for a while: their task was lost."""
    before = (now or timezone.now()) - EXTRACTION_GRACE
    return list(
        Resource.objects.filter(
            text_extraction_status=TextExtractionStatus.PENDING, updated_at__lt=before
        )
        .exclude(pdf="")
        .values_list("pk", flat=True)
    )
