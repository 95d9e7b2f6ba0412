"""Meetings as iCalendar (RFC 5545), for the .ics downloads, the subscribable feed and the
reminder e-mails' attachments.

Each meeting is one VEVENT with a stable UID (`meeting-<pk>@untfsse-portal`) and SEQUENCE
taken from `Meeting.sequence`, which grows on every reschedule and on cancellation, so a
calendar program replaces the event it already holds. Timed meetings carry their own TZID (with
its VTIMEZONE); meetings known only by their dates are all-day events (VALUE=DATE); a cancelled
meeting has STATUS:CANCELLED. DTSTAMP is the meeting's last change, so the same meetings always
give the same bytes (and the same ETag).

The events are written as text here, a dozen fixed properties each: building them through the
icalendar library's objects cost about 1 ms an event, most of a second for the feed. The
VTIMEZONE definitions still come from the library, each built once per time zone and range of
years (and kept by the process: a zone's rules do not change while it runs), covering only the
years of the calendar's meetings.
"""

import datetime
import functools
from collections.abc import Iterable
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.urls import reverse

from meetings.models import Meeting, MeetingMode, SchedulePrecision
from untfsse.core.emails import absolute_url

PRODID = "-//UNTFSSE//UNTFSSE Portal meetings//EN"
UID_DOMAIN = "untfsse-portal"
_SLUG = "meeting-slug"  # stands for each meeting's slug in its address, made once per calendar


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _escaped(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _folded(line: str) -> str:
    """One content line, folded at 75 octets without splitting a UTF-8 character (3.1)."""
    if line.isascii():
        if len(line) <= 75:
            return line + "\r\n"
        rest = line[75:]
        return (
            "\r\n ".join([line[:75], *(rest[i : i + 74] for i in range(0, len(rest), 74))]) + "\r\n"
        )
    parts, current, size = [], [], 0
    limit = 75
    for character in line:
        width = len(character.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _location(meeting: Meeting, known: dict | None = None) -> str:
    """Where, escaped; `known` remembers the places of one calendar (country names are looked
    up and translated, and most meetings share a handful of places)."""
    if meeting.mode == MeetingMode.VIRTUAL:
        return "Online"
    if known is None:
        return _escaped(meeting.place)
    key = (meeting.mode, meeting.venue, meeting.city, meeting.country.code)
    if key not in known:
        known[key] = _escaped(meeting.place)
    return known[key]


def _address_maker():
    """The absolute address of a meeting's page from its slug, reversing the URL once."""
    pattern = absolute_url(reverse("meetings:detail", kwargs={"slug": _SLUG}))
    before, after = pattern.split(_SLUG, 1)
    return lambda slug: f"{before}{slug}{after}"


def meeting_event(
    meeting: Meeting,
    *,
    include_join_link: bool = False,
    address=None,
    places=None,
    extra_lines: Iterable[str] = (),
) -> str:
    """The VEVENT of one meeting, as text. The join link is members-only: it goes in only when
    the caller knows the calendar is for an invited person (e.g. a reminder e-mail).
    `address` and `places` are what meetings_to_ical works out once for all its events;
    `extra_lines` are further properties (an invitation's ORGANIZER and ATTENDEE)."""
    url = (address or _address_maker())(meeting.slug)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
        f"SEQUENCE:{meeting.sequence}",
        f"SUMMARY:{_escaped(meeting.title)}",
    ]
    if meeting.schedule_precision == SchedulePrecision.TIME:
        zone = meeting.time_zone
        lines.append(f"DTSTART;TZID={zone}:{meeting.local_start:%Y%m%dT%H%M%S}")
        lines.append(f"DTEND;TZID={zone}:{meeting.local_end:%Y%m%dT%H%M%S}")
    else:
        # All-day: DTEND is the day after the last day (exclusive), as stored.
        lines.append(f"DTSTART;VALUE=DATE:{meeting.first_day:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{meeting.last_day + datetime.timedelta(days=1):%Y%m%d}")
    lines.append(f"STATUS:{'CANCELLED' if meeting.is_cancelled else 'CONFIRMED'}")
    location = _location(meeting, places)
    if location:
        lines.append(f"LOCATION:{location}")
    lines.append(f"URL:{url}")
    description = [url]
    if include_join_link and meeting.join_url:
        description.insert(0, f"Join: {meeting.join_url}")
    lines.append(f"DESCRIPTION:{_escaped(chr(10).join(description))}")
    lines.extend(extra_lines)
    lines.append("END:VEVENT")
    return "".join(_folded(line) for line in lines)


@functools.lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of `tzid` from 1 January of `first_year` to the end of `last_year`, as
    text; "" for a zone the library does not know."""
    try:
        zone = icalendar.Timezone.from_tzid(
            tzid,
            first_date=datetime.date(first_year, 1, 1),
            last_date=datetime.date(last_year + 1, 1, 1),
        )
    except ValueError:
        return ""
    return zone.to_ical().decode()


def meetings_to_ical(
    meetings: Iterable[Meeting],
    *,
    name: str | None = None,
    include_join_link: bool = False,
    method: str = "PUBLISH",
    extra_lines: Iterable[str] = (),
) -> bytes:
    """A calendar of these meetings: one VTIMEZONE per time zone of a timed meeting, covering
    the years of its meetings, then one VEVENT per meeting."""
    address, places = _address_maker(), {}
    events, years = [], {}
    for meeting in meetings:
        events.append(
            meeting_event(
                meeting,
                include_join_link=include_join_link,
                address=address,
                places=places,
                extra_lines=extra_lines,
            )
        )
        if meeting.schedule_precision == SchedulePrecision.TIME:
            first, last = meeting.local_start.year, meeting.local_end.year
            known = years.get(meeting.time_zone)
            years[meeting.time_zone] = (
                (min(first, known[0]), max(last, known[1])) if known else (first, last)
            )
    head = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        head.append(f"X-WR-CALNAME:{_escaped(str(name))}")
    text = [
        "".join(_folded(line) for line in head),
        *(vtimezone(tzid, *span) for tzid, span in sorted(years.items())),
        *events,
        "END:VCALENDAR\r\n",
    ]
    return "".join(text).encode()


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
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    site_name = str(settings.SITE_NAME).replace('"', "")
    return meetings_to_ical(
        [meeting],
        name=settings.SITE_NAME,
        include_join_link=include_join_link,
        method="REQUEST",
        extra_lines=[
            f'ORGANIZER;CN="{site_name}":mailto:{sender}',
            # Answers come through the e-mail's links: a reply to the no-reply sender would be
            # lost, so the calendar program is told not to send one.
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{invite}",
        ],
    )
