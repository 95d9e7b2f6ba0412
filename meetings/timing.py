"""How a meeting's timing reads on pages and in e-mails, and how typed local times become
instants.

A meeting with exact times shows them in its own time zone and, for the viewer, in theirs.
A meeting known only by its dates (or month) shows those, and is never converted into another
time zone: it has no hour to convert (see SchedulePrecision).
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from meetings.models import Meeting, SchedulePrecision


def _days(first: datetime.date, last: datetime.date) -> str:
    if first == last:
        return date_format(first, "DATE_FORMAT")
    return _("%(first)s – %(last)s") % {
        "first": date_format(first, "DATE_FORMAT"),
        "last": date_format(last, "DATE_FORMAT"),
    }


def _timed(start: datetime.datetime, end: datetime.datetime, zone_label: str) -> str:
    if start.date() == end.date():
        text = _("%(day)s, %(start)s–%(end)s") % {
            "day": date_format(start.date(), "DATE_FORMAT"),
            "start": time_format(start.time(), "H:i"),
            "end": time_format(end.time(), "H:i"),
        }
    else:
        text = _("%(start)s – %(end)s") % {
            "start": date_format(start, "DATE_FORMAT") + " " + time_format(start.time(), "H:i"),
            "end": date_format(end, "DATE_FORMAT") + " " + time_format(end.time(), "H:i"),
        }
    return f"{text} ({zone_label})"


def local_when(meeting: Meeting) -> str:
    """The meeting's timing in its own time zone: "July 11, 2023", "May 2023", or
    "Sept. 12, 2023, 14:00–16:00 (Europe/Zurich)"."""
    if meeting.schedule_precision == SchedulePrecision.MONTH:
        return date_format(meeting.first_day, "YEAR_MONTH_FORMAT")
    if meeting.schedule_precision == SchedulePrecision.DAY:
        return _days(meeting.first_day, meeting.last_day)
    return _timed(meeting.local_start, meeting.local_end, meeting.time_zone)


def meeting_day(meeting: Meeting) -> str:
    """The meeting's (first) day, as precisely as it is known: "July 11, 2023" or, for a
    meeting known only to the month, "October 2023" (never its placeholder first day)."""
    if meeting.schedule_precision == SchedulePrecision.MONTH:
        return date_format(meeting.first_day, "YEAR_MONTH_FORMAT")
    return date_format(meeting.first_day, "DATE_FORMAT")


def viewer_when(meeting: Meeting, zone: zoneinfo.ZoneInfo) -> str:
    """The same times in the viewer's time zone; empty when the meeting has no known hours or
    the viewer is in the meeting's own time zone."""
    if not meeting.has_times:
        return ""
    start, end = meeting.start.astimezone(zone), meeting.end.astimezone(zone)
    if str(zone) == meeting.time_zone:
        return ""
    return _timed(start, end, str(zone))


# --- Typed local times ----------------------------------------------------------------------
def local_instant(local: datetime.datetime, time_zone: str) -> datetime.datetime:
    """The instant a wall-clock time (naive) names in `time_zone`, as an aware datetime in that
    zone.

    Raises ValidationError (code "nonexistent") for a time the clocks skip when they go
    forward, and ("ambiguous") for one they show twice when they go back: the meeting's time
    would be a guess.
    """
    zone = zoneinfo.ZoneInfo(time_zone)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    params = {
        "time": date_format(local, "DATE_FORMAT") + " " + time_format(local.time(), "H:i"),
        "zone": time_zone,
    }
    round_trip = first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != local:
        raise ValidationError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks go forward that night and "
                "skip this hour. Choose a time outside it."
            ),
            code="nonexistent",
            params=params,
        )
    raise ValidationError(
        _(
            "%(time)s happens twice in %(zone)s: the clocks go back that night and repeat this "
            "hour. Choose a time outside it."
        ),
        code="ambiguous",
        params=params,
    )
