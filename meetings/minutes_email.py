"""The e-mail telling focal points that a meeting's draft minutes were circulated.

`MinutesCirculationEmail` is its kind of delivery in the outbox (untfsse.core.outbox): the
circulation service writes one MinutesCirculationDelivery row per focal point in the same
transaction as the move; the engine claims, sends, records and backs off. Registered from
MeetingsConfig.ready().
"""

from django.utils import translation

from meetings.models import MinutesCirculationDelivery, MinutesStatus
from meetings.reminders.email import recipient_language, recipient_zone
from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.core.outbox.kinds import DeliveryKind

TEMPLATE = "meetings/email/minutes_circulated"


class MinutesCirculationEmail(DeliveryKind):
    """One focal point, one circulation: the meeting, its date and the page's link."""

    name = "meetings.minutes_circulated"
    model = MinutesCirculationDelivery

    def claimable(self):
        return MinutesCirculationDelivery.objects.select_related("minutes__meeting", "person__user")

    def reason_to_skip(self, delivery, now):
        if delivery.minutes.status == MinutesStatus.DRAFT:
            return "The minutes are no longer circulated."
        if not delivery.person.email:
            return "The person has no e-mail address."
        return ""

    def build_message(self, delivery, now):
        person, meeting = delivery.person, delivery.minutes.meeting
        delivery.email = person.email
        delivery.language = recipient_language(person)
        delivery.time_zone = recipient_zone(person).key
        with translation.override(delivery.language):
            meeting_url = absolute_url(meeting.get_absolute_url())
        return TemplatedEmail(
            to=person.email,
            template=TEMPLATE,
            context={"meeting": meeting, "person": person, "meeting_url": meeting_url},
            language=delivery.language,
            headers={"Auto-Submitted": "auto-generated"},
        ).build()

    def message_id(self, delivery):
        return f"<minutes-circulated-{delivery.pk}@{message_id_domain()}>"


MINUTES_CIRCULATION_EMAIL = MinutesCirculationEmail()
