import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, MeetingKind, MeetingMode
from meetings.selectors import meeting_years, meetings_of_local_years
from members.models import Organisation, OrganisationKind
from untfsse.core.widgets import QuickSelect


def _year_choices():
    return [(str(year), str(year)) for year in meeting_years()]


class MeetingFilter(django_filters.FilterSet):
    """Filters of /meetings/. A value that is not one of the choices makes the form invalid,
    and the page then lists nothing with a message (FilterView's strict mode), never a 500."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MeetingKind.choices, empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        choices=_year_choices,
        method="filter_year",
        empty_label=_("All years"),
        widget=QuickSelect,
    )
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=MeetingMode.choices, empty_label=_("Any mode")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.MEMBER, OrganisationKind.OBSERVER]
        ).order_by("acronym"),
        to_field_name="slug",
        method="filter_organisation",
        empty_label=_("Any organisation"),
        widget=QuickSelect,
    )

    class Meta:
        model = Meeting
        fields = ["kind", "year", "mode", "organisation"]

    def filter_year(self, queryset, name, value):
        # The year of the meeting's first local day, as the year choices count it.
        return queryset.filter(pk__in=list(meetings_of_local_years(queryset, int(value))))

    def filter_organisation(self, queryset, name, value):
        attended = Meeting.objects.filter(attendances__organisation=value).values("pk")
        return queryset.filter(Q(pk__in=attended) | Q(organiser=value))
