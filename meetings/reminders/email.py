"""The reminder and notice e-mails: one message to one person, in their language and time zone."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from meetings.calendar import meeting_to_ical
from meetings.models import ReminderDelivery
from meetings.reminders.unsubscribe import unsubscribe_token
from members.models import Person
from members.standing import standing_of
from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain

TEMPLATES = "meetings/email/{kind}"
ICS_NAME = "meeting.ics"
ICS_TYPE = "text/calendar"


def delivery_message_id(delivery: ReminderDelivery) -> str:
    """The same for every attempt at this delivery, so a resend is folded into the first."""
    start = delivery.scheduled_start.astimezone(datetime.UTC)
    return f"<{delivery.kind}-{delivery.pk}.{start:%Y%m%dT%H%MZ}@{message_id_domain()}>"


def sees_join_link(person: Person) -> bool:
    """The join link is for focal points of current members and observers (and the
    secretariat): whoever sees it on the meeting page."""
    user = person.user
    if user is None or not user.is_active:
        return False
    return standing_of(user).sees_members_only_content


def _language(person: Person) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return person.preferred_language if person.preferred_language in codes else "en"


def _zone(person: Person) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _time_left(start: datetime.datetime, now: datetime.datetime) -> dict:
    """Whole days when 36 hours or more remain, else whole hours (at least one), rounded: a
    7-day reminder sent a few minutes late still reads "in 7 days"."""
    hours = (start - now).total_seconds() / 3600
    if hours >= 36:
        return {"days_left": round(hours / 24), "hours_left": None}
    return {"days_left": None, "hours_left": max(1, round(hours))}


def delivery_message(
    delivery: ReminderDelivery, *, now: datetime.datetime
) -> EmailMultiAlternatives:
    """The e-mail for this delivery (reminder, update or cancellation notice): HTML and text,
    the meeting as an .ics attachment, the one-click unsubscribe headers (RFC 8058) and a
    Message-ID that does not change between attempts."""
    meeting, person = delivery.meeting, delivery.person
    language = _language(person)
    with_join_link = sees_join_link(person)
    with translation.override(language):
        meeting_url = absolute_url(meeting.get_absolute_url())
        unsubscribe_url = absolute_url(
            reverse("meetings:unsubscribe", kwargs={"token": unsubscribe_token(person)})
        )
    context = {
        "meeting": meeting,
        "person": person,
        "delivery": delivery,
        "zone": _zone(person),
        "agenda": list(meeting.agenda_items.all()),
        "join_url": meeting.join_url if with_join_link else "",
        "meeting_url": meeting_url,
        "rsvp_url": f"{meeting_url}#rsvp",
        "unsubscribe_url": unsubscribe_url,
        "portal_url": absolute_url("/"),
        **_time_left(meeting.start, now),
    }
    return TemplatedEmail(
        to=person.email,
        template=TEMPLATES.format(kind=delivery.kind),
        context=context,
        language=language,
        headers={
            "Message-ID": delivery_message_id(delivery),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        attachments=[
            (ICS_NAME, meeting_to_ical(meeting, include_join_link=with_join_link), ICS_TYPE)
        ],
    ).build()
