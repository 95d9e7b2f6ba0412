"""Organisations, people with public profiles, governance offices."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from members.filters import OrganisationFilter
from members.models import Organisation, Person, Role
from members.selectors import organisation_for_page
from untfsse.core.cache import ContentArea
from untfsse.portal.api.filters import OFFICE_ORDER, OfficeFilter, PersonFilter
from untfsse.portal.api.serializers.members import (
    OfficeSerializer,
    OrganisationDetailSerializer,
    OrganisationSerializer,
    PersonSerializer,
)
from untfsse.portal.api.views.base import PublicApiView, PublicListView

ORGANISATION_SLUG = OpenApiParameter(
    "organisation",
    OpenApiTypes.STR,
    description="An organisation's slug, e.g. ilo (see /api/v1/organisations/).",
)


@extend_schema(
    summary="Organisations",
    description="Members, observers and partners, with the directory page's filters "
    "(/members/), ordered by acronym.",
    parameters=[
        OpenApiParameter(
            "country",
            OpenApiTypes.STR,
            description="Headquarters country, an ISO 3166-1 alpha-2 code (e.g. CH) of a "
            "country where some organisation is; any other value is refused (400).",
        ),
        OpenApiParameter(
            "q", OpenApiTypes.STR, description="Words in the name, acronym or description."
        ),
    ],
)
class OrganisationListView(PublicListView):
    cache_areas = (ContentArea.MEMBERS,)
    serializer_class = OrganisationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return Organisation.objects.order_by("acronym", "pk")


@extend_schema(
    summary="An organisation",
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The organisation's id."
        )
    ],
    description="The organisation with its people who have public profiles and the offices it "
    "has held, as on its page.",
)
class OrganisationDetailView(PublicApiView):
    cache_areas = (ContentArea.MEMBERS,)
    serializer_class = OrganisationDetailSerializer

    def answer(self, request, pk: int):
        slug = Organisation.objects.filter(pk=pk).values_list("slug", flat=True).first()
        if slug is None:
            raise Http404("No organisation has this id.")
        organisation = organisation_for_page(slug)
        current = [role for role in organisation.offices if role.is_current]
        past = [role for role in organisation.offices if not role.is_current]
        for role in organisation.offices:
            if role.organisation_id == organisation.pk:
                role.organisation = organisation  # the page's selector leaves it unloaded
        organisation.offices = current + past
        return self.respond(organisation)


@extend_schema(
    summary="People",
    description="People who agreed to a public profile, by name: name, position and "
    "organisation only. Nobody else is listed, and no e-mail address ever is.",
    parameters=[ORGANISATION_SLUG],
)
class PersonListView(PublicListView):
    cache_areas = (ContentArea.MEMBERS,)
    serializer_class = PersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter

    def get_queryset(self):
        return Person.objects.public().select_related("organisation").order_by("name", "pk")


@extend_schema(
    summary="Governance offices",
    description="Every office of the Task Force and who held it (the governance page): by "
    "office, current holders first, then the most recent. A holder without a public profile "
    "is given by organisation only.",
)
class OfficeListView(PublicListView):
    cache_areas = (ContentArea.MEMBERS,)
    serializer_class = OfficeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OfficeFilter

    def get_queryset(self):
        return Role.objects.select_related("person", "organisation").order_by(*OFFICE_ORDER)
