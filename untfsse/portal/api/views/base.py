"""What every API endpoint shares: English answers, a 400 for unknown query parameters, and
conditional, cached GETs (conditional.py)."""

from django.conf import settings
from django.utils import translation
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from untfsse.portal.api.conditional import conditional_json
from untfsse.portal.api.pagination import ApiPagination


class PublicApiView(GenericAPIView):
    """A read-only endpoint of public records (list or detail).

    `cache_areas` are the content areas the answer shows (as for the public pages);
    `time_dependent` answers (upcoming meetings, open calls) are kept five minutes at most.
    """

    cache_areas: tuple[str, ...] = ()
    time_dependent = False
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
        unknown = sorted(set(request.query_params) - self.allowed_query_params())
        if unknown:
            accepted = ", ".join(sorted(self.allowed_query_params())) or "none"
            raise ValidationError(
                {name: [f"Unknown query parameter. Accepted here: {accepted}."] for name in unknown}
            )
        return conditional_json(
            request,
            areas=self.cache_areas,
            time_dependent=self.time_dependent,
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
