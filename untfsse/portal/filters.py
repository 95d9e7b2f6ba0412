"""Filters of the secretariat's activity page (the audit trail, untfsse/core/audit.py)."""

import django_filters
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from untfsse.core.audit import action_label, action_labels
from untfsse.core.models import AuditEntry

# The areas whose services record entries: the apps, and allauth's e-mail addresses (verified
# by a superuser through members.services), in the order of the portal's navigation.
ACTIVITY_AREAS = ("members", "account", "meetings", "actionplan", "knowledgehub")
# A search of stored texts: longer input is cut, as the other filters do.
SEARCH_LENGTH = 100


def _area_choices() -> list[tuple[str, str]]:
    return [(label, apps.get_app_config(label).verbose_name) for label in ACTIVITY_AREAS]


def _type_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each area's models ("meetings.meeting"), grouped by area, without a database query."""
    groups = []
    for label in ACTIVITY_AREAS:
        app_config = apps.get_app_config(label)
        models = sorted(app_config.get_models(), key=lambda model: str(model._meta.verbose_name))
        groups.append(
            (
                str(app_config.verbose_name),
                [
                    (f"{label}.{model._meta.model_name}", str(model._meta.verbose_name))
                    for model in models
                ],
            )
        )
    return groups


def _action_choices() -> list[tuple[str, str]]:
    return sorted(((name, action_label(name)) for name in action_labels()), key=lambda c: c[1])


class AuditEntryFilter(django_filters.FilterSet):
    """A value outside the choices makes the form invalid, and the page lists nothing and says
    so (FilterView's strict mode), never a 500."""

    area = django_filters.ChoiceFilter(
        label=_("Area"), choices=_area_choices, empty_label=_("All areas")
    )
    type = django_filters.ChoiceFilter(
        label=_("Type of object"),
        choices=_type_choices,
        method="filter_type",
        empty_label=_("All types"),
    )
    object = django_filters.CharFilter(
        label=_("Object number"), field_name="object_id", method="filter_object"
    )
    q = django_filters.CharFilter(label=_("Object name contains"), method="filter_object_repr")
    person = django_filters.CharFilter(label=_("Who (name or e-mail)"), method="filter_person")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=_action_choices, empty_label=_("All actions")
    )

    class Meta:
        model = AuditEntry
        fields = ["area", "type", "object", "q", "person", "action"]

    def filter_type(self, queryset, name, value):
        app_label, model_name = value.split(".", 1)
        # Joined rather than looked up first: the same number of queries whatever the cache.
        return queryset.filter(content_type__app_label=app_label, content_type__model=model_name)

    def filter_object(self, queryset, name, value):
        value = value.strip()[:SEARCH_LENGTH]
        return queryset.filter(object_id=value) if value else queryset

    def filter_object_repr(self, queryset, name, value):
        value = value.strip()[:SEARCH_LENGTH]
        return queryset.filter(object_repr__icontains=value) if value else queryset

    def filter_person(self, queryset, name, value):
        # The stored label ("Name <e-mail>", "the system"): accounts deleted since are found too.
        value = value.strip()[:SEARCH_LENGTH]
        return queryset.filter(actor_label__icontains=value) if value else queryset
