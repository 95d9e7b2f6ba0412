"""The meeting cycle's steps on the meeting's admin page: attendance for the whole invitation
list, and the minutes' buttons (circulate, approve, publish) with their confirmation."""

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import (
    Attendance,
    MinutesCirculationDelivery,
    MinutesStatus,
    MinutesVersion,
)
from tests.audit_support import audit_rows
from tests.factories import FocalPointFactory, OrganisationFactory, PersonFactory
from tests.factories.meetings import (
    AttendanceFactory,
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
    RecentMeetingFactory,
)

pytestmark = pytest.mark.django_db


def change_url(meeting):
    return f"/admin/meetings/meeting/{meeting.pk}/change/"


def sheet_url(meeting):
    return f"/admin/meetings/meeting/{meeting.pk}/attendance/"


def step_url(meeting, step):
    return f"/admin/meetings/meeting/{meeting.pk}/minutes/{step}/"


# --- The change page shows the steps ------------------------------------------------------
def test_change_page_offers_attendance_and_the_minutes_next_step(admin_client):
    meeting = PastMeetingFactory()
    MinutesFactory(meeting=meeting, body="Text.")
    html = admin_client.get(change_url(meeting)).content.decode()
    assert f'href="{sheet_url(meeting)}">Record attendance from the invitations</a>' in html
    assert f'href="{step_url(meeting, "circulate")}">Circulate the minutes</a>' in html


def test_change_page_of_a_future_meeting_without_minutes_offers_no_step(admin_client):
    meeting = MeetingFactory()
    html = admin_client.get(change_url(meeting)).content.decode()
    assert "Attendance can be recorded once the meeting has started." in html
    assert "not written yet (write them in the Minutes section below)" in html
    assert "/minutes/" not in html.split('id="desk-cycle-title"')[1].split("</section>")[0]


# --- Attendance -------------------------------------------------------------------------
def _sheet_post(lines, walk_ins=()):
    data = {
        "line-TOTAL_FORMS": str(len(lines)),
        "line-INITIAL_FORMS": str(len(lines)),
        "walkin-TOTAL_FORMS": "3",
        "walkin-INITIAL_FORMS": "0",
    }
    for index, (person, capacity, status) in enumerate(lines):
        data |= {
            f"line-{index}-person": person.pk,
            f"line-{index}-capacity": capacity,
            f"line-{index}-status": status,
        }
    for index in range(3):
        person, capacity, status = walk_ins[index] if index < len(walk_ins) else ("", "", "present")
        data |= {
            f"walkin-{index}-person": getattr(person, "pk", ""),
            f"walkin-{index}-capacity": capacity,
            f"walkin-{index}-status": status,
        }
    return data


def test_attendance_screen_prefills_accepted_as_present_with_capacity_from_the_kind(admin_client):
    meeting = PastMeetingFactory()
    member = PersonFactory(name="Ana Member", organisation=OrganisationFactory(kind="member"))
    observer = PersonFactory(name="Bo Observer", organisation=OrganisationFactory(kind="observer"))
    partner = PersonFactory(name="Cy Partner", organisation=OrganisationFactory(kind="partner"))
    InvitationFactory(
        meeting=meeting, person=member, response="accepted", responded_at=timezone.now()
    )
    InvitationFactory(
        meeting=meeting, person=observer, response="declined", responded_at=timezone.now()
    )
    InvitationFactory(
        meeting=meeting, person=partner, response="accepted", responded_at=timezone.now()
    )
    response = admin_client.get(sheet_url(meeting))
    sheet = response.context["sheet"]
    assert response.status_code == 200
    assert [
        (line.person.name, line.response, line.capacity, line.status)
        for line, _form in response.context["lines"]
    ] == [
        ("Ana Member", "accepted", "member", "present"),
        ("Bo Observer", "declined", "observer", ""),
        ("Cy Partner", "accepted", "guest", "present"),
    ]
    assert [form.initial["status"] for form in sheet.forms] == ["present", "", "present"]


