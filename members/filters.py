import unicodedata

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members.models import Organisation, OrganisationKind

MEMBERSHIP_CHOICES = [("current", _("Current")), ("former", _("Former"))]


def _country_choices() -> list[tuple[str, str]]:
    """The countries organisations are in (not all 249), named in the reader's language and
    sorted by that name: one query."""
    codes = Organisation.objects.exclude(country="").values_list("country", flat=True)
    named = [(code, countries.name(code)) for code in set(codes.distinct().order_by())]
    return sorted(named, key=lambda choice: _sort_key(choice[1]))


def _sort_key(name: str) -> str:
    """Accents aside, as a reader would sort them (É with the E's, not after the Z)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or acronym"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds")
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=MEMBERSHIP_CHOICES,
        method="filter_membership",
        empty_label=_("Current and former"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=_country_choices, empty_label=_("All countries")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "membership", "country"]

    def filter_text(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(description__icontains=value)
        )

    def filter_membership(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.current(today) if value == "current" else queryset.former(today)
