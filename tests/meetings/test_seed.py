"""The meetings of the source documents, loaded twice."""

import datetime
import io

import pytest
from django.core.management import call_command

from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    SchedulePrecision,
)
from meetings.selectors import attendance_summary

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def load():
    call_command("load_seed_data", stdout=io.StringIO())


def counts():
    return (Meeting.objects.count(), AgendaItem.objects.count(), Attendance.objects.count())


def test_seed_loaded_twice_gives_identical_counts_and_rows():
    load()
    first = counts()
    snapshot = list(Attendance.objects.order_by("pk").values_list("pk", "updated_at"))
    meetings = list(Meeting.objects.order_by("pk").values_list("pk", "updated_at", "sequence"))
    load()
    assert counts() == first == (7, 25, 52)
    assert list(Attendance.objects.order_by("pk").values_list("pk", "updated_at")) == snapshot
    assert (
        list(Meeting.objects.order_by("pk").values_list("pk", "updated_at", "sequence")) == meetings
    )


def test_44th_meeting_page_shows_7_member_and_11_observer_organisations(client):
    load()
    response = client.get("/meetings/44th-regular-meeting/")
    html = response.content.decode()
    assert (
        "<strong>About 30 participants, according to the report</strong> "
        '<span class="muted">· 20 recorded participants from 7 member and 11 observer '
        "organisations</span>"
    ) in html
    assert "At least" not in html
    assert "OECD Global Action and informal expert group" in html
    assert "Antonella Noya" in html
    summary = attendance_summary(Meeting.objects.get(slug="44th-regular-meeting"))
    assert (summary.member_orgs, summary.observer_orgs) == (7, 11)
    assert sorted(group.organisation.acronym for group in summary.members) == [
        "ECLAC", "ILO", "OECD", "UN DESA", "UNCTAD", "UNDP", "UNRISD",
    ]  # fmt: skip
    assert sorted(group.organisation.acronym for group in summary.observers) == [
        "CIRIEC", "CSEND", "Catalyst 2030", "DIESIS", "EMES", "Euclid Network", "Euricse",
        "GSEF", "ICA", "RIPESS", "SSE International Forum",
    ]  # fmt: skip


def test_third_symposium_counts_8_member_and_12_observer_organisations(client):
    load()
    html = client.get("/meetings/third-technical-symposium/").content.decode()
    assert "8 member and 12 observer organisations" in html
    assert "<strong>About 50 participants, according to the report</strong>" in html
    assert "Agreement on the Action Plan 2022-2024" in html


def test_seed_records_the_participant_figures_the_reports_give():
    load()
    assert dict(
        Meeting.objects.filter(reported_participants__isnull=False).values_list(
            "slug", "reported_participants"
        )
    ) == {
        "44th-regular-meeting": 30,
        "third-technical-symposium": 50,
        "ripess-webinar-sse-public-policies-2020": 50,
    }


def test_seed_dates_are_whole_local_days_or_a_month():
    load()
    trento = Meeting.objects.get(slug="retreat-trento-2019")
    assert (trento.time_zone, trento.schedule_precision) == ("Europe/Rome", SchedulePrecision.DAY)
    assert (trento.first_day, trento.last_day) == (
        datetime.date(2019, 11, 21),
        datetime.date(2019, 11, 22),
    )
    forty_fourth = Meeting.objects.get(slug="44th-regular-meeting")
    assert (forty_fourth.first_day, forty_fourth.last_day, forty_fourth.time_zone) == (
        datetime.date(2023, 7, 11),
        datetime.date(2023, 7, 11),
        "Europe/Zurich",
    )
    briefing = Meeting.objects.get(slug="ilo-briefing-government-groups-2023")
    assert briefing.schedule_precision == SchedulePrecision.MONTH
    assert briefing.first_day == datetime.date(2023, 5, 1)
    webinar = Meeting.objects.get(slug="ripess-webinar-sse-public-policies-2020")
    assert (webinar.first_day, webinar.organiser.slug, webinar.kind) == (
        datetime.date(2020, 6, 17),
        "ripess",
        "external",
    )
    # Held where a document reports the meeting; the two meetings the 44th meeting announced
    # stay planned, as no document says what became of them.
    assert dict(
        Meeting.objects.exclude(status=MeetingStatus.HELD).values_list("slug", "status")
    ) == {
        "virtual-meeting-2023-09": MeetingStatus.PLANNED,
        "fourth-technical-symposium": MeetingStatus.PLANNED,
    }


def test_seed_pages_show_dates_without_hours(client):
    load()
    html = client.get("/meetings/").content.decode()
    assert "Nov. 21, 2019 – Nov. 22, 2019" in html
    assert "May 2023" in html
    assert "July 11, 2023" in html


def test_webinar_records_its_three_speakers_as_resource_persons(client):
    load()
    webinar = Meeting.objects.get(slug="ripess-webinar-sse-public-policies-2020")
    rows = webinar.attendances.select_related("person").order_by("person__name")
    assert [(row.person.name, row.capacity) for row in rows] == [
        ("Laurence Kwark", "resource_person"),
        ("Madani Coumare", "resource_person"),
        ("Vic Van Vuuren", "resource_person"),
    ]


def test_meetings_announced_at_the_44th_are_month_only_and_not_upcoming(client):
    load()
    september = Meeting.objects.get(slug="virtual-meeting-2023-09")
    symposium = Meeting.objects.get(slug="fourth-technical-symposium")
    assert (
        september.kind,
        september.number,
        september.schedule_precision,
        september.first_day,
        september.last_day,
        september.mode,
        september.place,
    ) == (
        "regular",
        None,
        SchedulePrecision.MONTH,
        datetime.date(2023, 9, 1),
        datetime.date(2023, 9, 30),
        "virtual",
        "Online",
    )
    assert (
        symposium.kind,
        symposium.number,
        symposium.schedule_precision,
        symposium.first_day,
        symposium.time_zone,
        symposium.mode,
        symposium.place,
    ) == (
        "technical_symposium",
        4,
        SchedulePrecision.MONTH,
        datetime.date(2023, 10, 1),
        "America/Toronto",
        "",
        "Montreal",
    )
    for meeting in (september, symposium):
        assert "44th regular meeting" in meeting.summary
        assert not meeting.attendances.exists() and not meeting.agenda_items.exists()
    # 2023 is past: the home page announces none of them, the list files them under 2023.
    assert client.get("/").context["home"].next_meetings == []
    html = client.get("/meetings/").content.decode()
    assert "September 2023" in html and "October 2023" in html
    page = client.get("/meetings/fourth-technical-symposium/").content.decode()
    assert "<dt>Place</dt><dd>Montreal</dd>" in page
    assert "<dt>Status</dt><dd>Planned</dd>" in page
