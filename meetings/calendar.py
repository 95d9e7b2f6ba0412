"""Meetings as iCalendar (RFC 5545), for the .ics downloads, the subscribable feed and, later,
the reminder e-mails' attachments.

Each meeting is one VEVENT with a stable UID (`meeting-<pk>@untfsse-portal`) and SEQUENCE
taken from `Meeting.sequence`, which grows on every reschedule and on cancellation, so a
calendar program replaces the event it already holds. Timed meetings carry their own TZID (with
its VTIMEZONE); meetings known only by their dates are all-day events (VALUE=DATE); a cancelled
meeting has STATUS:CANCELLED.
"""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting, MeetingMode, SchedulePrecision
from untfsse.core.emails import absolute_url

PRODID = "-//UNTFSSE//UNTFSSE Portal meetings//EN"
UID_DOMAIN = "untfsse-portal"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _calendar(name: str | None = None, *, method: str = "PUBLISH") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _location(meeting: Meeting) -> str:
    if meeting.mode == MeetingMode.VIRTUAL:
        return "Online"
    return meeting.place


def meeting_event(
    meeting: Meeting, *, include_join_link: bool = False, now=None
) -> icalendar.Event:
    """The VEVENT of one meeting. The join link is members-only: it goes in only when the
    caller knows the calendar is for an invited person (e.g. a reminder e-mail)."""
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    if meeting.schedule_precision == SchedulePrecision.TIME:
        event.add("dtstart", meeting.local_start)
        event.add("dtend", meeting.local_end)
    else:
        # All-day: DTEND is the day after the last day (exclusive), as stored.
        event.add("dtstart", meeting.first_day)
        event.add("dtend", meeting.last_day + datetime.timedelta(days=1))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    location = _location(meeting)
    if location:
        event.add("location", location)
    url = absolute_url(meeting.get_absolute_url())
    event.add("url", url)
    description = [url]
    if include_join_link and meeting.join_url:
        description.insert(0, f"Join: {meeting.join_url}")
    event.add("description", "\n".join(description))
    return event


def meetings_to_ical(
    meetings: Iterable[Meeting], *, name: str | None = None, include_join_link: bool = False
) -> bytes:
    calendar = _calendar(name)
    now = timezone.now()
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, include_join_link=include_join_link, now=now))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_to_ical(
    meeting: Meeting, *, include_join_link: bool = False, invite: str = ""
) -> bytes:
    """One meeting as a complete .ics file (reused by the reminder e-mails).

    With `invite` (the invitee's address) it is an invitation (iTIP, RFC 5546): METHOD:REQUEST,
    the portal as ORGANIZER and the invitee as ATTENDEE, with the meeting's own UID and
    SEQUENCE, so calendar programs offer to add it and later updates replace it.
    """
    if not invite:
        return meetings_to_ical(
            [meeting], name=settings.SITE_NAME, include_join_link=include_join_link
        )
    calendar = _calendar(settings.SITE_NAME, method="REQUEST")
    event = meeting_event(meeting, include_join_link=include_join_link)
    organiser = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organiser.params["cn"] = icalendar.vText(settings.SITE_NAME)
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{invite}")
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
    # Answers come through the e-mail's links: a reply to the no-reply sender would be lost.
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
