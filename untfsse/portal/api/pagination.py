"""Pages of every API list: `page` (from 1) and `page_size` (1 to 100, 50 by default), with
the total `count` and absolute `next` / `previous` links. Every list has a stable order that
ends with the id, so walking the `next` links visits each object once."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class ApiPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = (
        f"Objects per page, 1 to {MAX_PAGE_SIZE} ({DEFAULT_PAGE_SIZE} when not given)."
    )
    page_query_description = "The page, from 1; past the last page the answer is 404."

    def get_page_size(self, request) -> int:
        return page_size_of(request)

    def paginate_queryset(self, queryset, request, view=None):
        page_number_of(request)  # 400 for a page that is not a whole number from 1
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = MAX_PAGE_SIZE
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"]["description"] = "How many objects the whole list has."
        properties["next"]["description"] = "The next page's absolute address; null on the last."
        properties["previous"]["description"] = (
            "The previous page's absolute address; null on the first."
        )
        properties["results"]["description"] = "The objects of this page, in the list's order."
        return described


def _positive_integer(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = f"from 1 to {maximum}" if maximum else "from 1"
        raise ValidationError({name: [f"Give a whole number {limit}."]})
    return value


def page_size_of(request, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The `page_size` asked for; 400 for anything but a whole number from 1 to 100."""
    return _positive_integer(request, "page_size", default, MAX_PAGE_SIZE)


def page_number_of(request) -> int:
    """The `page` asked for; 400 for anything but a whole number from 1."""
    return _positive_integer(request, "page", 1)
