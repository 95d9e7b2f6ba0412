"""Meeting reminders: when they are due, who gets them, what happens on cancel and reschedule,
SMTP failures and retries. Frozen clock (time-machine); e-mail captured by Django's locmem
backend (the SMTP server is the only thing faked)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings.models import (
    Meeting,
    ReminderDelivery,
    SchedulePrecision,
    SchedulerHeartbeat,
    validate_reminder_offsets,
)
from meetings.reminders.email import REMINDER_EMAIL, delivery_message_id
from meetings.reminders.schedule import (
    deliveries_retry_failed,
    heartbeat_is_stale,
    reminders_materialise,
    reminders_poll,
    reminders_send_now,
)
from meetings.services import (
    SYSTEM,
    invitation_respond,
    meeting_cancel,
    meeting_reschedule,
    meeting_update,
)
from meetings.tasks import queue_due_reminders
from tests.factories import PersonFactory, SecretariatUserFactory
from tests.factories.meetings import InvitationFactory, MeetingFactory
from tests.meetings.email_backends import FlakyBackend
from untfsse.core.outbox.engine import Outcome, delivery_send
from untfsse.core.outbox.kinds import MAX_ATTEMPTS
from untfsse.core.outbox.tasks import send_delivery

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
# A Tuesday in May: no daylight-saving change anywhere near it.
START = datetime.datetime(2026, 5, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    """Run the periodic task's work at a frozen moment, with its queued sends executed (tasks run
    eagerly in tests). Returns (rows proposed, deliveries queued)."""

    def run(at: datetime.datetime):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return reminders_poll()

    return run


def meeting_at(start=START, **fields) -> Meeting:
    return MeetingFactory(start=start, end=start + 2 * HOUR, **fields)


def invite(meeting, **person_fields):
    person = PersonFactory(**person_fields)
    InvitationFactory(meeting=meeting, person=person)
    return person


def deliveries(meeting, **filters):
    return list(
        ReminderDelivery.objects.filter(meeting=meeting, **filters)
        .order_by("pk")
        .values_list("person__email", "kind", "offset_hours", "state")
    )


# --- When -----------------------------------------------------------------------------------
def test_each_offset_is_due_at_its_hour_and_sent_once(poll, mailoutbox):
    meeting = meeting_at(title="45th Regular Meeting")
    person = invite(meeting, email="ana@example.org")

    assert poll(START - 168 * HOUR - MINUTE) == (0, 0)
    assert poll(START - 168 * HOUR) == (1, 1)
    assert [m.subject for m in mailoutbox] == [
        "[UNTFSSE Portal] Reminder: 45th Regular Meeting (in 7 days)"
    ]
    assert poll(START - 100 * HOUR) == (0, 0)
    assert poll(START - 24 * HOUR - MINUTE) == (0, 0)
    assert poll(START - 24 * HOUR) == (1, 1)
    assert poll(START - 23 * HOUR) == (0, 0)
    assert [m.subject for m in mailoutbox] == [
        "[UNTFSSE Portal] Reminder: 45th Regular Meeting (in 7 days)",
        "[UNTFSSE Portal] Reminder: 45th Regular Meeting (in 24 hours)",
    ]
    assert [m.to for m in mailoutbox] == [[person.email], [person.email]]
    assert deliveries(meeting) == [
        ("ana@example.org", "reminder", 168, "sent"),
        ("ana@example.org", "reminder", 24, "sent"),
    ]


def test_a_meeting_scheduled_late_sends_only_the_nearest_reminder(poll, mailoutbox):
    meeting = meeting_at(title="Retreat")
    invite(meeting, email="ana@example.org")

    assert poll(START - 12 * HOUR) == (1, 1)
    assert poll(START - 11 * HOUR) == (0, 0)

    assert deliveries(meeting) == [
        ("ana@example.org", "reminder", 24, "sent"),
        ("ana@example.org", "reminder", 168, "skipped"),
    ]
    skipped = ReminderDelivery.objects.get(meeting=meeting, offset_hours=168)
    assert skipped.last_error == (
        "A reminder nearer the start was due at the same time: only that one goes."
    )
    assert [m.subject for m in mailoutbox] == ["[UNTFSSE Portal] Reminder: Retreat (in 12 hours)"]
    assert "Retreat starts in 12 hours." in mailoutbox[0].body


def test_a_meeting_scheduled_just_before_an_offset_sends_exactly_one_reminder(poll, mailoutbox):
    # Scheduled 61 minutes ahead with reminders 24 hours and 1 hour before: the 24-hour one is
    # due at once, the 1-hour one a minute later; both would say "in 1 hour".
    meeting = meeting_at(title="Retreat", reminder_offsets=[24, 1])
    invite(meeting, email="ana@example.org")

    assert poll(START - 61 * MINUTE) == (1, 1)
    assert poll(START - 60 * MINUTE) == (0, 0)
    assert poll(START - 30 * MINUTE) == (0, 0)

    assert [m.subject for m in mailoutbox] == ["[UNTFSSE Portal] Reminder: Retreat (in 1 hour)"]
    assert deliveries(meeting) == [
        ("ana@example.org", "reminder", 24, "sent"),
        ("ana@example.org", "reminder", 1, "skipped"),
    ]
    assert ReminderDelivery.objects.get(meeting=meeting, offset_hours=1).last_error == (
        "The person was reminded shortly before this reminder fell due: one reminder at a time."
    )


def test_a_farther_reminder_left_pending_is_skipped_when_a_nearer_one_is_due(
    poll, mailoutbox, django_capture_on_commit_callbacks
):
    # The 7-day row was written but never sent (the worker was away for six days).
    meeting = meeting_at(title="Retreat")
    invite(meeting, email="ana@example.org")
    with time_machine.travel(START - 168 * HOUR, tick=False):
        reminders_materialise()
    assert deliveries(meeting) == [("ana@example.org", "reminder", 168, "pending")]

    poll(START - 24 * HOUR)

    assert [m.subject for m in mailoutbox] == ["[UNTFSSE Portal] Reminder: Retreat (in 24 hours)"]
    assert deliveries(meeting) == [
        ("ana@example.org", "reminder", 168, "skipped"),
        ("ana@example.org", "reminder", 24, "sent"),
    ]
    assert ReminderDelivery.objects.get(meeting=meeting, offset_hours=168).last_error == (
        "A reminder nearer the start was due at the same time: only that one goes."
    )


def test_a_meeting_scheduled_three_days_ahead_never_says_seven_days(poll, mailoutbox):
    meeting = meeting_at(title="Retreat")
    invite(meeting, email="ana@example.org")

    poll(START - 72 * HOUR)
    poll(START - 24 * HOUR)

    assert [m.subject for m in mailoutbox] == [
        "[UNTFSSE Portal] Reminder: Retreat (in 3 days)",
        "[UNTFSSE Portal] Reminder: Retreat (in 24 hours)",
    ]
    assert "Retreat starts in 3 days." in mailoutbox[0].body


def test_custom_offsets_per_meeting(poll, mailoutbox):
    meeting = meeting_at(reminder_offsets=[2])
    invite(meeting)

    assert poll(START - 24 * HOUR) == (0, 0)
    assert poll(START - 2 * HOUR) == (1, 1)
    assert len(mailoutbox) == 1


def test_no_offsets_no_reminders(poll, mailoutbox):
    meeting = meeting_at(reminder_offsets=[])
    invite(meeting)

    assert poll(START - HOUR) == (0, 0)
    assert mailoutbox == []


def test_nothing_for_a_meeting_that_has_started(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting)

    assert poll(START) == (0, 0)
    assert poll(START + HOUR) == (0, 0)
    assert mailoutbox == []


def test_a_reminder_still_pending_at_the_start_is_skipped(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting)
    with time_machine.travel(START - HOUR, tick=False):
        reminders_materialise()  # the worker was down until after the start

    assert poll(START + MINUTE) == (0, 1)
    assert mailoutbox == []
    delivery = ReminderDelivery.objects.get(meeting=meeting, offset_hours=24)
    assert (delivery.state, delivery.last_error) == ("skipped", "The meeting has started.")


def test_month_only_meetings_get_no_reminders(poll, mailoutbox):
    meeting = meeting_at(schedule_precision=SchedulePrecision.MONTH)
    invite(meeting)

    assert poll(START - HOUR) == (0, 0)


# --- Who ------------------------------------------------------------------------------------
def test_declined_opted_out_and_addressless_invitees_get_nothing(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting, email="yes@example.org")
    tentative = invite(meeting, email="maybe@example.org")
    declined = invite(meeting, email="no@example.org")
    invite(meeting, email="off@example.org", receives_reminders=False)
    invite(meeting, email="")
    PersonFactory(email="not-invited@example.org")
    with time_machine.travel(START - 200 * HOUR, tick=False):
        invitation_respond(invitation=declined.invitations.get(), response="declined", by=SYSTEM)
        invitation_respond(invitation=tentative.invitations.get(), response="tentative", by=SYSTEM)

    poll(START - 24 * HOUR)

    assert sorted(m.to[0] for m in mailoutbox) == ["maybe@example.org", "yes@example.org"]
    assert sorted(email for email, *_rest in deliveries(meeting, offset_hours=24)) == [
        "maybe@example.org",
        "yes@example.org",
    ]


def test_a_person_who_declines_after_the_row_was_made_is_skipped_at_sending(poll, mailoutbox):
    meeting = meeting_at()
    person = invite(meeting)
    with time_machine.travel(START - 24 * HOUR, tick=False):
        reminders_materialise()
        invitation_respond(invitation=person.invitations.get(), response="declined", by=SYSTEM)

    poll(START - 23 * HOUR)

    assert mailoutbox == []
    delivery = ReminderDelivery.objects.get(meeting=meeting, offset_hours=24)
    assert (delivery.state, delivery.last_error) == (
        "skipped",
        "The person declined the invitation.",
    )


def test_a_person_who_opts_out_after_the_row_was_made_is_skipped_at_sending(poll, mailoutbox):
    meeting = meeting_at()
    person = invite(meeting)
    with time_machine.travel(START - 24 * HOUR, tick=False):
        reminders_materialise()
    person.receives_reminders = False
    person.save()

    poll(START - 23 * HOUR)

    assert mailoutbox == []
    assert deliveries(meeting) == [
        (person.email, "reminder", 24, "skipped"),
        (person.email, "reminder", 168, "skipped"),
    ]


# --- Cancel and reschedule --------------------------------------------------------------------
def test_cancelling_stops_reminders_and_notifies_those_already_reminded(poll, mailoutbox):
    meeting = meeting_at(title="46th Regular Meeting")
    reminded = invite(meeting, email="reminded@example.org")
    poll(START - 168 * HOUR)
    late = invite(meeting, email="late@example.org")
    with time_machine.travel(START - 100 * HOUR, tick=False):
        reminders_materialise()  # a 7-day row for the late invitee, not yet sent
        meeting_cancel(meeting=meeting, by=SecretariatUserFactory())

    poll(START - 99 * HOUR)
    poll(START - 24 * HOUR)

    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([reminded.email], "[UNTFSSE Portal] Reminder: 46th Regular Meeting (in 7 days)"),
        ([reminded.email], "[UNTFSSE Portal] Cancelled: 46th Regular Meeting"),
    ]
    assert deliveries(meeting) == [
        ("reminded@example.org", "reminder", 168, "sent"),
        ("late@example.org", "reminder", 168, "skipped"),
        ("reminded@example.org", "cancellation", 0, "sent"),
    ]
    assert late.email not in {m.to[0] for m in mailoutbox}
    ics = mailoutbox[1].attachments[0][1]
    assert "STATUS:CANCELLED" in ics


def test_cancelling_before_any_reminder_sends_nothing(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting)
    with time_machine.travel(START - 200 * HOUR, tick=False):
        meeting_cancel(meeting=meeting, by=SecretariatUserFactory())

    poll(START - 24 * HOUR)

    assert mailoutbox == []
    assert deliveries(meeting) == []


def test_rescheduling_sends_an_update_then_reminders_for_the_new_start(poll, mailoutbox):
    meeting = meeting_at(title="47th Regular Meeting")
    reminded = invite(meeting, email="reminded@example.org")
    poll(START - 168 * HOUR)
    newcomer = invite(meeting, email="new@example.org")
    new_start = START + 48 * HOUR
    with time_machine.travel(START - 100 * HOUR, tick=False):
        meeting_reschedule(
            meeting=meeting,
            start=new_start,
            end=new_start + 2 * HOUR,
            by=SecretariatUserFactory(),
        )

    poll(START - 99 * HOUR)  # the update to the reminded one; the 7-day reminder to the newcomer
    poll(START - 24 * HOUR)  # the old 1-day time: nothing
    poll(new_start - 24 * HOUR)  # the new 1-day time: both

    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        (reminded.email, "[UNTFSSE Portal] Reminder: 47th Regular Meeting (in 7 days)"),
        (reminded.email, "[UNTFSSE Portal] New time: 47th Regular Meeting"),
        (newcomer.email, "[UNTFSSE Portal] Reminder: 47th Regular Meeting (in 6 days)"),
        (reminded.email, "[UNTFSSE Portal] Reminder: 47th Regular Meeting (in 24 hours)"),
        (newcomer.email, "[UNTFSSE Portal] Reminder: 47th Regular Meeting (in 24 hours)"),
    ]
    # and the 7-day reminder the reminded one was not sent for the new start, recorded skipped
    assert ReminderDelivery.objects.filter(scheduled_start=new_start).count() == 5
    assert deliveries(meeting, scheduled_start=new_start, state="skipped") == [
        (reminded.email, "reminder", 168, "skipped")
    ]
    update = mailoutbox[1]
    assert "47th Regular Meeting has been rescheduled." in update.body
    assert "May 14, 2026, 12:00–14:00 (UTC)" in update.body


def test_rescheduling_skips_the_pending_reminders_of_the_old_start(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting)
    with time_machine.travel(START - 24 * HOUR, tick=False):
        reminders_materialise()
        meeting_reschedule(
            meeting=meeting,
            start=START + 24 * HOUR,
            end=START + 26 * HOUR,
            by=SecretariatUserFactory(),
        )

    assert [(d.state, d.last_error) for d in ReminderDelivery.objects.filter(offset_hours=24)] == [
        ("skipped", "The meeting was rescheduled.")
    ]
    poll(START - 23 * HOUR)
    # Nobody was told the old time, so no update notice; for the new start, 47 hours away, the
    # nearest due reminder is the 7-day one.
    assert [m.subject for m in mailoutbox] == [
        f"[UNTFSSE Portal] Reminder: {meeting.title} (in 2 days)"
    ]
    assert deliveries(meeting) == [
        (meeting.invitations.get().person.email, "reminder", 24, "skipped"),
        (meeting.invitations.get().person.email, "reminder", 168, "skipped"),
        (meeting.invitations.get().person.email, "reminder", 168, "sent"),
    ]


def test_a_timing_change_through_meeting_update_also_sends_the_update(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting)
    poll(START - 24 * HOUR)

    with time_machine.travel(START - 20 * HOUR, tick=False):
        meeting.start, meeting.end = START + HOUR, START + 3 * HOUR
        meeting_update(meeting=meeting, by=SecretariatUserFactory())
    poll(START - 19 * HOUR)

    assert [m.subject.split("]")[1].split(":")[0].strip() for m in mailoutbox] == [
        "Reminder",
        "New time",
    ]


# --- Daylight saving ------------------------------------------------------------------------
def test_reminders_count_real_hours_across_the_spring_change(poll, mailoutbox):
    # Europe/Zurich moves to summer time on 29 March 2026 at 02:00. A meeting that day at
    # 14:00 (12:00 UTC): 24 hours before is 28 March 13:00 on the wall clock, 25 wall hours.
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    start = datetime.datetime(2026, 3, 29, 14, 0, tzinfo=zurich)
    meeting = meeting_at(start=start, time_zone="Europe/Zurich", reminder_offsets=[24])
    invite(meeting)
    due = datetime.datetime(2026, 3, 28, 13, 0, tzinfo=zurich)
    assert start.astimezone(UTC) - due.astimezone(UTC) == 24 * HOUR

    assert poll(due - MINUTE)[0] == 0
    assert poll(due)[0] == 1
    assert ReminderDelivery.objects.get(offset_hours=24).due_at == due


def test_reminders_count_real_hours_across_the_autumn_change(poll):
    # Back to winter time on 25 October 2026 at 03:00: 24 hours before 14:00 that day is
    # 15:00 the day before, 23 wall-clock hours.
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    start = datetime.datetime(2026, 10, 25, 14, 0, tzinfo=zurich)
    meeting = meeting_at(start=start, time_zone="Europe/Zurich", reminder_offsets=[24])
    invite(meeting)
    due = datetime.datetime(2026, 10, 24, 15, 0, tzinfo=zurich)
    assert start.astimezone(UTC) - due.astimezone(UTC) == 24 * HOUR

    assert poll(due - MINUTE)[0] == 0
    assert poll(due)[0] == 1


def test_the_recipient_sees_the_time_of_the_meeting_day_not_of_the_sending_day(poll, mailoutbox):
    # New York moves to summer time on 8 March 2026, Zurich only on 29 March. The 7-day
    # reminder of a meeting on 12 March at 14:00 Zurich (13:00 UTC) goes out on 5 March, when
    # New York is UTC-5; on the meeting day it is UTC-4, so the meeting is at 09:00 there.
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    start = datetime.datetime(2026, 3, 12, 14, 0, tzinfo=zurich)
    meeting = meeting_at(start=start, time_zone="Europe/Zurich")
    invite(meeting, time_zone="America/New_York")

    poll(start - 168 * HOUR)

    body = mailoutbox[0].body
    assert "When: March 12, 2026, 09:00–11:00 (America/New_York)" in body
    assert "Local time of the meeting: March 12, 2026, 14:00–16:00 (Europe/Zurich)" in body


# --- SMTP failures ----------------------------------------------------------------------------
@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.meetings.email_backends.FlakyBackend"
    FlakyBackend.failures = 0
    yield FlakyBackend
    FlakyBackend.failures = 0


def test_an_smtp_failure_is_retried_later_with_the_same_message_id(poll, mailoutbox, flaky_smtp):
    meeting = meeting_at()
    invite(meeting)
    flaky_smtp.failures = 1
    t0 = START - 24 * HOUR

    poll(t0)
    delivery = ReminderDelivery.objects.get(offset_hours=24)
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (
        "pending",
        1,
        t0 + 2 * MINUTE,
    )
    assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert poll(t0 + MINUTE) == (0, 0)  # not due again yet

    poll(t0 + 2 * MINUTE)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.sent_at, delivery.last_error) == (
        "sent",
        2,
        t0 + 2 * MINUTE,
        "",
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == delivery.message_id
    assert (
        delivery.message_id
        == (f"<reminder-{delivery.pk}.20260512T1200Z@unsse.org>")
        == delivery_message_id(delivery)
    )


def test_smtp_failing_to_the_last_attempt_marks_the_delivery_failed(poll, mailoutbox, flaky_smtp):
    meeting = meeting_at()
    invite(meeting)
    flaky_smtp.failures = -1
    moment = START - 24 * HOUR
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        poll(moment)
        delivery = ReminderDelivery.objects.get(offset_hours=24)
        waits.append(delivery.next_attempt_at - moment)
        moment = delivery.next_attempt_at

    assert (delivery.state, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    # Back-off of 2, 4, 8 and 16 minutes; the 5th failure is final.
    assert waits == [2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE, 0 * MINUTE]
    assert poll(moment + HOUR) == (0, 0)
    assert mailoutbox == []

    # The secretariat retries once the server is back.
    flaky_smtp.failures = 0
    with time_machine.travel(moment + 2 * HOUR, tick=False):
        assert (
            deliveries_retry_failed(
                deliveries=ReminderDelivery.objects.all(), by=SecretariatUserFactory()
            )
            == 1
        )
    poll(moment + 2 * HOUR)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 1)
    assert len(mailoutbox) == 1


# --- Exactly once ---------------------------------------------------------------------------
def test_a_redelivered_task_finds_the_delivery_sent_and_does_nothing(poll, mailoutbox):
    meeting = meeting_at()
    invite(meeting)
    poll(START - 24 * HOUR)
    delivery = ReminderDelivery.objects.get(offset_hours=24)

    with time_machine.travel(START - 23 * HOUR, tick=False):
        assert send_delivery(kind=REMINDER_EMAIL.name, delivery_id=delivery.pk) == "not_pending"
        assert delivery_send(REMINDER_EMAIL, delivery_id=delivery.pk) == Outcome.NOT_PENDING
        assert delivery_send(REMINDER_EMAIL, delivery_id=delivery.pk + 1000) == Outcome.GONE
    assert len(mailoutbox) == 1


def test_polling_twice_at_the_same_moment_sends_once(poll, mailoutbox):
    meeting = meeting_at()
    for _ in range(3):
        invite(meeting)

    poll(START - 24 * HOUR)
    poll(START - 24 * HOUR)

    assert len(mailoutbox) == 3
    assert ReminderDelivery.objects.filter(state="sent").count() == 3
    assert ReminderDelivery.objects.count() == 6  # and three 7-day ones recorded as skipped


def test_send_now_respects_exactly_once(mailoutbox, django_capture_on_commit_callbacks):
    meeting = meeting_at()
    invite(meeting)
    other = meeting_at(start=START + 24 * HOUR)
    invite(other)
    secretariat = SecretariatUserFactory()

    with time_machine.travel(START - 20 * HOUR, tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                reminders_send_now(meetings=[meeting], by=secretariat)

    assert len(mailoutbox) == 1
    assert ReminderDelivery.objects.filter(meeting=other).count() == 0


# --- The poller task --------------------------------------------------------------------------
def test_the_periodic_task_records_its_heartbeat(django_capture_on_commit_callbacks):
    assert heartbeat_is_stale()
    with time_machine.travel(START, tick=False):
        queue_due_reminders.delay()
        assert not heartbeat_is_stale()
    assert SchedulerHeartbeat.objects.get().last_run_at == START
    with time_machine.travel(START + 15 * MINUTE, tick=False):
        assert not heartbeat_is_stale()
    with time_machine.travel(START + 16 * MINUTE, tick=False):
        assert heartbeat_is_stale()


# --- Offsets ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("168", "invalid"),
        ([24, "2"], "invalid"),
        ([24, True], "invalid"),
        ([1, 2, 3, 4, 5, 6], "too_many"),
        ([24, 24], "duplicate"),
        ([0], "out_of_range"),
        ([2161], "out_of_range"),
    ],
)
def test_reminder_offsets_are_validated(value, code):
    with pytest.raises(ValidationError) as error:
        validate_reminder_offsets(value)
    assert error.value.code == code


def test_reminder_offsets_default_to_seven_days_and_one_day():
    assert Meeting().reminder_offsets == [168, 24]
    validate_reminder_offsets([168, 24, 1])
    validate_reminder_offsets([])
