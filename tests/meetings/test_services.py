"""Every state change of meetings, and each refused one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.models import (
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)
from meetings.services import (
    MINUTES_MOVES,
    SYSTEM,
    attendance_from_invitations,
    attendance_record,
    date_only_span,
    invitation_respond,
    invitations_create,
    meeting_cancel,
    meeting_mark_held,
    meeting_reschedule,
    meeting_schedule,
    meeting_update,
    minutes_approve,
    minutes_circulate,
    minutes_publish,
    minutes_save_draft,
    minutes_transition,
    month_only_span,
)
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.meetings import (
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    PastMeetingFactory,
    RecentMeetingFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def new_meeting(**overrides) -> Meeting:
    values = {
        "kind": MeetingKind.REGULAR,
        "number": 45,
        "title": "45th Regular Meeting",
        "start": datetime.datetime(2030, 9, 12, 12, 0, tzinfo=UTC),
        "end": datetime.datetime(2030, 9, 12, 14, 0, tzinfo=UTC),
        "time_zone": "Europe/Zurich",
        "mode": MeetingMode.VIRTUAL,
        "join_url": "https://meet.example.org/45",
    }
    return Meeting(**{**values, **overrides})


# --- scheduling -----------------------------------------------------------------------------
def test_meeting_schedule_saves_a_planned_meeting_with_a_slug(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    meeting.refresh_from_db()
    assert (meeting.slug, meeting.status, meeting.sequence) == (
        "45th-regular-meeting",
        MeetingStatus.PLANNED,
        0,
    )


def test_meeting_schedule_makes_the_slug_unique(secretariat):
    meeting_schedule(meeting=new_meeting(), by=secretariat)
    second = meeting_schedule(meeting=new_meeting(number=46), by=secretariat)
    assert second.slug == "45th-regular-meeting-2"


def test_meeting_schedule_refuses_an_end_before_the_start(secretariat):
    with pytest.raises(ValidationError) as error:
        meeting_schedule(
            meeting=new_meeting(end=datetime.datetime(2030, 9, 12, 11, 0, tzinfo=UTC)),
            by=secretariat,
        )
    assert error.value.message_dict == {"end": ["The meeting must end after it starts."]}
    assert Meeting.objects.count() == 0


def test_meeting_schedule_refuses_an_unknown_time_zone(secretariat):
    with pytest.raises(ValidationError) as error:
        meeting_schedule(meeting=new_meeting(time_zone="Europe/Geneva"), by=secretariat)
    assert error.value.message_dict == {
        "time_zone": ["“Europe/Geneva” is not a time zone name such as Europe/Zurich."]
    }


def test_meeting_schedule_refuses_a_join_link_that_is_not_https(secretariat):
    with pytest.raises(ValidationError) as error:
        meeting_schedule(meeting=new_meeting(join_url="http://meet.example.org/45"), by=secretariat)
    assert error.value.message_dict["join_url"] == [
        "Enter a secure link that starts with https://."
    ]


def test_meeting_schedule_refuses_naive_times(secretariat):
    with pytest.raises(ValidationError) as error:
        meeting_schedule(
            meeting=new_meeting(
                start=datetime.datetime(2030, 9, 12, 12, 0),
                end=datetime.datetime(2030, 9, 12, 14, 0),
            ),
            by=secretariat,
        )
    assert error.value.messages == ["Start and end need a time zone."]


def test_meeting_schedule_is_refused_to_a_focal_point():
    with pytest.raises(PermissionDenied):
        meeting_schedule(meeting=new_meeting(), by=FocalPointFactory())


def test_date_only_span_covers_whole_local_days():
    start, end = date_only_span(
        first_day=datetime.date(2019, 11, 21),
        last_day=datetime.date(2019, 11, 22),
        time_zone="Europe/Rome",
    )
    assert start == datetime.datetime(2019, 11, 20, 23, 0, tzinfo=UTC)
    assert end == datetime.datetime(2019, 11, 22, 23, 0, tzinfo=UTC)


def test_month_only_span_covers_the_month():
    start, end = month_only_span(year=2023, month=12, time_zone="UTC")
    assert (start, end) == (
        datetime.datetime(2023, 12, 1, tzinfo=UTC),
        datetime.datetime(2024, 1, 1, tzinfo=UTC),
    )


# --- reschedule, update, cancel, held ---------------------------------------------------------
def test_meeting_reschedule_moves_the_meeting_and_increments_the_sequence(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    new_start = datetime.datetime(2030, 9, 19, 12, 0, tzinfo=UTC)
    meeting_reschedule(
        meeting=meeting,
        start=new_start,
        end=new_start + datetime.timedelta(hours=2),
        by=secretariat,
    )
    meeting.refresh_from_db()
    assert (meeting.start, meeting.sequence) == (new_start, 1)
    meeting_reschedule(
        meeting=meeting,
        start=new_start + datetime.timedelta(hours=1),
        end=new_start + datetime.timedelta(hours=3),
        by=secretariat,
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 2


def test_meeting_reschedule_refuses_the_same_times(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    with pytest.raises(ValidationError) as error:
        meeting_reschedule(meeting=meeting, start=meeting.start, end=meeting.end, by=secretariat)
    assert error.value.messages == ["The new times are the same as the current ones."]


def test_meeting_reschedule_refuses_an_end_before_the_start(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    with pytest.raises(ValidationError):
        meeting_reschedule(meeting=meeting, start=meeting.end, end=meeting.start, by=secretariat)
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_meeting_reschedule_refuses_a_cancelled_meeting(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    meeting_cancel(meeting=meeting, by=secretariat)
    with pytest.raises(ValidationError) as error:
        meeting_reschedule(
            meeting=meeting,
            start=meeting.start + datetime.timedelta(days=1),
            end=meeting.end + datetime.timedelta(days=1),
            by=secretariat,
        )
    assert error.value.messages == ["A cancelled meeting cannot be rescheduled."]


def test_meeting_reschedule_refuses_a_held_meeting(secretariat):
    meeting = PastMeetingFactory()
    with pytest.raises(ValidationError) as error:
        meeting_reschedule(
            meeting=meeting,
            start=meeting.start + datetime.timedelta(days=1),
            end=meeting.end + datetime.timedelta(days=1),
            by=secretariat,
        )
    assert error.value.messages == ["This meeting has already been held."]


def test_meeting_update_counts_a_new_time_as_a_reschedule(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    meeting.title = "45th Regular Meeting (moved)"
    meeting_update(meeting=meeting, by=secretariat)
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    meeting.start += datetime.timedelta(days=1)
    meeting.end += datetime.timedelta(days=1)
    meeting_update(meeting=meeting, by=secretariat)
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.slug) == (1, "45th-regular-meeting")


def test_meeting_cancel_marks_it_cancelled_with_a_new_revision(secretariat, time_machine):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    cancelled_at = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=5)
    time_machine.move_to(cancelled_at, tick=False)
    meeting_cancel(meeting=meeting, by=secretariat)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 1)
    assert meeting.cancelled_at == cancelled_at


def test_meeting_cancel_refuses_twice_and_a_held_meeting(secretariat):
    meeting = meeting_schedule(meeting=new_meeting(), by=secretariat)
    meeting_cancel(meeting=meeting, by=secretariat)
    with pytest.raises(ValidationError) as error:
        meeting_cancel(meeting=meeting, by=secretariat)
    assert error.value.messages == ["This meeting is already cancelled."]
    with pytest.raises(ValidationError) as error:
        meeting_cancel(meeting=PastMeetingFactory(), by=secretariat)
    assert error.value.messages == ["A meeting that was held cannot be cancelled."]


def test_meeting_cancel_is_refused_to_anonymous_and_unaffiliated_users():
    meeting = MeetingFactory()
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meeting, by=UserFactory())
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meeting, by=None)


def test_meeting_mark_held_after_the_start_only(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        meeting_mark_held(meeting=meeting, by=secretariat)
    assert error.value.messages == ["A meeting can be marked as held once it has started."]
    meeting_mark_held(meeting=meeting, by=secretariat, now=meeting.start)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError):
        meeting_mark_held(meeting=meeting, by=secretariat, now=meeting.end)


def test_meeting_mark_held_refuses_a_cancelled_meeting(secretariat):
    meeting = MeetingFactory(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError) as error:
        meeting_mark_held(meeting=meeting, by=secretariat, now=meeting.end)
    assert error.value.messages == ["A cancelled meeting cannot be marked as held."]


# --- invitations ------------------------------------------------------------------------------
def test_invitations_create_for_focal_points_of_members_only(secretariat):
    member = OrganisationFactory(kind="member")
    observer = OrganisationFactory(kind="observer")
    former = OrganisationFactory(kind="member", left_on=datetime.date(2020, 1, 1))
    member_user = FocalPointFactory(organisation=member)
    FocalPointFactory(organisation=observer)
    FocalPointFactory(organisation=former)
    PersonFactory(organisation=member)  # no account: not a focal point
    meeting = MeetingFactory()

    created = invitations_create(meeting=meeting, organisation_kinds=["member"], by=secretariat)

    assert [invitation.person.user for invitation in created] == [member_user]
    # Running it again invites nobody twice.
    assert invitations_create(meeting=meeting, organisation_kinds=["member"], by=secretariat) == []
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_invitations_create_person_by_person(secretariat):
    meeting = MeetingFactory()
    people = [PersonFactory(), PersonFactory()]
    created = invitations_create(meeting=meeting, persons=people, by=secretariat)
    assert sorted(invitation.person_id for invitation in created) == sorted(p.pk for p in people)
    assert {invitation.response for invitation in created} == {InvitationResponse.NONE}


def test_invitations_create_refuses_a_cancelled_or_past_meeting_and_nobody(secretariat):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        invitations_create(
            meeting=MeetingFactory(status=MeetingStatus.CANCELLED), persons=[person], by=secretariat
        )
    assert error.value.messages == ["This meeting is cancelled: no one can be invited."]
    with pytest.raises(ValidationError) as error:
        invitations_create(meeting=PastMeetingFactory(), persons=[person], by=secretariat)
    assert error.value.messages == ["This meeting is over: no one can be invited."]
    with pytest.raises(ValidationError) as error:
        invitations_create(meeting=MeetingFactory(), by=secretariat)
    assert error.value.messages == ["Choose the people or the kinds of organisation to invite."]
    with pytest.raises(ValidationError) as error:
        invitations_create(
            meeting=MeetingFactory(), organisation_kinds=["secretariat"], by=secretariat
        )
    assert error.value.messages == [
        "Invitations go to focal points of members, observers or partners."
    ]


def test_invitation_respond_records_and_changes_the_answer():
    user = FocalPointFactory()
    invitation = InvitationFactory(person=user.person)
    invitation_respond(invitation=invitation, response="accepted", by=user)
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.ACCEPTED
    first_answer_at = invitation.responded_at
    invitation_respond(invitation=invitation, response="declined", by=user)
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.DECLINED
    assert invitation.responded_at >= first_answer_at


def test_invitation_respond_is_refused_after_the_start():
    user = FocalPointFactory()
    invitation = InvitationFactory(person=user.person)
    with pytest.raises(ValidationError) as error:
        invitation_respond(
            invitation=invitation, response="accepted", by=user, now=invitation.meeting.start
        )
    assert error.value.messages == ["This meeting has started: answers can no longer be changed."]
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.NONE


def test_invitation_respond_is_refused_to_someone_else_and_for_unknown_answers():
    invitation = InvitationFactory(person=FocalPointFactory().person)
    with pytest.raises(PermissionDenied):
        invitation_respond(invitation=invitation, response="accepted", by=FocalPointFactory())
    with pytest.raises(ValidationError) as error:
        invitation_respond(invitation=invitation, response="none", by=SYSTEM)
    assert error.value.messages == ["Answer accept, decline or tentative."]


def test_invitation_respond_is_refused_for_a_cancelled_meeting():
    user = FocalPointFactory()
    invitation = InvitationFactory(
        person=user.person, meeting=MeetingFactory(status=MeetingStatus.CANCELLED)
    )
    with pytest.raises(ValidationError) as error:
        invitation_respond(invitation=invitation, response="tentative", by=user)
    assert error.value.messages == ["This meeting is cancelled."]


# --- attendance -------------------------------------------------------------------------------
def test_attendance_record_fills_organisation_and_capacity_from_the_person(secretariat):
    observer = OrganisationFactory(kind="observer")
    person = PersonFactory(organisation=observer)
    meeting = PastMeetingFactory()
    attendance = attendance_record(meeting=meeting, person=person, by=secretariat)
    assert (attendance.organisation, attendance.capacity, attendance.status) == (
        observer,
        AttendanceCapacity.OBSERVER,
        AttendanceStatus.PRESENT,
    )
    assert attendance.recorded_by == secretariat


def test_attendance_record_of_a_partner_person_is_a_guest_and_twice_is_one_row(secretariat):
    person = PersonFactory(organisation=OrganisationFactory(kind="partner"))
    meeting = PastMeetingFactory()
    attendance_record(meeting=meeting, person=person, by=secretariat)
    attendance_record(meeting=meeting, person=person, status="excused", by=secretariat)
    row = Attendance.objects.get(meeting=meeting)
    assert (row.capacity, row.status) == (AttendanceCapacity.GUEST, AttendanceStatus.EXCUSED)


def test_attendance_record_of_an_organisation_without_names(secretariat):
    member = OrganisationFactory(kind="member")
    meeting = PastMeetingFactory()
    attendance_record(meeting=meeting, organisation=member, by=secretariat)
    attendance_record(meeting=meeting, organisation=member, by=secretariat)
    row = Attendance.objects.get(meeting=meeting)
    assert (row.person, row.organisation, row.capacity) == (None, member, "member")


def test_attendance_record_refusals(secretariat):
    with pytest.raises(ValidationError) as error:
        attendance_record(meeting=PastMeetingFactory(), by=secretariat)
    assert error.value.messages == ["Name the person or the organisation that took part."]
    with pytest.raises(ValidationError) as error:
        attendance_record(meeting=MeetingFactory(), person=PersonFactory(), by=secretariat)
    assert error.value.messages == ["Attendance can be recorded once the meeting has started."]
    cancelled = PastMeetingFactory(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError) as error:
        attendance_record(meeting=cancelled, person=PersonFactory(), by=secretariat)
    assert error.value.messages == ["This meeting was cancelled: no attendance can be recorded."]
    with pytest.raises(ValidationError):
        attendance_record(
            meeting=PastMeetingFactory(), person=PersonFactory(), capacity="vip", by=secretariat
        )
    with pytest.raises(PermissionDenied):
        attendance_record(meeting=PastMeetingFactory(), person=PersonFactory(), by=UserFactory())


def test_attendance_from_invitations_records_those_who_accepted(secretariat):
    meeting = MeetingFactory()
    accepted, declined = PersonFactory(), PersonFactory()
    InvitationFactory(
        meeting=meeting, person=accepted, response="accepted", responded_at=timezone.now()
    )
    InvitationFactory(
        meeting=meeting, person=declined, response="declined", responded_at=timezone.now()
    )
    rows = attendance_from_invitations(meeting=meeting, by=secretariat, now=meeting.end)
    assert [row.person for row in rows] == [accepted]
    assert Attendance.objects.filter(meeting=meeting).count() == 1


# --- minutes ----------------------------------------------------------------------------------
def test_minutes_go_from_draft_to_public(secretariat, time_machine):
    meeting = PastMeetingFactory()
    later = RecentMeetingFactory()
    minutes = minutes_save_draft(meeting=meeting, body="First draft", by=secretariat)
    assert minutes.status == MinutesStatus.DRAFT
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    minutes = minutes_circulate(minutes=minutes, by=secretariat)
    assert minutes.status == MinutesStatus.CIRCULATED
    assert minutes.circulated_at == now
    time_machine.move_to(now + datetime.timedelta(days=30), tick=False)
    minutes = minutes_approve(minutes=minutes, at_meeting=later, by=secretariat)
    assert (minutes.status, minutes.approved_at_meeting) == (MinutesStatus.APPROVED, later)
    assert minutes.approved_at == now + datetime.timedelta(days=30)
    time_machine.move_to(now + datetime.timedelta(days=31), tick=False)
    minutes = minutes_publish(minutes=minutes, by=secretariat)
    assert minutes.status == MinutesStatus.PUBLIC
    assert minutes.published_at == now + datetime.timedelta(days=31)
    minutes.refresh_from_db()
    assert (minutes.circulated_at, minutes.approved_at, minutes.published_at) == (
        now,
        now + datetime.timedelta(days=30),
        now + datetime.timedelta(days=31),
    )


def test_minutes_approve_uses_the_meeting_chosen_beforehand(secretariat):
    meeting, later = PastMeetingFactory(), RecentMeetingFactory()
    minutes = minutes_save_draft(
        meeting=meeting, body="Text", approved_at_meeting=later, by=secretariat
    )
    minutes_circulate(minutes=minutes, by=secretariat)
    minutes = minutes_approve(minutes=minutes, by=secretariat)
    assert minutes.approved_at_meeting == later


def test_minutes_refused_transitions(secretariat):
    meeting = PastMeetingFactory()
    minutes = MinutesFactory(meeting=meeting)
    with pytest.raises(ValidationError) as error:
        minutes_approve(minutes=minutes, at_meeting=RecentMeetingFactory(), by=secretariat)
    assert error.value.messages == ["Only circulated minutes can be approved."]
    with pytest.raises(ValidationError) as error:
        minutes_publish(minutes=minutes, by=secretariat)
    assert error.value.messages == ["Only approved minutes can be made public."]
    minutes_circulate(minutes=minutes, by=secretariat)
    with pytest.raises(ValidationError) as error:
        minutes_circulate(minutes=minutes, by=secretariat)
    assert error.value.messages == ["Only draft minutes can be circulated."]
    with pytest.raises(ValidationError) as error:
        minutes_approve(minutes=minutes, by=secretariat)
    assert error.value.messages == ["Choose the meeting that approved these minutes."]
    earlier = PastMeetingFactory(start=meeting.start - datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        minutes_approve(minutes=minutes, at_meeting=earlier, by=secretariat)
    assert error.value.messages == ["Minutes are approved at a later meeting."]
    with pytest.raises(ValidationError):
        minutes_approve(minutes=minutes, at_meeting=meeting, by=secretariat)
    with pytest.raises(ValidationError) as error:
        minutes_approve(minutes=minutes, at_meeting=MeetingFactory(), by=secretariat)
    assert error.value.messages == [
        "Minutes are approved once the approving meeting has taken place."
    ]
    with pytest.raises(PermissionDenied):
        minutes_approve(minutes=minutes, at_meeting=RecentMeetingFactory(), by=FocalPointFactory())


def test_the_minutes_lifecycle_is_one_table_of_moves():
    assert {to: move.from_status for to, move in MINUTES_MOVES.items()} == {
        MinutesStatus.CIRCULATED: MinutesStatus.DRAFT,
        MinutesStatus.APPROVED: MinutesStatus.CIRCULATED,
        MinutesStatus.PUBLIC: MinutesStatus.APPROVED,
    }


@pytest.mark.parametrize(
    ("status", "to_status", "message"),
    [
        ("draft", "draft", "Minutes cannot be moved to this status."),
        ("draft", "public", "Only approved minutes can be made public."),
        ("circulated", "draft", "Minutes cannot be moved to this status."),
        ("public", "circulated", "Only draft minutes can be circulated."),
        ("approved", "approved", "Only circulated minutes can be approved."),
    ],
)
def test_minutes_transition_refuses_what_the_table_does_not_allow(
    secretariat, status, to_status, message
):
    minutes = MinutesFactory(
        meeting=PastMeetingFactory(),
        status=status,
        body="Text",
        approved_at_meeting=RecentMeetingFactory(),
        approved_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as error:
        minutes_transition(minutes=minutes, to_status=to_status, by=secretariat)
    assert error.value.messages == [message]
    minutes.refresh_from_db()
    assert minutes.status == status


def test_minutes_circulate_refuses_empty_minutes(secretariat):
    minutes = MinutesFactory(body="  ")
    with pytest.raises(ValidationError) as error:
        minutes_circulate(minutes=minutes, by=secretariat)
    assert error.value.messages == ["Write the minutes before circulating them."]


def test_minutes_are_frozen_after_approval_and_earlier_versions_kept(secretariat):
    meeting = PastMeetingFactory()
    minutes_save_draft(meeting=meeting, body="Draft one", by=secretariat)
    minutes_save_draft(meeting=meeting, body="Draft two", by=secretariat)
    minutes = minutes_save_draft(meeting=meeting, body="Draft three", by=secretariat)
    minutes_circulate(minutes=minutes, by=secretariat)
    minutes_approve(minutes=minutes, at_meeting=RecentMeetingFactory(), by=secretariat)

    with pytest.raises(ValidationError) as error:
        minutes_save_draft(meeting=meeting, body="Rewritten after approval", by=secretariat)
    assert error.value.messages == ["These minutes are approved: their text can no longer change."]
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.body == "Draft three"
    assert list(minutes.versions.order_by("pk").values_list("body", "status")) == [
        ("Draft one", "draft"),
        ("Draft two", "draft"),
        ("Draft three", "approved"),
    ]
    minutes_publish(minutes=minutes, by=secretariat)
    with pytest.raises(ValidationError):
        minutes_save_draft(meeting=meeting, body="Still frozen", by=secretariat)


def test_naming_a_participant_replaces_the_organisation_placeholder():
    from meetings.models import Attendance
    from meetings.selectors import attendance_summary
    from meetings.services import attendance_record
    from tests.factories import OrganisationFactory, PersonFactory
    from tests.factories.meetings import PastMeetingFactory

    secretariat = SecretariatUserFactory()
    eclac = OrganisationFactory(acronym="ECLAC")
    meeting = PastMeetingFactory()
    attendance_record(meeting=meeting, organisation=eclac, by=secretariat)
    assert attendance_summary(meeting).participants == 1
    attendance_record(meeting=meeting, person=PersonFactory(organisation=eclac), by=secretariat)
    assert attendance_summary(meeting).participants == 1
    assert Attendance.objects.filter(meeting=meeting, person=None).count() == 0
