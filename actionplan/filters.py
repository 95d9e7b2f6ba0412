import django_filters
from django.utils.translation import gettext_lazy as _

from actionplan.models import TRANSVERSAL_KEY, ActionItem, ActionItemStatus, PriorityArea
from members.models import Organisation
from untfsse.core.widgets import QuickSelect


class ActionItemFilter(django_filters.FilterSet):
    """Filters of a plan's page. An unknown value makes the form invalid, and the page then
    lists nothing and says why, rather than quietly ignoring the filter."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActionItemStatus.choices, empty_label=_("All statuses")
    )
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead organisation"),
        field_name="lead_organisations",
        to_field_name="slug",
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
        widget=QuickSelect,
    )
    area = django_filters.ChoiceFilter(
        label=_("Priority area"), choices=[], method="filter_area", empty_label=_("All areas")
    )

    class Meta:
        model = ActionItem
        fields = ["status", "lead", "area"]

    def __init__(self, data=None, queryset=None, *, plan, areas: list[PriorityArea], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["lead"].queryset = (
            Organisation.objects.filter(led_action_items__plan=plan)
            .distinct()
            .order_by("acronym")
            .only("pk", "slug", "acronym")  # the choices show the acronym only
        )
        self.filters["area"].extra["choices"] = [
            (area.key, f"{area.label}: {area.title}") for area in areas
        ]

    def filter_area(self, queryset, name, value):
        if value == TRANSVERSAL_KEY:
            return queryset.filter(area__number__isnull=True)
        return queryset.filter(area__number=int(value))
