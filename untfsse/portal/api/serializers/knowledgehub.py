"""Knowledge Hub resources (and the tombstones of withdrawn ones) and calls for papers."""

import datetime

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from knowledgehub.models import (
    CallEligibility,
    Licence,
    ResourceKind,
    ResourceLanguage,
)
from knowledgehub.search import highlighted
from members.models import DatePrecision
from untfsse.portal.api.serializers.common import (
    ApiUrlField,
    MarkdownHtmlField,
    OrganisationRefSerializer,
    PageUrlField,
    PartialDateField,
    absolute,
)


class SdgSerializer(serializers.Serializer):
    number = serializers.IntegerField(read_only=True, help_text="The goal's number, 1 to 17.")
    name = serializers.CharField(read_only=True, help_text="The goal's short name (English).")


class ThemeSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text="The theme's address (`theme` filter).")
    name = serializers.CharField(read_only=True, help_text="The theme's name.")


@extend_schema_field(OpenApiTypes.URI)
class ResourceAddressField(serializers.Field):
    """The absolute address of one of the resource's pages (download, cite.bib, cite.ris)."""

    def __init__(self, url_name: str, *, only_with_pdf: bool = False, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)
        self.url_name, self.only_with_pdf = url_name, only_with_pdf

    def to_representation(self, resource):
        if self.only_with_pdf and not resource.pdf:
            return None
        path = reverse(self.url_name, kwargs={"pk": resource.pk, "slug": resource.slug})
        return absolute(self.context, path)


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The resource's stable id.")
    status = serializers.SerializerMethodField(
        help_text="Always published here; withdrawn resources are tombstones."
    )
    title = serializers.CharField(read_only=True, help_text="The title.")
    kind = serializers.ChoiceField(
        choices=ResourceKind.choices, read_only=True, help_text="What kind of resource it is."
    )
    abstract = serializers.CharField(read_only=True, help_text="The abstract (plain text).")
    authors = serializers.SerializerMethodField(help_text="The authors' names, in order.")
    organisations = OrganisationRefSerializer(
        many=True,
        read_only=True,
        source="organisations.all",
        help_text="The organisations that produced or published it.",
    )
    published = PartialDateField(
        "published_on",
        "published_precision",
        help_text="The publication date as precisely as known (2022, 2022-06 or 2022-06-30); "
        "null if unknown.",
    )
    published_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, read_only=True, help_text="How much of `published` is known."
    )
    language = serializers.ChoiceField(
        choices=ResourceLanguage.choices,
        read_only=True,
        help_text="The language it is written in (ISO 639-1), or other.",
    )
    sdgs = SdgSerializer(
        many=True,
        read_only=True,
        source="sdgs.all",
        help_text="The Sustainable Development Goals it addresses.",
    )
    themes = ThemeSerializer(
        many=True, read_only=True, source="themes.all", help_text="The themes it is filed under."
    )
    licence = serializers.ChoiceField(
        choices=Licence.choices, read_only=True, help_text="Its licence (an SPDX-like code)."
    )
    licence_url = serializers.CharField(
        read_only=True, help_text="The licence's address; empty for licences without one."
    )
    doi = serializers.CharField(
        read_only=True, help_text="The DOI, e.g. 10.1234/abcd; may be empty."
    )
    external_url = serializers.CharField(
        read_only=True, help_text="Where it can be read elsewhere; may be empty."
    )
    pdf_url = ResourceAddressField(
        "knowledgehub:download",
        only_with_pdf=True,
        allow_null=True,
        help_text="The portal's (counted) download address of its PDF; null without a PDF.",
    )
    download_count = serializers.IntegerField(
        read_only=True, help_text="How many times its PDF has been downloaded from the portal."
    )
    bibtex_url = ResourceAddressField("knowledgehub:cite_bib", help_text="Its citation as BibTeX.")
    ris_url = ResourceAddressField("knowledgehub:cite_ris", help_text="Its citation as RIS.")
    url = PageUrlField(help_text="The absolute address of the resource's public page.")
    api_url = ApiUrlField("resource-detail")

    def get_status(self, resource) -> str:
        return resource.status

    def get_authors(self, resource) -> list[str]:
        return [author.name for author in resource.authors.all()]


class SearchResultSerializer(ResourceSerializer):
    snippet = serializers.SerializerMethodField(
        help_text="For a full-text search on PostgreSQL, the passages that match as HTML (text "
        "escaped, matches in <mark>); null otherwise."
    )

    def get_snippet(self, resource) -> str | None:
        headline = getattr(resource, "headline", None)
        return str(highlighted(headline)) if headline else None


class TombstoneSerializer(serializers.Serializer):
    """What remains of a withdrawn resource: nothing but this."""

    id = serializers.IntegerField(read_only=True, help_text="The resource's stable id.")
    status = serializers.SerializerMethodField(help_text="Always withdrawn.")
    title = serializers.CharField(read_only=True, help_text="The title it had.")
    withdrawn_on = serializers.SerializerMethodField(
        help_text="The day it was withdrawn (UTC, ISO date)."
    )
    withdrawal_reason = serializers.CharField(
        read_only=True, help_text="Why the secretariat withdrew it."
    )
    url = PageUrlField(
        help_text="The absolute address of its page, which now answers 410 with this tombstone."
    )

    def get_status(self, resource) -> str:
        return resource.status

    @extend_schema_field(OpenApiTypes.DATE)
    def get_withdrawn_on(self, resource) -> str:
        return resource.withdrawn_at.astimezone(datetime.UTC).date().isoformat()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True, help_text="The filter's value.")
    label = serializers.CharField(read_only=True, help_text="Its label, as the page shows it.")
    count = serializers.IntegerField(read_only=True, help_text="Matching resources with it.")
    selected = serializers.BooleanField(read_only=True, help_text="Whether the filter uses it.")
    exact = serializers.BooleanField(
        read_only=True,
        help_text="Whether `count` is exact (when `facets_estimated` is true, some counts may "
        "be all the same: those counted among the few matches a selective filter keeps, and a "
        "chosen value's when `count_estimated` is false).",
    )


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The call's stable id.")
    slug = serializers.CharField(
        read_only=True, help_text="The call's address: its page is /knowledge-hub/calls/<slug>/."
    )
    title = serializers.CharField(read_only=True, help_text="The call's title.")
    state = serializers.SerializerMethodField(
        help_text="open (taking submissions), upcoming (not open yet) or closed."
    )
    opens_at = serializers.DateTimeField(read_only=True, help_text="When it opens (UTC).")
    closes_at = serializers.DateTimeField(read_only=True, help_text="When it closes (UTC).")
    eligibility = serializers.ChoiceField(
        choices=CallEligibility.choices,
        read_only=True,
        help_text="Who may submit: affiliated (focal points of members and observers) or "
        "verified (anyone with a verified e-mail address).",
    )
    themes = ThemeSerializer(
        many=True, read_only=True, source="themes.all", help_text="The call's themes."
    )
    description = serializers.CharField(
        read_only=True, help_text="What the call asks for, as written (Markdown)."
    )
    description_html = MarkdownHtmlField(
        "description", help_text="The description as sanitised HTML, as the call's page shows it."
    )
    url = PageUrlField(help_text="The absolute address of the call's public page.")

    @extend_schema_field({"type": "string", "enum": ["open", "upcoming", "closed"]})
    def get_state(self, call) -> str:
        now = self.context["now"]
        if call.is_open(now):
            return "open"
        return "upcoming" if call.has_not_opened(now) else "closed"
