"""The API's front door (/api/v1/), its OpenAPI description and its documentation page."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.response import Response

from untfsse.portal.api.views.base import PublicApiView

# The lists of the API, in the order the index names them: (key, URL name, description).
ENDPOINTS = [
    ("organisations", "organisation-list", "Members, observers and partners."),
    ("people", "person-list", "People with a public profile."),
    ("offices", "office-list", "Governance offices and who held them."),
    ("meetings", "meeting-list", "Meetings, upcoming and past."),
    ("action_plans", "action-plan-list", "Action plans with their progress."),
    ("resources", "resource-list", "Knowledge Hub resources (the page's search)."),
    ("withdrawn_resources", "withdrawn-resource-list", "Tombstones of withdrawn resources."),
    ("calls", "call-list", "Calls for papers."),
    ("schema", "schema", "This API's OpenAPI 3 description."),
    ("docs", "docs", "The documentation page."),
]


@extend_schema(
    tags=["index"],
    summary="The API's index",
    description="The address of every list of the API, of its OpenAPI description and of "
    "its documentation page.",
    responses=inline_serializer(
        "ApiIndex",
        {key: serializers.URLField(help_text=description) for key, _name, description in ENDPOINTS},
    ),
)
class ApiIndexView(PublicApiView):
    def answer(self, request):
        return Response(
            {key: request.build_absolute_uri(reverse(f"api:{name}")) for key, name, _ in ENDPOINTS}
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 description, JSON by default (YAML on `Accept: application/yaml`), made
    from the code once per process: it changes only with a deployment."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    _made: dict = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        if version not in self._made:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            with translation.override(settings.LANGUAGE_CODE):
                self._made[version] = generator.get_schema(request=None, public=self.serve_public)
        return Response(
            data=self._made[version],
            headers={"Content-Disposition": 'inline; filename="untfsse-portal-api.json"'},
        )


class DocsView(TemplateView):
    """Swagger UI from our own static files, started by a static script: nothing inline, so it
    works under the portal's Content Security Policy."""

    template_name = "api/docs.html"

    @cached_property
    def schema_url(self) -> str:
        return reverse("api:schema")

    def get_context_data(self, **kwargs):
        return super().get_context_data(schema_url=self.schema_url, **kwargs)
