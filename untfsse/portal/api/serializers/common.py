"""Fields shared by every serializer: absolute page and API addresses, partial dates, and
brief references to organisations and meetings."""

import datetime

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from untfsse.core.markdown import render_markdown


def absolute(serializer_context: dict, path: str) -> str:
    return serializer_context["request"].build_absolute_uri(path)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the object's public page (its `get_absolute_url`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The absolute address of the object's public page.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return absolute(self.context, value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(serializers.Field):
    """The absolute address of the object in this API."""

    def __init__(self, view_name: str, lookup: str = "pk", **kwargs):
        kwargs.setdefault("help_text", "The absolute address of this object in the API.")
        super().__init__(source="*", read_only=True, **kwargs)
        self.view_name, self.lookup = view_name, lookup

    def to_representation(self, value):
        path = reverse(f"api:{self.view_name}", kwargs={"pk": getattr(value, self.lookup)})
        return absolute(self.context, path)


def partial_date(value: datetime.date | None, precision: str) -> str | None:
    """ "2022", "2023-07" or "2023-07-11": a date only as precisely as it is known."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@extend_schema_field(
    {"type": "string", "pattern": PARTIAL_DATE_PATTERN, "nullable": True, "example": "2023-07"}
)
class PartialDateField(serializers.Field):
    """A date written only as precisely as the records know it (year, year-month or day)."""

    def __init__(self, date_attribute: str, precision_attribute: str, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)
        self.date_attribute, self.precision_attribute = date_attribute, precision_attribute

    def to_representation(self, value):
        return partial_date(
            getattr(value, self.date_attribute), getattr(value, self.precision_attribute)
        )


@extend_schema_field(OpenApiTypes.STR)
class MarkdownHtmlField(serializers.Field):
    """Markdown rendered to sanitised HTML, as the public page shows it."""

    def __init__(self, source: str, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value):
        return str(render_markdown(value or ""))


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The organisation's stable id.")
    slug = serializers.CharField(
        read_only=True, help_text="The organisation's address: its page is /members/<slug>/."
    )
    acronym = serializers.CharField(read_only=True, help_text="Acronym or short name, e.g. ILO.")
    name = serializers.CharField(read_only=True, help_text="Full name.")
    url = PageUrlField(help_text="The absolute address of the organisation's public page.")


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The meeting's stable id.")
    slug = serializers.CharField(
        read_only=True, help_text="The meeting's address: its page is /meetings/<slug>/."
    )
    title = serializers.CharField(read_only=True, help_text="The meeting's title.")
    url = PageUrlField(help_text="The absolute address of the meeting's public page.")
