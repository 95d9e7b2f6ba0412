from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def organisation_action_items(*, organisation, request) -> dict | None:
    """The "Action items led" section of an organisation's page (None when it leads none)."""
    from actionplan.selectors import items_led_by

    items = items_led_by(organisation)
    return {"led_items": items} if items else None


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from members.sections import OrganisationSection, register_organisation_section
        from untfsse.core import navigation

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