def test_attendance_screen_records_the_list_and_walk_ins_and_the_public_counts_follow(
    admin_client, client
):
    meeting = PastMeetingFactory()
    member = PersonFactory(organisation=OrganisationFactory(kind="member"))
    observer = PersonFactory(organisation=OrganisationFactory(kind="observer"))
    absent = PersonFactory(organisation=OrganisationFactory(kind="member"))
    walk_in = PersonFactory(organisation=OrganisationFactory(kind="observer"))
    for person, answer in [(member, "accepted"), (observer, "accepted"), (absent, "declined")]:
        InvitationFactory(
            meeting=meeting, person=person, response=answer, responded_at=timezone.now()
        )
    AttendanceFactory(meeting=meeting, person=absent, organisation=absent.organisation)
    data = _sheet_post(
        [(absent, "", ""), (member, "", "present"), (observer, "resource_person", "present")],
        walk_ins=[(walk_in, "", "present")],
    )
    response = admin_client.post(sheet_url(meeting), data, follow=True)
    assert response.redirect_chain == [(change_url(meeting), 302)]
    assert "Attendance recorded for 3 people." in response.content.decode()
    assert sorted(
        Attendance.objects.filter(meeting=meeting).values_list("person__pk", "capacity", "status")
    ) == sorted(
        [
            (member.pk, "member", "present"),
            (observer.pk, "resource_person", "present"),
            (walk_in.pk, "observer", "present"),
        ]
    )
    assert [row["action"] for row in audit_rows(action__startswith="attendance.")] == [
        "attendance.remove",
        "attendance.record",
        "attendance.record",
        "attendance.record",
    ]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>3 participants from 1 member and 1 observer organisations</strong>" in page


def test_attendance_screen_before_the_start_is_refused_with_a_message(admin_client):
    meeting = MeetingFactory()
    person = PersonFactory()
    InvitationFactory(
        meeting=meeting, person=person, response="accepted", responded_at=timezone.now()
    )
    response = admin_client.post(sheet_url(meeting), _sheet_post([(person, "", "present")]))
    assert response.status_code == 400
    assert "Attendance can be recorded once the meeting has started." in response.content.decode()
    assert Attendance.objects.count() == 0


def test_attendance_screen_with_a_tampered_line_is_a_form_error(admin_client):
    meeting = PastMeetingFactory()
    person = PersonFactory()
    InvitationFactory(
        meeting=meeting, person=person, response="accepted", responded_at=timezone.now()
    )
    data = _sheet_post([(person, "", "present")]) | {"line-0-status": "asleep"}
    response = admin_client.post(sheet_url(meeting), data)
    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()
    assert Attendance.objects.count() == 0


def test_attendance_screen_posted_for_a_list_that_changed_is_shown_again(admin_client):
    meeting = PastMeetingFactory()
    first, second = PersonFactory(), PersonFactory()
    for person in (first, second):
        InvitationFactory(
            meeting=meeting, person=person, response="accepted", responded_at=timezone.now()
        )
    data = _sheet_post([(first, "", "present")]) | {"line-0-status": "asleep"}
    response = admin_client.post(sheet_url(meeting), data)
    assert response.status_code == 400
    assert len(response.context["lines"]) == 2
    assert Attendance.objects.count() == 0


def test_attendance_screen_refuses_people_outside_the_secretariat(client):
    meeting = PastMeetingFactory()
    client.force_login(FocalPointFactory())
    response = client.get(sheet_url(meeting))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Minutes ------------------------------------------------------------------------------
