from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which Django's app
        # loading allows only once every app is registered (ready() runs then).
        from meetings.minutes_email import MINUTES_CIRCULATION_EMAIL
        from meetings.reminders.email import REMINDER_EMAIL
        from meetings.sections import meetings_attended_context
        from members.sections import OrganisationSection, register_organisation_section
        from untfsse.core import navigation
        from untfsse.core.outbox.kinds import register_kind

        register_kind(REMINDER_EMAIL)
        register_kind(MINUTES_CIRCULATION_EMAIL)

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
