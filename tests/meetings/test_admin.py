"""The secretariat's admin: forms and actions go through the services."""

import datetime

import pytest
from django.utils import timezone

from meetings.models import (
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.factories.meetings import (
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
    RecentMeetingFactory,
)

pytestmark = pytest.mark.django_db


def action(admin_client, name, meetings):
    return admin_client.post(
        "/admin/meetings/meeting/",
        {"action": name, "_selected_action": [meeting.pk for meeting in meetings]},
        follow=True,
    )


def test_invite_member_focal_points_action(admin_client):
    member = OrganisationFactory(kind="member")
    FocalPointFactory(organisation=member)
    FocalPointFactory(organisation=OrganisationFactory(kind="observer"))
    meeting = MeetingFactory()
    response = action(admin_client, "invite_member_focal_points", [meeting])
    assert "1 new invitation." in response.content.decode()
    assert Invitation.objects.filter(meeting=meeting).count() == 1
    action(admin_client, "invite_observer_focal_points", [meeting])
    assert Invitation.objects.filter(meeting=meeting).count() == 2


def test_action_messages_agree_with_their_count(admin_client):
    """The admin answers in English here (its pages have no language prefix); the French and
    Spanish forms of these messages are checked with 1 and 2 in tests/untfsse/test_translations."""
    member = OrganisationFactory(kind="member")
    FocalPointFactory(organisation=member)
    one = action(admin_client, "invite_member_focal_points", [MeetingFactory()]).content.decode()
    assert "1 new invitation." in one
    FocalPointFactory(organisation=member)
    two = action(admin_client, "invite_member_focal_points", [MeetingFactory()]).content.decode()
    assert "2 new invitations." in two
    for count in (1, 2):
        meetings = [MeetingFactory() for _ in range(count)]
        html = action(admin_client, "cancel_meetings", meetings).content.decode()
        assert ("1 meeting cancelled." if count == 1 else "2 meetings cancelled.") in html


def test_record_attendance_from_invitations_action_refuses_before_the_start(admin_client):
    meeting = MeetingFactory()
    InvitationFactory(meeting=meeting, response="accepted", responded_at=timezone.now())
    response = action(admin_client, "record_attendance_from_invitations", [meeting])
    assert "Attendance can be recorded once the meeting has started." in response.content.decode()
    assert Attendance.objects.count() == 0


def test_minutes_actions(admin_client):
    meeting = PastMeetingFactory()
    later = RecentMeetingFactory()
    MinutesFactory(meeting=meeting, approved_at_meeting=later)
    action(admin_client, "circulate_minutes", [meeting])
    assert Minutes.objects.get().status == MinutesStatus.CIRCULATED
    action(admin_client, "approve_minutes", [meeting])
    assert Minutes.objects.get().status == MinutesStatus.APPROVED
    action(admin_client, "publish_minutes", [meeting])
    assert Minutes.objects.get().status == MinutesStatus.PUBLIC
    response = action(admin_client, "circulate_minutes", [meeting])
    assert "Only draft minutes can be circulated." in response.content.decode()


def test_cancel_action_and_refusal(admin_client):
    planned, held = MeetingFactory(), PastMeetingFactory()
    response = action(admin_client, "cancel_meetings", [planned, held])
    assert "A meeting that was held cannot be cancelled." in response.content.decode()
    planned.refresh_from_db()
    assert (planned.status, planned.sequence) == (MeetingStatus.CANCELLED, 1)


def test_export_attendance_csv(admin_client):
    ilo = OrganisationFactory(acronym="ILO", slug="ilo", kind="member")
    meeting = PastMeetingFactory(title="=HYPERLINK Meeting")
    AttendanceFactory(meeting=meeting, person=None, organisation=ilo)
    response = action(admin_client, "export_attendance", [meeting])
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "meeting,date,person,organisation,organisation kind,capacity,attendance"
    assert (
        lines[1]
        == f"'=HYPERLINK Meeting,{meeting.first_day.isoformat()},,ILO,Member,Member,Present"
    )


def test_admin_add_form_schedules_through_the_service(admin_client):
    response = admin_client.post(
        "/admin/meetings/meeting/add/",
        {
            "kind": "regular",
            "number": "45",
            "title": "45th Regular Meeting",
            "slug": "",
            "start_0": "2035-09-12",
            "start_1": "12:00:00",
            "end_0": "2035-09-12",
            "end_1": "14:00:00",
            "time_zone": "Europe/Zurich",
            "schedule_precision": "time",
            "mode": "virtual",
            "join_url": "https://meet.example.org/45",
            "attendance_complete": "on",
            **management_forms(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert (meeting.slug, meeting.status, meeting.start) == (
        "45th-regular-meeting",
        MeetingStatus.PLANNED,
        # 12:00 in Geneva (typed in the meeting's zone), summer time
        datetime.datetime(2035, 9, 12, 10, 0, tzinfo=datetime.UTC),
    )


def test_admin_add_form_refuses_bad_input_with_messages(admin_client):
    response = admin_client.post(
        "/admin/meetings/meeting/add/",
        {
            "kind": "regular",
            "title": "Broken",
            "start_0": "2035-09-12",
            "start_1": "14:00:00",
            "end_0": "2035-09-12",
            "end_1": "12:00:00",
            "time_zone": "Mars/Olympus",
            "schedule_precision": "time",
            "mode": "virtual",
            "join_url": "http://meet.example.org/45",
            **management_forms(),
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["join_url"] == ["Enter a secure link that starts with https://."]
    assert errors["time_zone"] == [
        "“Mars/Olympus” is not a time zone name such as Europe/Zurich or America/Santiago."
    ]
    assert Meeting.objects.count() == 0


def management_forms():
    data = {}
    for prefix in (
        "agenda_items",
        "attendances",
        "invitations",
        "minutes",
        "documents",
        "deliveries",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def test_admin_pages_render(admin_client):
    meeting = PastMeetingFactory(slug="rendered")
    MinutesFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting)
    InvitationFactory(meeting=meeting)
    year = meeting.start.year
    assert admin_client.get(f"/admin/meetings/meeting/?year={year}&kind=regular").status_code == 200
    response = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    assert response.status_code == 200
    assert admin_client.get("/admin/meetings/invitation/add/").status_code == 200
    assert admin_client.get("/admin/meetings/minutesversion/").status_code == 200


def test_admin_attendance_inline_fills_organisation_and_capacity(admin_client):
    meeting = PastMeetingFactory(slug="inline")
    observer = OrganisationFactory(kind="observer")
    person = PersonFactory(organisation=observer)
    response = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"start", "end"}
    }
    data.update(
        {
            "start_0": meeting.local_start.strftime("%Y-%m-%d"),
            "start_1": meeting.local_start.strftime("%H:%M:%S"),
            "end_0": meeting.local_end.strftime("%Y-%m-%d"),
            "end_1": meeting.local_end.strftime("%H:%M:%S"),
            **management_forms(),
            "attendances-TOTAL_FORMS": "1",
            "attendances-0-person": str(person.pk),
            "attendances-0-organisation": "",
            "attendances-0-capacity": "",
            "attendances-0-status": "present",
        }
    )
    response = admin_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    row = Attendance.objects.get(meeting=meeting)
    assert (row.person, row.organisation, row.capacity) == (person, observer, "observer")
    meeting.refresh_from_db()
    assert meeting.sequence == 0