def test_minutes_circulate_asks_first_then_emails_focal_points_in_their_language(
    admin_client, django_capture_on_commit_callbacks
):
    meeting = PastMeetingFactory(title="45th Regular Meeting")
    minutes = MinutesFactory(meeting=meeting, body="What was said.")
    french = FocalPointFactory(email="fr@example.org", organisation__kind="member")
    french.person.preferred_language = "fr"
    french.person.save()
    FocalPointFactory(email="es@example.org", organisation__kind="observer")
    FocalPointFactory(email="partner@example.org", organisation__kind="partner")

    confirm = admin_client.get(step_url(meeting, "circulate"))
    assert confirm.status_code == 200
    assert "Circulate the draft minutes?" in confirm.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(step_url(meeting, "circulate"), follow=True)
    assert response.redirect_chain == [(change_url(meeting), 302)]
    assert "The minutes were circulated to members and observers." in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED
    assert sorted(MinutesCirculationDelivery.objects.values_list("email", "language", "state")) == [
        ("es@example.org", "en", "sent"),
        ("fr@example.org", "fr", "sent"),
    ]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "fr@example.org": "[UNTFSSE Portal] Projet de procès-verbal pour commentaires : "
        "45th Regular Meeting",
        "es@example.org": "[UNTFSSE Portal] Draft minutes for comment: 45th Regular Meeting",
    }
    (entry,) = audit_rows(action="minutes.circulate")
    assert entry["changes"] == {"status": ["draft", "circulated"], "emails": [None, 2]}


def test_minutes_approve_with_the_chosen_meeting_freezes_the_text(admin_client):
    meeting = PastMeetingFactory()
    later = RecentMeetingFactory(title="Approving Meeting")
    minutes = MinutesFactory(
        meeting=meeting, body="Final.", status="circulated", circulated_at=timezone.now()
    )
    page = admin_client.get(step_url(meeting, "approve")).content.decode()
    assert "Approving Meeting" in page
    response = admin_client.post(step_url(meeting, "approve"), {"at_meeting": later.pk})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_at_meeting) == (MinutesStatus.APPROVED, later)
    assert list(MinutesVersion.objects.values_list("body", "status")) == [("Final.", "approved")]
    (entry,) = audit_rows(action="minutes.approve")
    assert entry["changes"]["status"] == ["circulated", "approved"]
    # The text is frozen: the inline's edit is refused by the service.
    refused = admin_client.get(step_url(meeting, "circulate"))
    assert "This step is not available for minutes in this status." in refused.content.decode()


def test_approval_offers_only_later_meetings_that_took_place(admin_client):
    meeting = PastMeetingFactory()
    MinutesFactory(meeting=meeting, body="x", status="circulated")
    later = RecentMeetingFactory()
    MeetingFactory()  # next week: not yet held
    response = admin_client.get(step_url(meeting, "approve"))
    assert list(response.context["approval"].fields["at_meeting"].queryset) == [later]


def test_change_page_of_a_cancelled_meeting_says_why_attendance_is_closed(admin_client):
    meeting = MeetingFactory(status="cancelled", cancelled_at=timezone.now())
    html = admin_client.get(change_url(meeting)).content.decode()
    assert "This meeting was cancelled: no attendance can be recorded." in html


def test_minutes_approve_without_a_meeting_is_a_400_and_changes_nothing(admin_client):
    meeting = PastMeetingFactory()
    minutes = MinutesFactory(meeting=meeting, body="x", status="circulated")
    response = admin_client.post(step_url(meeting, "approve"), {"at_meeting": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED


def test_minutes_publish_then_a_second_publish_is_refused(admin_client):
    meeting = PastMeetingFactory()
    later = RecentMeetingFactory()
    minutes = MinutesFactory(
        meeting=meeting,
        body="x",
        status="approved",
        approved_at_meeting=later,
        approved_at=timezone.now(),
    )
    assert admin_client.post(step_url(meeting, "publish")).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLIC
    again = admin_client.post(step_url(meeting, "publish"))
    assert again.status_code == 400
    assert "Only approved minutes can be made public." in again.content.decode()
    assert [row["action"] for row in audit_rows(action__startswith="minutes.")] == [
        "minutes.publish"
    ]


def test_minutes_unknown_step_is_404(admin_client):
    meeting = PastMeetingFactory()
    MinutesFactory(meeting=meeting)
    assert admin_client.get(step_url(meeting, "shred")).status_code == 404


def test_bulk_action_messages_are_singular_for_one_meeting(admin_client):
    meeting = MeetingFactory()
    response = admin_client.post(
        "/admin/meetings/meeting/",
        {"action": "cancel_meetings", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "1 meeting cancelled." in response.content.decode()
