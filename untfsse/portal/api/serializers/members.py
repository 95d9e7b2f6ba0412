"""Organisations, people with public profiles and governance offices."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import DatePrecision, Office, OrganisationKind
from untfsse.portal.api.serializers.common import (
    ApiUrlField,
    OrganisationRefSerializer,
    PageUrlField,
    PartialDateField,
    absolute,
)

GOVERNANCE_PAGE = "members:governance"


@extend_schema_field(OpenApiTypes.URI)
class PersonPageUrlField(serializers.Field):
    """People have no page of their own: they appear on their organisation's page (or on the
    governance page when they have no organisation)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, person):
        organisation = person.organisation
        path = organisation.get_absolute_url() if organisation else reverse(GOVERNANCE_PAGE)
        return absolute(self.context, path)


@extend_schema_field(OpenApiTypes.URI)
class GovernancePageUrlField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context, reverse(GOVERNANCE_PAGE))


class PublicPersonSerializer(serializers.Serializer):
    """A person with a public profile: name and position only (never an e-mail address)."""

    id = serializers.IntegerField(read_only=True, help_text="The person's stable id.")
    name = serializers.CharField(read_only=True, help_text="The person's name.")
    honorific = serializers.CharField(
        read_only=True, help_text="Ms, Mr, Dr, ... as the records write it; empty if none."
    )
    position = serializers.CharField(
        read_only=True, help_text="The person's position in their organisation; may be empty."
    )


class PersonSerializer(PublicPersonSerializer):
    organisation = OrganisationRefSerializer(
        read_only=True, allow_null=True, help_text="The person's current organisation, if any."
    )
    url = PersonPageUrlField(
        help_text="The public page the person appears on: their organisation's page, or the "
        "governance page for someone without an organisation."
    )


class OfficeSerializer(serializers.Serializer):
    """A governance office held by a person and/or an organisation over a span of dates."""

    id = serializers.IntegerField(read_only=True, help_text="The office record's stable id.")
    office = serializers.ChoiceField(
        choices=Office.choices, read_only=True, help_text="Which office: chair, vice_chair, ..."
    )
    title = serializers.CharField(
        read_only=True, help_text="The title as the records word it; may be empty."
    )
    person = serializers.SerializerMethodField(
        help_text="The holder, when the person has a public profile; null otherwise."
    )
    organisation = OrganisationRefSerializer(
        read_only=True, allow_null=True, help_text="The organisation holding the office, if any."
    )
    started = PartialDateField(
        "started_on",
        "started_precision",
        help_text="When the office began, as precisely as known (2022, 2023-07 or 2023-07-11); "
        "null if unknown.",
    )
    started_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, read_only=True, help_text="How much of `started` is known."
    )
    ended = PartialDateField(
        "ended_on",
        "ended_precision",
        help_text="When the office ended, as precisely as known; null while it is held.",
    )
    ended_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, read_only=True, help_text="How much of `ended` is known."
    )
    is_current = serializers.BooleanField(
        read_only=True, help_text="Whether the office is still held (it has no end)."
    )
    url = GovernancePageUrlField(help_text="The governance page, where offices are listed.")

    @extend_schema_field(PublicPersonSerializer(allow_null=True))
    def get_person(self, role):
        if role.person is None or not role.person.public_profile:
            return None
        return PublicPersonSerializer(role.person, context=self.context).data


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The organisation's stable id.")
    slug = serializers.CharField(
        read_only=True, help_text="The organisation's address: its page is /members/<slug>/."
    )
    acronym = serializers.CharField(read_only=True, help_text="Acronym or short name, e.g. ILO.")
    name = serializers.CharField(read_only=True, help_text="Full name.")
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices,
        read_only=True,
        help_text="member (UN entity or other intergovernmental body), observer (civil-society "
        "network) or partner.",
    )
    country = serializers.SerializerMethodField(
        help_text="Headquarters country as an ISO 3166-1 alpha-2 code; empty if not recorded."
    )
    website = serializers.CharField(read_only=True, help_text="Website address; may be empty.")
    description = serializers.CharField(read_only=True, help_text="Description (plain text).")
    joined_year = serializers.SerializerMethodField(
        help_text="The year the organisation joined the Task Force (the page shows the year "
        "only); null if not recorded."
    )
    left_year = serializers.SerializerMethodField(
        help_text="The year it left; null while the membership runs."
    )
    is_current = serializers.BooleanField(
        read_only=True, help_text="Whether the membership is running today."
    )
    url = PageUrlField(help_text="The absolute address of the organisation's public page.")
    api_url = ApiUrlField("organisation-detail")

    def get_country(self, organisation) -> str:
        return organisation.country.code or ""

    def get_joined_year(self, organisation) -> int | None:
        return organisation.joined_on.year if organisation.joined_on else None

    def get_left_year(self, organisation) -> int | None:
        return organisation.left_on.year if organisation.left_on else None


class OrganisationDetailSerializer(OrganisationSerializer):
    people = PublicPersonSerializer(
        source="public_people",
        many=True,
        read_only=True,
        help_text="Its people with a public profile, by name (nobody else is listed).",
    )
    offices = OfficeSerializer(
        many=True,
        read_only=True,
        help_text="The Task Force offices it has held: current ones first, then past ones.",
    )
