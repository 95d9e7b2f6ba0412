"""The Knowledge Hub's filters (django-filter), combined with the search query by `search.py`."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from knowledgehub.models import ResourceKind, ResourceLanguage, Theme
from members.models import Organisation

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_OLDEST = "oldest"
SORT_CHOICES = [
    (SORT_RELEVANCE, _("Relevance")),
    (SORT_NEWEST, _("Newest first")),
    (SORT_OLDEST, _("Oldest first")),
]
# Numbers, as the goal's column is (the API's description then lists integers, as its type says;
# the form still compares them with the text of the address).
SDG_CHOICES = [(number, f"SDG {number}") for number in range(1, 18)]
MIN_YEAR, MAX_YEAR = 1900, 2100


class ResourceFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        year_from, year_to = cleaned_data.get("year_from"), cleaned_data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", _("The last year comes before the first."))
        return cleaned_data


class ResourceFilter(django_filters.FilterSet):
    """Each filter narrows the published resources; `search.py` also runs every filter but one
    to count the values of that one (the facets)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ResourceKind.choices)
    sdg = django_filters.ChoiceFilter(
        label=_("Sustainable Development Goal"), choices=SDG_CHOICES, field_name="sdgs__number"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="themes",
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=ResourceLanguage.choices)
    year_from = django_filters.NumberFilter(
        label=_("Published from (year)"),
        field_name="published_on__year",
        lookup_expr="gte",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    year_to = django_filters.NumberFilter(
        label=_("Published until (year)"),
        field_name="published_on__year",
        lookup_expr="lte",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        field_name="organisations",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="ignore", empty_label=None
    )

    # The facets: the filter whose values are counted, and the filters it leaves out.
    FACETS = {
        "kind": ("kind",),
        "sdg": ("sdg",),
        "theme": ("theme",),
        "language": ("language",),
        "year": ("year_from", "year_to"),
        "organisation": ("organisation",),
    }

    class Meta:
        form = ResourceFilterForm

    def ignore(self, queryset, name, value):
        return queryset  # sorting is the search's business

    def apply(self, queryset, *, leaving_out: tuple[str, ...] = ()):
        """The queryset narrowed by every valid filter except those named."""
        for name, value in self.form.cleaned_data.items():
            if name in leaving_out or value in (None, "", []):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def active(self) -> dict:
        """The filters in use, with their cleaned values (sort is not a filter)."""
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and value not in (None, "", [])
        }
