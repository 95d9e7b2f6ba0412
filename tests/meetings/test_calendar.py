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
from tests.factories import UserFactory
from tests.factories.meetings import MeetingFactory, PastMeetingFactory
from untfsse.core.cache import ContentArea, advance_content_versions

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


def test_sequence_grows_on_each_reschedule_and_uid_stays(
    client, meeting, django_capture_on_commit_callbacks
):
    client.get("/meetings/45th-regular-meeting/calendar.ics")  # kept, until a change commits
    with django_capture_on_commit_callbacks(execute=True):
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
    with django_capture_on_commit_callbacks(execute=True):
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


# --- Kept per content version, with validators ------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/meetings/45th-regular-meeting/calendar.ics", "/meetings/calendar.ics"]
)
def test_calendars_answer_304_while_nothing_changed_and_200_after_a_change(
    client, meeting, path, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"
    # Kept: a second reader (signed in or not) costs no query, and gets the same bytes.
    client.force_login(UserFactory())
    with django_assert_num_queries(0):
        again = client.get(path)
    assert (again.content, again["ETag"]) == (first.content, etag)
    client.logout()
    with django_assert_num_queries(0):
        by_etag = client.get(path, HTTP_IF_NONE_MATCH=etag)
        by_date = client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", etag)
    assert (by_date.status_code, by_date["Last-Modified"]) == (304, last_modified)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=SYSTEM)
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert [str(event["STATUS"]) for event in events(changed.content)] == ["CANCELLED"]


def test_each_worker_keeps_the_calendars_it_served_while_their_versions_hold(
    client, meeting, monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The feed is large: a worker answers it from its own copy, asking the cache only for the
    content versions, and makes it again once they change."""
    from django.core.cache import cache

    asked: list[list[str]] = []
    get_many = cache.get_many

    def recording(keys, *args, **kwargs):
        asked.append(list(keys))
        return get_many(keys, *args, **kwargs)

    first = client.get("/meetings/calendar.ics")
    monkeypatch.setattr(cache, "get_many", recording)
    with django_assert_num_queries(0):
        again = client.get("/meetings/calendar.ics")
    assert (again.status_code, again.content, again["ETag"]) == (200, first.content, first["ETag"])
    assert asked == [["content-version:meetings"]]
    # A response is never handed out twice: what the middleware does to one is not in the next.
    again["X-Changed"] = "1"
    assert "X-Changed" not in client.get("/meetings/calendar.ics")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=SYSTEM)
    changed = client.get("/meetings/calendar.ics")
    assert [str(event["STATUS"]) for event in events(changed.content)] == ["CANCELLED"]


def test_a_worker_keeps_eight_calendars_at_most(client):
    """The copies a worker keeps are bounded (memory): a ninth calendar pushes out the one
    served longest ago."""
    from untfsse.core import cache as page_cache

    page_cache._local_answers.clear()
    slugs = [MeetingFactory(slug=f"webinar-{number}").slug for number in range(9)]
    for slug in slugs:
        assert client.get(f"/meetings/{slug}/calendar.ics").status_code == 200

    def kept():
        return [key.split(":")[-2].split("/")[2] for key in page_cache._local_answers]

    assert kept() == slugs[1:]
    # Served again from the worker's copy, the second is now the one served most recently.
    client.get(f"/meetings/{slugs[1]}/calendar.ics")
    client.get(f"/meetings/{MeetingFactory(slug='webinar-9').slug}/calendar.ics")
    assert kept() == [*slugs[3:], slugs[1], "webinar-9"]


def test_a_rebuilt_calendar_with_the_same_meetings_keeps_its_validators(
    client, meeting, django_assert_num_queries
):
    first = client.get("/meetings/calendar.ics")
    # Another meeting's change makes the kept answer stale: it is made again, the same bytes.
    advance_content_versions([ContentArea.MEETINGS])
    with django_assert_num_queries(1):
        again = client.get("/meetings/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again["Last-Modified"]) == (304, first["Last-Modified"])


def test_one_vtimezone_per_zone_covering_only_the_meetings_years(client):
    for day in (1, 2, 3):
        MeetingFactory(
            start=datetime.datetime(2035, 3, day, 12, tzinfo=UTC),
            end=datetime.datetime(2035, 3, day, 14, tzinfo=UTC),
            time_zone="Europe/Zurich",
        )
    MeetingFactory(
        start=datetime.datetime(2036, 1, 5, 15, tzinfo=UTC),
        end=datetime.datetime(2036, 1, 5, 17, tzinfo=UTC),
        time_zone="America/New_York",
    )
    calendar = icalendar.Calendar.from_ical(client.get("/meetings/calendar.ics").content)
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    assert sorted(zones) == ["America/New_York", "Europe/Zurich"]
    assert len(calendar.walk("VEVENT")) == 4
    # From 1 January of the first meeting's year, not from 1970.
    first_rules = [rule.decoded("DTSTART") for rule in zones["Europe/Zurich"].subcomponents]
    assert min(first_rules) == datetime.datetime(2035, 1, 1, 0, 0)


def test_text_is_escaped_and_lines_folded_at_75_octets():
    meeting = MeetingFactory(title="Économie sociale; solidaire, et « Société » " * 3)
    content = meeting_to_ical(meeting)
    assert max(len(line) for line in content.split(b"\r\n")) == 75
    (event,) = events(content)
    assert str(event["SUMMARY"]) == "Économie sociale; solidaire, et « Société » " * 3
