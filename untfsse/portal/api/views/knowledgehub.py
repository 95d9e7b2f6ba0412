"""Knowledge Hub resources through the page's own search, tombstones, calls for papers."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from knowledgehub.filters import ResourceFilter
from knowledgehub.models import Resource, ResourceAuthor
from knowledgehub.search import PAGE_SIZE as SEARCH_PAGE_SIZE
from knowledgehub.search import search_resources
from knowledgehub.selectors import calls_for_listing, resource_for_page
from untfsse.core.cache import ContentArea
from untfsse.portal.api.pagination import (
    MAX_PAGE_SIZE,
    ApiPagination,
    page_number_of,
    page_size_of,
)
from untfsse.portal.api.serializers.knowledgehub import (
    CallSerializer,
    FacetValueSerializer,
    SearchResultSerializer,
    TombstoneSerializer,
)
from untfsse.portal.api.views.base import PublicApiView, PublicListView

RESOURCE_METADATA = (
    Prefetch("authors", queryset=ResourceAuthor.objects.order_by("order", "pk")),
    "organisations",
    "sdgs",
    "themes",
)


class SearchPagination(ApiPagination):
    """The search's own pages (20 results by default, as on the page), described like every
    other list, plus its facets."""

    page_size = SEARCH_PAGE_SIZE
    page_size_query_description = (
        f"Results per page, 1 to {MAX_PAGE_SIZE} ({SEARCH_PAGE_SIZE} when not given, as on "
        "the page)."
    )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["query"] = {
            "type": "string",
            "description": "The query as searched (whitespace collapsed, cut at 200 characters).",
        }
        properties["query_truncated"] = {
            "type": "boolean",
            "description": "Whether the query was cut.",
        }
        properties["capped"] = {
            "type": "boolean",
            "description": "Always false: every match is ranked (kept for clients of the "
            "first version, when only the 1,000 newest matches were).",
        }
        properties["count_estimated"] = {
            "type": "boolean",
            "description": "Whether `count` is an estimate, to two significant figures (past "
            "about a thousand matches, counted on an even sample; the page says “about”).",
        }
        properties["facets_estimated"] = {
            "type": "boolean",
            "description": "Whether the facets' counts are estimates (counted on an even "
            "sample of the matches past about a thousand, even when `count` is not: a "
            "selective filter on a common word).",
        }
        properties["facets"] = {
            "type": "object",
            "description": "For each filter (kind, sdg, theme, language, year, organisation), "
            "its values among the matches narrowed by the other filters, with counts.",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "string", "description": "The filter's value."},
                        "label": {"type": "string", "description": "Its label."},
                        "count": {"type": "integer", "description": "Matches with it."},
                        "selected": {
                            "type": "boolean",
                            "description": "Whether the filter uses it.",
                        },
                    },
                    "required": ["value", "label", "count", "selected"],
                },
            },
        }
        described["required"] = [
            *described.get("required", []),
            "query",
            "query_truncated",
            "capped",
            "count_estimated",
            "facets_estimated",
            "facets",
        ]
        return described


@extend_schema(
    summary="Knowledge Hub resources",
    description="The Knowledge Hub's search (/knowledge-hub/): the same full-text search, "
    "filters, ranking and order as the page. Published resources only; see "
    "/api/v1/resources/withdrawn/ for the withdrawn ones.",
    parameters=[
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description='Words to search for (web-search syntax: "a phrase", -word, or); '
            "ranked by relevance unless `sort` says otherwise.",
        ),
        OpenApiParameter(
            "theme", OpenApiTypes.STR, description="A theme's slug (see the `theme` facet)."
        ),
        OpenApiParameter(
            "organisation",
            OpenApiTypes.STR,
            description="An organisation's slug, e.g. ilo (see the `organisation` facet).",
        ),
    ],
)
class ResourceListView(PublicListView):
    cache_areas = (ContentArea.KNOWLEDGE_HUB, ContentArea.MEMBERS)
    serializer_class = SearchResultSerializer
    pagination_class = SearchPagination
    filter_backends = [DjangoFilterBackend]  # describes ResourceFilter's parameters
    filterset_class = ResourceFilter
    extra_query_params = ("q",)

    def get_queryset(self):
        return Resource.objects.published()

    def answer(self, request):
        page_size = page_size_of(request, default=SEARCH_PAGE_SIZE)
        page_number = page_number_of(request)
        results = search_resources(
            request.query_params, page_number=page_number, page_size=page_size
        )
        if not results.valid:
            errors = results.filterset.form.errors.get_json_data()
            raise ValidationError(
                {name: [error["message"] for error in found] for name, found in errors.items()}
            )
        page = results.page
        # (Past an estimated total a page is read all the same: empty, it is past the end.)
        if page.number != page_number or (page_number > 1 and not page.object_list):
            raise NotFound("Invalid page: past the last page of results.")
        resources = list(page.object_list)
        prefetch_related_objects(resources, *RESOURCE_METADATA)
        paginator = SearchPagination()
        paginator.request, paginator.page = request, page
        envelope = paginator.get_paginated_response(
            SearchResultSerializer(resources, many=True, context=self.get_serializer_context()).data
        ).data
        envelope.update(
            query=results.query,
            query_truncated=results.query_truncated,
            capped=results.capped,
            count_estimated=results.total_estimated,
            facets_estimated=results.facets_estimated,
            facets={
                name: FacetValueSerializer(values, many=True).data
                for name, values in results.facets.items()
            },
        )
        return Response(envelope)


@extend_schema(
    summary="A Knowledge Hub resource",
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The resource's id."
        )
    ],
    description="A published resource; a withdrawn one answers 410 with its tombstone, as its "
    "page does.",
    responses={
        200: SearchResultSerializer,
        410: OpenApiResponse(TombstoneSerializer, description="The resource was withdrawn."),
    },
)
class ResourceDetailView(PublicApiView):
    cache_areas = (ContentArea.KNOWLEDGE_HUB, ContentArea.MEMBERS)
    serializer_class = SearchResultSerializer

    def answer(self, request, pk: int):
        try:
            resource = resource_for_page(pk)
        except Resource.DoesNotExist as error:
            raise Http404("No resource has this id.") from error
        if resource.is_withdrawn:
            context = self.get_serializer_context()
            return Response(TombstoneSerializer(resource, context=context).data, status=410)
        return self.respond(resource)


@extend_schema(
    summary="Withdrawn resources",
    description="The tombstones of withdrawn resources, most recently withdrawn first: id, "
    "title, date and reason of the withdrawal and the page's address, nothing else.",
)
class WithdrawnResourceListView(PublicListView):
    cache_areas = (ContentArea.KNOWLEDGE_HUB,)
    serializer_class = TombstoneSerializer

    def get_queryset(self):
        return (
            Resource.objects.withdrawn()
            .only("pk", "slug", "title", "status", "withdrawn_at", "withdrawal_reason")
            .order_by("-withdrawn_at", "-pk")
        )


@extend_schema(
    summary="Calls for papers",
    description="Every call for papers as the calls page lists them: open calls first "
    "(closing soonest first), then upcoming ones, then closed ones (latest first).",
)
class CallListView(PublicListView):
    cache_areas = (ContentArea.KNOWLEDGE_HUB,)
    serializer_class = CallSerializer

    def get_queryset(self):
        return calls_for_listing(getattr(self, "now", None))

    def initial(self, request, *args, **kwargs):
        self.now = timezone.now()
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": getattr(self, "now", None)}
