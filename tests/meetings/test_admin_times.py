"""The meeting's admin page: start and end typed and shown in the meeting's own time zone,
daylight-saving edges refused with a message, dates-only and month-only meetings, and the
reminders a new meeting gets."""

import datetime

import pytest

from meetings.models import Meeting, SchedulePrecision
from meetings.services import date_only_span
from tests.factories import PersonFactory, SecretariatUserFactory
from tests.factories.meetings import MeetingFactory
from tests.meetings.test_admin import management_forms

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ADD = "/admin/meetings/meeting/add/"


def meeting_form(*, day, start, end_day=None, end, time_zone, precision="time", **extra):
    return {
        "kind": "webinar",
        "title": "A webinar",
        "slug": "",
        "time_zone": time_zone,
        "start_0": day,
        "start_1": start,
        "end_0": end_day or day,
        "end_1": end,
        "schedule_precision": precision,
        "mode": "virtual",
        "attendance_complete": "on",
        "reminder_offsets": "168, 24",
        **management_forms(),
        **extra,
    }


def test_times_are_typed_in_the_meetings_own_zone(admin_client):
    response = admin_client.post(
        ADD,
        meeting_form(day="2035-09-12", start="14:00", end="16:30", time_zone="Europe/Zurich"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert (meeting.start, meeting.end) == (
        datetime.datetime(2035, 9, 12, 12, 0, tzinfo=UTC),
        datetime.datetime(2035, 9, 12, 14, 30, tzinfo=UTC),
    )
    assert meeting.reminder_offsets == [168, 24]


# Each zone's two changes in 2035: the hour the clocks skip and the hour they repeat.
DST_EDGES = [
    ("Europe/Zurich", "2035-03-25", "02:30", "March 25, 2035 02:30", "nonexistent"),
    ("Europe/Zurich", "2035-10-28", "02:30", "Oct. 28, 2035 02:30", "ambiguous"),
    ("America/New_York", "2035-03-11", "02:30", "March 11, 2035 02:30", "nonexistent"),
    ("America/New_York", "2035-11-04", "01:30", "Nov. 4, 2035 01:30", "ambiguous"),
    ("Australia/Sydney", "2035-10-07", "02:30", "Oct. 7, 2035 02:30", "nonexistent"),
    ("Australia/Sydney", "2035-04-01", "02:30", "April 1, 2035 02:30", "ambiguous"),
]
MESSAGES = {
    "nonexistent": "{time} does not exist in {zone}: the clocks go forward that night and skip "
    "this hour. Choose a time outside it.",
    "ambiguous": "{time} happens twice in {zone}: the clocks go back that night and repeat this "
    "hour. Choose a time outside it.",
}


@pytest.mark.parametrize(("zone", "day", "time", "shown", "problem"), DST_EDGES)
def test_a_time_the_clocks_skip_or_repeat_is_refused_with_a_message(
    admin_client, zone, day, time, shown, problem
):
    response = admin_client.post(
        ADD, meeting_form(day=day, start=time, end="05:00", time_zone=zone)
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"start": [MESSAGES[problem].format(time=shown, zone=zone)]}
    assert Meeting.objects.count() == 0
    # What was typed stays in the form.
    assert form["start"].value() == [day, time]


# The same nights, at times that exist once: the instants are exact.
DST_NEIGHBOURS = [
    ("Europe/Zurich", "2035-03-25", "01:59", datetime.datetime(2035, 3, 25, 0, 59, tzinfo=UTC)),
    ("Europe/Zurich", "2035-03-25", "03:00", datetime.datetime(2035, 3, 25, 1, 0, tzinfo=UTC)),
    ("Europe/Zurich", "2035-10-28", "03:00", datetime.datetime(2035, 10, 28, 2, 0, tzinfo=UTC)),
    ("America/New_York", "2035-03-11", "03:00", datetime.datetime(2035, 3, 11, 7, 0, tzinfo=UTC)),
    ("America/New_York", "2035-11-04", "00:59", datetime.datetime(2035, 11, 4, 4, 59, tzinfo=UTC)),
    ("Australia/Sydney", "2035-10-07", "03:00", datetime.datetime(2035, 10, 6, 16, 0, tzinfo=UTC)),
    ("Australia/Sydney", "2035-04-01", "03:00", datetime.datetime(2035, 3, 31, 17, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("zone", "day", "time", "instant"), DST_NEIGHBOURS)
def test_times_beside_a_daylight_saving_change_are_stored_exactly(
    admin_client, zone, day, time, instant
):
    response = admin_client.post(
        ADD, meeting_form(day=day, start=time, end="06:00", time_zone=zone)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Meeting.objects.get().start == instant


def test_an_existing_meeting_shows_its_local_times_and_keeps_its_instants(client):
    secretariat = SecretariatUserFactory()
    PersonFactory(user=secretariat, time_zone="America/New_York")
    client.force_login(secretariat)
    start = datetime.datetime(2035, 9, 12, 12, 0, tzinfo=UTC)
    meeting = MeetingFactory(
        start=start, end=start + datetime.timedelta(hours=2), time_zone="Europe/Zurich"
    )
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"

    response = client.get(url)

    form = response.context["adminform"].form
    assert form["start"].value() == datetime.datetime(2035, 9, 12, 14, 0)
    assert form["end"].value() == datetime.datetime(2035, 9, 12, 16, 0)
    assert form.fields["start"].help_text == (
        "In the meeting's time zone (Europe/Zurich). Stored: Sept. 12, 2035 12:00 UTC; "
        "Sept. 12, 2035 08:00 your time (America/New_York)."
    )
    html = response.content.decode()
    assert 'value="14:00:00"' in html and 'value="2035-09-12"' in html

    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"start", "end", "reminder_offsets"}
    }
    data.update(
        {
            "start_0": "2035-09-12",
            "start_1": "14:00:00",
            "end_0": "2035-09-12",
            "end_1": "16:00:00",
            "reminder_offsets": "168, 24",
            **management_forms(),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert (meeting.start, meeting.end, meeting.sequence) == (
        start,
        start + datetime.timedelta(hours=2),
        0,
    )


def test_dates_only_and_month_only_meetings_stay_possible(admin_client):
    response = admin_client.post(
        ADD,
        meeting_form(
            day="2035-07-11",
            start="00:00",
            end_day="2035-07-13",
            end="00:00",
            time_zone="Europe/Zurich",
            precision="day",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert (meeting.start, meeting.end) == date_only_span(
        first_day=datetime.date(2035, 7, 11),
        last_day=datetime.date(2035, 7, 12),
        time_zone="Europe/Zurich",
    )
    assert (meeting.first_day, meeting.last_day) == (
        datetime.date(2035, 7, 11),
        datetime.date(2035, 7, 12),
    )

    response = admin_client.post(
        ADD,
        meeting_form(
            day="2035-05-01",
            start="00:00",
            end_day="2035-06-01",
            end="00:00",
            time_zone="America/New_York",
            precision="month",
            title="A month",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    month = Meeting.objects.get(schedule_precision=SchedulePrecision.MONTH)
    assert month.start == datetime.datetime(2035, 5, 1, 4, 0, tzinfo=UTC)


def test_a_dates_only_meeting_with_hours_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        ADD,
        meeting_form(
            day="2035-07-11", start="09:00", end="17:00", time_zone="UTC", precision="day"
        ),
    )
    assert response.status_code == 200
    message = (
        "A meeting with dates only starts at 00:00 of its first day and ends at 00:00 of the "
        "day after its last."
    )
    assert response.context["adminform"].form.errors == {"start": [message], "end": [message]}
    assert Meeting.objects.count() == 0


def test_a_new_meeting_offers_the_configured_reminders(admin_client, settings):
    settings.MEETING_REMINDER_HOURS = [72, 2]
    response = admin_client.get(ADD)
    assert response.context["adminform"].form["reminder_offsets"].value() == "72, 2"
    assert 'name="reminder_offsets" value="72, 2"' in response.content.decode()
