from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django's app
        # loading allows only once every app is registered (ready() runs then).
        from meetings.sections import meetings_attended_context
        from members.sections import OrganisationSection, register_organisation_section
        from untfsse.core import navigation

        navigation.register(label=_("Meetings"), url_name="meetings:list", order=20)
        register_organisation_section(
            OrganisationSection(
                key="meetings-attended",
                title=_("Meetings attended"),
                template_name="meetings/_organisation_meetings.html",
                order=20,
                context=meetings_attended_context,
            )
        )
