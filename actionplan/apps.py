from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django's app
        # loading allows only once every app is registered (ready() runs then).
        from actionplan.sections import organisation_action_items
        from actionplan.selectors import action_items_by_agenda_item
        from meetings.agenda import AgendaItemSection, register_agenda_item_section
        from members.sections import (
            OrganisationSection,
            register_focal_point_rule,
            register_organisation_section,
        )
        from untfsse.core import navigation

        # An organisation leading or contributing to an action needs focal points to report on
        # it, even a partner (ITCILO leads action 2.3).
        register_focal_point_rule(
            "action-items",
            lambda: Q(led_action_items__isnull=False) | Q(contributed_action_items__isnull=False),
        )
        navigation.register(label=_("Action plan"), url_name="actionplan:current", order=30)
        register_organisation_section(
            OrganisationSection(
                key="action-items-led",
                title=_("Action items led"),
                template_name="actionplan/_organisation_section.html",
                order=30,
                context=organisation_action_items,
            )
        )
        # The meeting page lists, under each agenda item, the action items it discusses.
        register_agenda_item_section(
            AgendaItemSection(
                key="action-items",
                template_name="actionplan/_agenda_item_actions.html",
                load=action_items_by_agenda_item,
                order=10,
            )
        )
