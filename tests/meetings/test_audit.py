"""Every meetings service records one audit entry (who, what, to what, what changed) in its own
transaction, and a refused one records nothing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.models import (
    DeliveryState,
    Document,
    Meeting,
    MeetingKind,
    MeetingMode,
    Minutes,
    ReminderDelivery,
)
from meetings.reminders.schedule import deliveries_retry_failed, reminders_send_now
from meetings.services import (
    SYSTEM,
    attendance_from_invitations,
    attendance_record,
    document_add,
    document_remove,
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
)
from tests.audit_support import audit_rows
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
    PastMeetingFactory,
    RecentMeetingFactory,
    ReminderDeliveryFactory,
)
from untfsse.core.models import AuditEntry

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def secretariat():
    return SecretariatUserFactory(name="Sara Secretariat", email="sara@unsse.org")


def by_secretariat(secretariat, action, obj, changes, model=None) -> dict:
    label = model or f"{obj._meta.app_label}.{obj._meta.model_name}"
    return {
        "actor": secretariat.pk,
        "actor_label": "Sara Secretariat <sara@unsse.org>",
        "action": action,
        "area": "meetings",
        "object": (label, str(obj.pk), str(obj)),
        "changes": changes,
    }


# --- Meetings -----------------------------------------------------------------------------
def test_meeting_schedule_records_the_new_meeting(secretariat):
    meeting = Meeting(
        kind=MeetingKind.REGULAR,
        number=45,
        title="45th Regular Meeting",
        start=datetime.datetime(2030, 9, 12, 12, 0, tzinfo=UTC),
        end=datetime.datetime(2030, 9, 12, 14, 0, tzinfo=UTC),
        time_zone="Europe/Zurich",
        mode=MeetingMode.VIRTUAL,
    )
    meeting_schedule(meeting=meeting, by=secretariat)
    assert audit_rows() == [
        by_secretariat(
            secretariat,
            "meeting.schedule",
            meeting,
            {"status": [None, "planned"], "start": [None, "2030-09-12T12:00:00+00:00"]},
        )
    ]


def test_meeting_update_records_the_fields_changed(secretariat):
    meeting = MeetingFactory(
        title="45th Regular Meeting",
        start=datetime.datetime(2030, 9, 12, 12, tzinfo=UTC),
        end=datetime.datetime(2030, 9, 12, 14, tzinfo=UTC),
    )
    meeting.title = "45th Regular Meeting (extended)"
    meeting.end = datetime.datetime(2030, 9, 12, 15, 0, tzinfo=UTC)
    meeting_update(meeting=meeting, by=secretariat)
    assert audit_rows() == [
        by_secretariat(
            secretariat,
            "meeting.update",
            meeting,
            {
                "title": ["45th Regular Meeting", "45th Regular Meeting (extended)"],
                "end": ["2030-09-12T14:00:00+00:00", "2030-09-12T15:00:00+00:00"],
                "sequence": [0, 1],
            },
        )
    ]


def test_meeting_reschedule_records_old_and_new_times(secretariat):
    meeting = MeetingFactory(
        start=datetime.datetime(2030, 9, 12, 12, tzinfo=UTC),
        end=datetime.datetime(2030, 9, 12, 14, tzinfo=UTC),
    )
    meeting_reschedule(
        meeting=meeting,
        start=datetime.datetime(2030, 9, 19, 12, tzinfo=UTC),
        end=datetime.datetime(2030, 9, 19, 14, tzinfo=UTC),
        by=secretariat,
    )
    assert audit_rows() == [
        by_secretariat(
            secretariat,
            "meeting.reschedule",
            meeting,
            {
                "start": ["2030-09-12T12:00:00+00:00", "2030-09-19T12:00:00+00:00"],
                "end": ["2030-09-12T14:00:00+00:00", "2030-09-19T14:00:00+00:00"],
                "sequence": [0, 1],
            },
        )
    ]


def test_meeting_cancel_records_who_cancelled_and_when(secretariat):
    meeting = MeetingFactory(title="45th Regular Meeting")
    moment = datetime.datetime(2030, 9, 1, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        meeting_cancel(meeting=meeting, by=secretariat)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.at) == (secretariat, moment)
    assert audit_rows() == [
        by_secretariat(secretariat, "meeting.cancel", meeting, {"status": ["planned", "cancelled"]})
    ]


def test_meeting_cancel_refused_records_nothing(secretariat):
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=MeetingFactory(), by=UserFactory())
    cancelled = MeetingFactory(status="cancelled")
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=cancelled, by=secretariat)
    assert audit_rows() == []


def test_meeting_mark_held_records_the_status(secretariat):
    started = timezone.now() - datetime.timedelta(hours=1)
    meeting = MeetingFactory(start=started, end=started + datetime.timedelta(hours=2))
    meeting_mark_held(meeting=meeting, by=secretariat)
    assert audit_rows() == [
        by_secretariat(secretariat, "meeting.mark_held", meeting, {"status": ["planned", "held"]})
    ]


def test_meeting_mark_held_before_the_start_records_nothing(secretariat):
    with pytest.raises(ValidationError):
        meeting_mark_held(meeting=MeetingFactory(), by=secretariat)
    assert audit_rows() == []


# --- Invitations and attendance -------------------------------------------------------------
def test_invitations_create_records_how_many_were_invited(secretariat):
    meeting = MeetingFactory()
    invitations_create(meeting=meeting, persons=[PersonFactory(), PersonFactory()], by=secretariat)
    assert audit_rows() == [
        by_secretariat(
            secretariat,
            "meeting.invite",
            meeting,
            {"invited": [None, 2], "invitation_emails": [None, 2]},
        )
    ]


def test_invitations_create_with_nobody_new_records_nothing(secretariat):
    meeting = MeetingFactory()
    person = PersonFactory()
    InvitationFactory(meeting=meeting, person=person)
    ReminderDeliveryFactory(meeting=meeting, person=person, kind="invitation", offset_hours=0)
    assert invitations_create(meeting=meeting, persons=[person], by=secretariat) == []
    with pytest.raises(ValidationError):
        invitations_create(meeting=PastMeetingFactory(), persons=[person], by=secretariat)
    assert audit_rows() == []


def test_invitation_respond_records_the_invitee_and_the_answer():
    user = FocalPointFactory(name="Fatou Focal", email="fatou@ilo.org")
    invitation = InvitationFactory(person=user.person)
    invitation_respond(invitation=invitation, response="accepted", by=user)
    invitation_respond(invitation=invitation, response="declined", by=user)
    entry = {
        "actor": user.pk,
        "actor_label": "Fatou Focal <fatou@ilo.org>",
        "action": "invitation.respond",
        "area": "meetings",
        "object": ("meetings.invitation", str(invitation.pk), str(invitation)),
    }
    assert audit_rows() == [
        {**entry, "changes": {"response": ["none", "accepted"]}},
        {**entry, "changes": {"response": ["accepted", "declined"]}},
    ]


def test_invitation_respond_by_someone_else_records_nothing():
    invitation = InvitationFactory(person=FocalPointFactory().person)
    with pytest.raises(PermissionDenied):
        invitation_respond(invitation=invitation, response="accepted", by=FocalPointFactory())
    assert audit_rows() == []


def test_attendance_record_records_a_new_row_then_its_correction(secretariat):
    person = PersonFactory(
        name="Olu Observer", organisation=OrganisationFactory(acronym="RIPESS", kind="observer")
    )
    meeting = PastMeetingFactory(title="44th Regular Meeting")
    attendance = attendance_record(meeting=meeting, person=person, by=secretariat)
    attendance_record(meeting=meeting, person=person, status="excused", by=secretariat)
    assert str(attendance) == "Olu Observer @ 44th Regular Meeting"
    assert audit_rows() == [
        by_secretariat(
            secretariat,
            "attendance.record",
            attendance,
            {
                "organisation": [None, "RIPESS"],
                "capacity": [None, "observer"],
                "status": [None, "present"],
            },
        ),
        by_secretariat(
            secretariat, "attendance.record", attendance, {"status": ["present", "excused"]}
        ),
    ]


def test_attendance_record_refused_records_nothing(secretariat):
    with pytest.raises(ValidationError):
        attendance_record(meeting=MeetingFactory(), person=PersonFactory(), by=secretariat)
    with pytest.raises(PermissionDenied):
        attendance_record(meeting=PastMeetingFactory(), person=PersonFactory(), by=UserFactory())
    assert audit_rows() == []


def test_attendance_from_invitations_records_each_attendance(secretariat):
    meeting = MeetingFactory()
    first, second = PersonFactory(), PersonFactory()
    for person in (first, second):
        InvitationFactory(
            meeting=meeting, person=person, response="accepted", responded_at=timezone.now()
        )
    rows = attendance_from_invitations(meeting=meeting, by=secretariat, now=meeting.end)
    assert [(row["action"], row["object"][1]) for row in audit_rows()] == [
        ("attendance.record", str(rows[0].pk)),
        ("attendance.record", str(rows[1].pk)),
    ]


# --- Minutes --------------------------------------------------------------------------------
def test_minutes_lifecycle_records_each_move(secretariat):
    meeting = PastMeetingFactory(title="44th Regular Meeting")
    later = RecentMeetingFactory(title="45th Regular Meeting")
    minutes = minutes_save_draft(meeting=meeting, body="First draft", by=secretariat)
    minutes_save_draft(meeting=meeting, body="Second draft, longer", by=secretariat)
    minutes_circulate(minutes=minutes, by=secretariat)
    minutes_approve(minutes=minutes, at_meeting=later, by=secretariat)
    minutes_publish(minutes=minutes, by=secretariat)
    minutes = Minutes.objects.get()
    assert str(minutes) == "Minutes of 44th Regular Meeting"
    assert audit_rows() == [
        by_secretariat(secretariat, "minutes.save_draft", minutes, {"body_length": [0, 11]}),
        by_secretariat(secretariat, "minutes.save_draft", minutes, {"body_length": [11, 20]}),
        by_secretariat(
            secretariat,
            "minutes.circulate",
            minutes,
            # No focal point exists here: no e-mail went.
            {"status": ["draft", "circulated"], "emails": [None, 0]},
        ),
        by_secretariat(
            secretariat,
            "minutes.approve",
            minutes,
            {
                "status": ["circulated", "approved"],
                "approved_at_meeting": [None, "45th Regular Meeting"],
            },
        ),
        by_secretariat(secretariat, "minutes.publish", minutes, {"status": ["approved", "public"]}),
    ]


def test_minutes_refused_moves_record_nothing(secretariat):
    minutes = minutes_save_draft(meeting=PastMeetingFactory(), body="Draft", by=secretariat)
    AuditEntry.objects.all().delete()
    with pytest.raises(ValidationError):
        minutes_publish(minutes=minutes, by=secretariat)
    with pytest.raises(PermissionDenied):
        minutes_circulate(minutes=minutes, by=FocalPointFactory())
    assert audit_rows() == []


# --- Documents ------------------------------------------------------------------------------
def test_document_add_and_remove_are_recorded(secretariat):
    meeting = MeetingFactory(title="45th Regular Meeting")
    document = document_add(
        meeting=meeting,
        title="Agenda",
        upload=SimpleUploadedFile("agenda.pdf", b"%PDF-1.4\n%%EOF\n"),
        visibility="public",
        by=secretariat,
    )
    document_id = document.pk
    document_remove(document=document, by=secretariat)
    entry = {
        "actor": secretariat.pk,
        "actor_label": "Sara Secretariat <sara@unsse.org>",
        "area": "meetings",
        "object": ("meetings.document", str(document_id), "Agenda"),
    }
    assert audit_rows() == [
        {
            **entry,
            "action": "document.add",
            "changes": {"meeting": [None, "45th Regular Meeting"], "visibility": [None, "public"]},
        },
        {
            **entry,
            "action": "document.remove",
            "changes": {"meeting": ["45th Regular Meeting", None]},
        },
    ]
    assert Document.objects.count() == 0


def test_document_add_refused_records_nothing(secretariat):
    with pytest.raises(ValidationError):
        document_add(meeting=MeetingFactory(), title="Agenda", by=secretariat)
    with pytest.raises(PermissionDenied):
        document_add(
            meeting=MeetingFactory(), title="Agenda", link="https://example.org", by=UserFactory()
        )
    assert audit_rows() == []


# --- Reminders ------------------------------------------------------------------------------
def test_reminders_send_now_records_the_meetings_and_how_many_were_queued(secretariat):
    meeting = MeetingFactory(title="45th Regular Meeting")
    reminders_send_now(meetings=[meeting], by=secretariat)
    assert audit_rows() == [
        {
            "actor": secretariat.pk,
            "actor_label": "Sara Secretariat <sara@unsse.org>",
            "action": "reminders.send_now",
            "area": "meetings",
            "object": ("meetings.meeting", "", "meetings"),
            "changes": {"meetings": [None, ["45th Regular Meeting"]], "queued": [None, 0]},
        }
    ]


def test_reminder_retry_records_the_deliveries_put_back(
    secretariat, django_capture_on_commit_callbacks
):
    failed = ReminderDeliveryFactory(state=DeliveryState.FAILED, attempts=5)
    ReminderDeliveryFactory(meeting=failed.meeting)  # pending: not retried
    with django_capture_on_commit_callbacks(execute=False):
        deliveries_retry_failed(
            deliveries=ReminderDelivery.objects.filter(meeting=failed.meeting), by=secretariat
        )
    assert audit_rows() == [
        {
            "actor": secretariat.pk,
            "actor_label": "Sara Secretariat <sara@unsse.org>",
            "action": "reminder_delivery.retry_failed",
            "area": "meetings",
            "object": ("meetings.reminderdelivery", "", "reminder deliveries"),
            "changes": {"state": ["failed", "pending"], "deliveries": [None, [failed.pk]]},
        }
    ]


def test_reminder_retry_with_nothing_failed_or_refused_records_nothing(secretariat):
    ReminderDeliveryFactory()  # pending
    assert deliveries_retry_failed(deliveries=ReminderDelivery.objects.all(), by=secretariat) == 0
    with pytest.raises(PermissionDenied):
        deliveries_retry_failed(deliveries=ReminderDelivery.objects.all(), by=UserFactory())
    assert audit_rows() == []


def test_the_system_is_recorded_as_the_system():
    meeting = MeetingFactory()
    meeting_cancel(meeting=meeting, by=SYSTEM)
    assert [(row["actor"], row["actor_label"]) for row in audit_rows()] == [(None, "the system")]
