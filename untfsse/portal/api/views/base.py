"""What every API endpoint shares: English answers, a 400 for unknown query parameters, and
conditional, cached GETs (conditional.py)."""

from django.conf import settings
from django.utils import translation
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from untfsse.core.cache import ContentArea
from untfsse.portal.api.conditional import conditional_json
from untfsse.portal.api.pagination import ApiPagination


def check_query_params(request, allowed: set[str]) -> None:
    """400 for a parameter the endpoint does not read, an empty one, or one given twice: a
    typo must not quietly list everything."""
    errors = {}
    accepted = ", ".join(sorted(allowed)) or "none"
    for name, values in request.query_params.lists():
        if name not in allowed:
            errors[name] = [f"Unknown query parameter. Accepted here: {accepted}."]
        elif len(values) > 1:
            errors[name] = ["Give this parameter once."]
        elif values[0] == "":
            errors[name] = ["Give a value, or leave the parameter out."]
    if errors:
        raise ValidationError(errors)


class PublicApiView(GenericAPIView):
    """A read-only endpoint of public records (list or detail).

    `cache_areas` are the content areas the answer shows (as for the public pages). Answers
    are kept five minutes at most, so those that depend on the time (which meetings are
    upcoming, which calls are open) are at most that old, like the pages.
    """

    cache_areas: tuple[ContentArea, ...] = ()
    pagination_class = ApiPagination
    # Query parameters read besides the filter set's (and page / page_size for lists).
    extra_query_params: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        # Codes and messages in one language whatever the client's headers: the answers are
        # the same for everyone, so they can be shared and cached.
        translation.activate(settings.LANGUAGE_CODE)
        super().initial(request, *args, **kwargs)

    def allowed_query_params(self) -> set[str]:
        allowed = set(self.extra_query_params)
        if getattr(self, "filterset_class", None) is not None:
            allowed |= set(self.filterset_class.base_filters)
        if self.is_list:
            allowed |= {"page", "page_size"}
        return allowed

    @property
    def is_list(self) -> bool:
        return isinstance(self, ListModelMixin)

    def get(self, request, *args, **kwargs):
        allowed = self.allowed_query_params()
        check_query_params(request, allowed)
        return conditional_json(
            request,
            areas=self.cache_areas,
            query_params=tuple(sorted(allowed)),
            render=lambda: self.answer(request, *args, **kwargs),
        )

    def answer(self, request, *args, **kwargs):
        raise NotImplementedError

    def respond(self, instance, status: int = 200) -> Response:
        return Response(self.get_serializer(instance).data, status=status)


class PublicListView(ListModelMixin, PublicApiView):
    """A paginated list, filtered by the page's FilterSet through django-filter's backend."""

    def answer(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
