"""Filters of the API lists that have no page of their own (people, offices, progress
updates); the other lists use their page's FilterSet as it is."""

import django_filters
from django.db.models import F

from actionplan.models import ProgressUpdate
from meetings.filters import MeetingFilter
from members.models import Office, Organisation, Person, Role


class PersonFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        help_text="Only people of this organisation (its slug, e.g. ilo).",
    )

    class Meta:
        model = Person
        fields = ["organisation"]


class OfficeFilter(django_filters.FilterSet):
    office = django_filters.ChoiceFilter(choices=Office.choices, help_text="Only this office.")
    # A choice, not a BooleanFilter: that one takes any other word for "no filter".
    current = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_current",
        help_text="true: offices held now; false: offices held before.",
    )

    class Meta:
        model = Role
        fields = ["office", "current"]

    def filter_current(self, queryset, name, value: str):
        return queryset.filter(ended_on__isnull=value == "true")


WHEN_CHOICES = [("upcoming", "upcoming"), ("past", "past")]


class ApiMeetingFilter(MeetingFilter):
    """The meetings page's filters, and `when`: the page's split into upcoming and past
    meetings, each in the order the page shows it."""

    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES,
        method="filter_when",
        help_text="upcoming: meetings not over yet, soonest first; past: meetings that are "
        "over, latest first. Without it: every meeting, latest start first.",
    )

    class Meta(MeetingFilter.Meta):
        fields = [*MeetingFilter.Meta.fields, "when"]

    # Type hints for the OpenAPI description (the page's FilterSet has none).
    def filter_year(self, queryset, name, value: int):
        return super().filter_year(queryset, name, value)

    def filter_organisation(self, queryset, name, value: str):
        return super().filter_organisation(queryset, name, value)

    def filter_when(self, queryset, name, value):
        if value == "upcoming":
            return queryset.upcoming()
        return queryset.past()


class ProgressUpdateFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        help_text="Only updates dated on or after this day (YYYY-MM-DD).",
    )

    class Meta:
        model = ProgressUpdate
        fields = ["since"]


# By office, then current holders first, then the most recent.
OFFICE_ORDER = [
    "office",
    F("ended_on").desc(nulls_first=True),
    F("started_on").desc(nulls_last=True),
    "pk",
]
