"""The iCalendar files, parsed back with the icalendar library."""

import datetime
import zoneinfo

import icalendar
import pytest

from meetings.calendar import meeting_to_ical
from meetings.models import MeetingStatus, SchedulePrecision
from meetings.services import (
    SYSTEM,
    date_only_span,
    meeting_cancel,
    meeting_reschedule,
    month_only_span,
)
from tests.factories.meetings import MeetingFactory, PastMeetingFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def events(content: bytes) -> list:
    return icalendar.Calendar.from_ical(content).walk("VEVENT")


@pytest.fixture
def meeting():
    return MeetingFactory(
        slug="45th-regular-meeting",
        title="45th Regular Meeting",
        start=datetime.datetime(2035, 9, 12, 12, 0, tzinfo=UTC),
        end=datetime.datetime(2035, 9, 12, 14, 0, tzinfo=UTC),
        time_zone="Europe/Zurich",
    )


def test_meeting_ics_has_tzid_times_uid_and_sequence(client, meeting):
    response = client.get("/meetings/45th-regular-meeting/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="45th-regular-meeting.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    (event,) = calendar.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime.datetime(2035, 9, 12, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))
    assert str(start.tzinfo) == "Europe/Zurich"
    assert start.astimezone(UTC) == datetime.datetime(2035, 9, 12, 12, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime.datetime(2035, 9, 12, 14, 0, tzinfo=UTC)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@untfsse-portal"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "45th Regular Meeting"
    # The join link is members-only: never in the public file.
    assert b"meet.example.org" not in response.content


def test_sequence_grows_on_each_reschedule_and_uid_stays(client, meeting):
    meeting_reschedule(
        meeting=meeting,
        start=datetime.datetime(2035, 9, 19, 12, 0, tzinfo=UTC),
        end=datetime.datetime(2035, 9, 19, 14, 0, tzinfo=UTC),
        by=SYSTEM,
    )
    (event,) = events(client.get("/meetings/45th-regular-meeting/calendar.ics").content)
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").astimezone(UTC) == datetime.datetime(
        2035, 9, 19, 12, 0, tzinfo=UTC
    )
    meeting_reschedule(
        meeting=meeting,
        start=datetime.datetime(2035, 9, 19, 13, 0, tzinfo=UTC),
        end=datetime.datetime(2035, 9, 19, 15, 0, tzinfo=UTC),
        by=SYSTEM,
    )
    (event,) = events(client.get("/meetings/45th-regular-meeting/calendar.ics").content)
    assert (event["SEQUENCE"], str(event["UID"])) == (2, f"meeting-{meeting.pk}@untfsse-portal")


def test_cancelled_meeting_has_status_cancelled(client, meeting):
    meeting_cancel(meeting=meeting, by=SYSTEM)
    (event,) = events(client.get("/meetings/45th-regular-meeting/calendar.ics").content)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_date_only_meeting_is_an_all_day_event():
    start, end = date_only_span(
        first_day=datetime.date(2019, 11, 21),
        last_day=datetime.date(2019, 11, 22),
        time_zone="Europe/Rome",
    )
    meeting = PastMeetingFactory(
        start=start, end=end, time_zone="Europe/Rome", schedule_precision=SchedulePrecision.DAY
    )
    (event,) = events(meeting_to_ical(meeting))
    assert event.decoded("DTSTART") == datetime.date(2019, 11, 21)
    assert event.decoded("DTEND") == datetime.date(2019, 11, 23)


def test_join_link_only_when_asked_for():
    meeting = MeetingFactory(join_url="https://meet.example.org/room-7")
    assert b"room-7" not in meeting_to_ical(meeting)
    (event,) = events(meeting_to_ical(meeting, include_join_link=True))
    assert "Join: https://meet.example.org/room-7" in str(event["DESCRIPTION"])


def test_month_only_meeting_has_no_calendar_file(client):
    start, end = month_only_span(year=2023, month=5, time_zone="Europe/Zurich")
    PastMeetingFactory(
        slug="sometime-in-may", start=start, end=end, schedule_precision=SchedulePrecision.MONTH
    )
    assert client.get("/meetings/sometime-in-may/calendar.ics").status_code == 404


def test_calendar_feed_lists_upcoming_recent_and_cancelled_meetings(client):
    upcoming = MeetingFactory(title="Upcoming")
    cancelled = MeetingFactory(title="Called off", status=MeetingStatus.CANCELLED)
    recent = PastMeetingFactory(title="Last month")
    PastMeetingFactory(
        title="Long ago",
        start=datetime.datetime(2015, 1, 1, 12, tzinfo=UTC),
        end=datetime.datetime(2015, 1, 1, 14, tzinfo=UTC),
    )
    response = client.get("/meetings/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = {str(event["UID"]): str(event["STATUS"]) for event in events(response.content)}
    assert found == {
        f"meeting-{recent.pk}@untfsse-portal": "CONFIRMED",
        f"meeting-{upcoming.pk}@untfsse-portal": "CONFIRMED",
        f"meeting-{cancelled.pk}@untfsse-portal": "CANCELLED",
    }
