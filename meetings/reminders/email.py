"""The invitation, reminder and notice e-mails: one message to one person, in their language and
time zone.

`ReminderEmail` is their kind of delivery in the outbox (untfsse.core.outbox): the engine claims,
sends, records and backs off; this module says when a row should no longer go and builds its
message. Registered from MeetingsConfig.ready().
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from meetings.calendar import meeting_to_ical
from meetings.invitation_links import answer_paths
from meetings.models import Invitation, InvitationResponse, ReminderDelivery, ReminderKind
from meetings.reminders.schedule import SKIPPED_FOR_NEARER
from meetings.reminders.unsubscribe import unsubscribe_token
from members.models import Person
from members.standing import standing_of
from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.core.outbox.kinds import DeliveryKind
from untfsse.core.outbox.models import DeliveryState

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


def recipient_language(person: Person) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return person.preferred_language if person.preferred_language in codes else "en"


def recipient_zone(person: Person) -> zoneinfo.ZoneInfo:
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
    the meeting as an .ics attachment and the one-click unsubscribe headers (RFC 8058). The
    outbox adds the Message-ID (`delivery_message_id`)."""
    meeting, person = delivery.meeting, delivery.person
    language = recipient_language(person)
    with_join_link = sees_join_link(person)
    with translation.override(language):
        meeting_url = absolute_url(meeting.get_absolute_url())
        unsubscribe_url = absolute_url(
            reverse("meetings:unsubscribe", kwargs={"token": unsubscribe_token(person)})
        )
    answer_urls = {}
    if delivery.kind == ReminderKind.INVITATION:
        invitation = Invitation.objects.get(meeting_id=meeting.pk, person_id=person.pk)
        with translation.override(language):
            answer_urls = {
                response: absolute_url(path) for response, path in answer_paths(invitation).items()
            }
    context = {
        "meeting": meeting,
        "person": person,
        "delivery": delivery,
        "answer_urls": answer_urls,
        "zone": recipient_zone(person),
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
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        attachments=[
            (
                ICS_NAME,
                meeting_to_ical(
                    meeting,
                    include_join_link=with_join_link,
                    # An invitation asks the calendar program to add the event and to answer.
                    invite=person.email if delivery.kind == ReminderKind.INVITATION else "",
                ),
                ICS_TYPE,
            )
        ],
    ).build()


def reason_to_skip(delivery: ReminderDelivery, now: datetime.datetime) -> str:
    """Why this e-mail must not go out now (empty when it may). In English: it is a log entry
    the secretariat reads in the admin, not a message to the person."""
    meeting, person = delivery.meeting, delivery.person
    if delivery.kind == ReminderKind.CANCELLATION:
        if not meeting.is_cancelled:
            return "The meeting is not cancelled."
        if now >= delivery.scheduled_start:
            return "The meeting's time has passed."
    else:
        if meeting.is_cancelled:
            return "The meeting was cancelled."
        # An invitation tells the time the meeting has when it is sent, whatever it was when
        # the person was invited.
        if delivery.kind != ReminderKind.INVITATION and meeting.start != delivery.scheduled_start:
            return "The meeting was rescheduled."
        if meeting.has_started(now):
            return "The meeting has started."
        if delivery.kind == ReminderKind.REMINDER and _nearer_reminder_due(delivery):
            return SKIPPED_FOR_NEARER
    response = (
        Invitation.objects.filter(meeting_id=meeting.pk, person_id=person.pk)
        .values_list("response", flat=True)
        .first()
    )
    if response is None:
        return "The person is no longer invited."
    if response == InvitationResponse.DECLINED:
        return "The person declined the invitation."
    if delivery.kind != ReminderKind.INVITATION and not person.receives_reminders:
        return "The person turned reminders off."
    if not person.email:
        return "The person has no e-mail address."
    return ""


def _nearer_reminder_due(delivery: ReminderDelivery) -> bool:
    """A reminder nearer the start is due for the same person (one left pending while the
    worker was away, say): only that one goes."""
    return (
        ReminderDelivery.objects.filter(
            meeting_id=delivery.meeting_id,
            person_id=delivery.person_id,
            kind=ReminderKind.REMINDER,
            scheduled_start=delivery.scheduled_start,
            offset_hours__lt=delivery.offset_hours,
            state__in=(DeliveryState.PENDING, DeliveryState.SENT),
        )
        .exclude(pk=delivery.pk)
        .exists()
    )


class ReminderEmail(DeliveryKind):
    """Reminders, update notices and cancellation notices (ReminderDelivery rows)."""

    name = "meetings.reminder"
    model = ReminderDelivery

    def claimable(self):
        return ReminderDelivery.objects.select_related(
            "meeting", "person__user", "person__organisation"
        )

    def reason_to_skip(self, delivery, now):
        return reason_to_skip(delivery, now)

    def build_message(self, delivery, now):
        person = delivery.person
        delivery.email = person.email
        delivery.language = recipient_language(person)
        delivery.time_zone = recipient_zone(person).key
        return delivery_message(delivery, now=now)

    def message_id(self, delivery):
        return delivery_message_id(delivery)


REMINDER_EMAIL = ReminderEmail()
