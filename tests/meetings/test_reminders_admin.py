"""The secretariat's view of reminders: deliveries per meeting, failed ones and their retry,
"send due reminders now", the reminder times of a meeting, and the stopped-scheduler warning."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from meetings.models import DeliveryState, Meeting, ReminderDelivery
from meetings.reminders.schedule import heartbeat_record
from tests.factories import PersonFactory, UserFactory
from tests.factories.meetings import InvitationFactory, MeetingFactory, ReminderDeliveryFactory
from tests.meetings.test_admin import management_forms

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def failed_delivery(meeting=None, **fields):
    meeting = meeting or MeetingFactory()
    person = PersonFactory()
    InvitationFactory(meeting=meeting, person=person)
    return ReminderDeliveryFactory(
        meeting=meeting,
        person=person,
        state=DeliveryState.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        **fields,
    )


# 9: with no language cookie, the admin reads the officer's preferred language (one query); the
# session is read from the cache.
@pytest.mark.parametrize(("rows", "queries"), [(1, 9), (3, 9)])
def test_delivery_list_query_count(admin_client, django_assert_num_queries, rows, queries):
    meeting = MeetingFactory()
    for _ in range(rows):
        failed_delivery(meeting)

    with django_assert_num_queries(queries):
        response = admin_client.get("/admin/meetings/reminderdelivery/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


def test_failed_deliveries_are_listed_with_their_error(admin_client):
    delivery = failed_delivery()
    ReminderDeliveryFactory(meeting=delivery.meeting, state=DeliveryState.PENDING)

    response = admin_client.get("/admin/meetings/reminderdelivery/?state__exact=failed")

    assert list(response.context["cl"].result_list) == [delivery]
    html = response.content.decode()
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert delivery.person.name in html


def test_the_meeting_page_shows_its_deliveries(admin_client):
    delivery = failed_delivery()

    response = admin_client.get(f"/admin/meetings/meeting/{delivery.meeting.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Invitations, reminders and notices e-mailed" in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert 'value="168, 24"' in html  # the meeting's reminder times


def test_retry_failed_action_sends_again(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    delivery = failed_delivery()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/meetings/reminderdelivery/",
            {"action": "retry_failed", "_selected_action": [delivery.pk]},
            follow=True,
        )

    assert "1 failed delivery queued again." in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 1)
    assert [message.to for message in mailoutbox] == [[delivery.person.email]]


def test_retry_failed_reminders_action_on_meetings(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    delivery = failed_delivery()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/meetings/meeting/",
            {"action": "retry_failed_reminders", "_selected_action": [delivery.meeting.pk]},
        )

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_send_due_reminders_now_sends_each_once(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now() + 10 * HOUR
    meeting = MeetingFactory(start=start, end=start + HOUR)
    InvitationFactory(meeting=meeting)
    InvitationFactory(meeting=meeting)
    later = MeetingFactory(start=start + 100 * HOUR, end=start + 101 * HOUR)
    InvitationFactory(meeting=later)

    for expected in ("3 reminders queued", "0 reminders queued"):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/admin/meetings/meeting/",
                {"action": "send_due_reminders_now", "_selected_action": [meeting.pk, later.pk]},
                follow=True,
            )
        assert expected in response.content.decode()

    # The later meeting's 7-day reminder is due too: 3 in all, each once.
    assert len(mailoutbox) == 3
    assert ReminderDelivery.objects.filter(state=DeliveryState.SENT).count() == 3


def test_deliveries_are_read_only(admin_client):
    delivery = failed_delivery()

    assert admin_client.get("/admin/meetings/reminderdelivery/add/").status_code == 403
    response = admin_client.post(
        f"/admin/meetings/reminderdelivery/{delivery.pk}/change/", {"state": "sent"}
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED


# --- Reminder times of a meeting ------------------------------------------------------------
def change_form_data(admin_client, meeting, **changes):
    response = admin_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"start", "end", "reminder_offsets"}
    }
    data.update(
        {
            # typed in the meeting's own time zone
            "start_0": meeting.local_start.strftime("%Y-%m-%d"),
            "start_1": meeting.local_start.strftime("%H:%M:%S"),
            "end_0": meeting.local_end.strftime("%Y-%m-%d"),
            "end_1": meeting.local_end.strftime("%H:%M:%S"),
            **management_forms(),
            **changes,
        }
    )
    return data


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("72, 2", [72, 2]), ("48 1", [48, 1]), ("", []), ("168,24,", [168, 24])],
)
def test_the_secretariat_sets_the_reminder_times(admin_client, typed, stored):
    meeting = MeetingFactory()

    response = admin_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        change_form_data(admin_client, meeting, reminder_offsets=typed),
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.reminder_offsets == stored


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("a week", "Give the reminders as whole numbers of hours, e.g. 168, 24."),
        ("1.5", "Give the reminders as whole numbers of hours, e.g. 168, 24."),
        ("1, 2, 3, 4, 5, 6", "At most 5 reminders per meeting."),
        ("24, 24", "Each reminder time may appear only once."),
        ("0", "Each reminder goes between 1 and 2160 hours (90 days) before the start."),
    ],
)
def test_wrong_reminder_times_are_refused_with_a_message(admin_client, typed, error):
    meeting = MeetingFactory()

    response = admin_client.post(
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        change_form_data(admin_client, meeting, reminder_offsets=typed),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["reminder_offsets"] == [error]
    assert 'value="{}"'.format(typed.replace('"', "&quot;")) in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).reminder_offsets == [168, 24]


# --- The stopped-scheduler warning ------------------------------------------------------------
WARNING = "Meeting reminders are not being sent"


def test_admin_index_warns_when_the_scheduler_never_ran(admin_client):
    html = admin_client.get("/admin/").content.decode()

    assert (
        '<ul class="messagelist"><li class="warning">Meeting reminders are not being sent: the '
        "scheduler has never run. Check that Celery beat and a worker are running.</li></ul>"
    ) in html


def test_admin_index_warns_when_the_scheduler_stopped(admin_client):
    now = timezone.now()
    heartbeat_record(now=now - 20 * datetime.timedelta(minutes=1))

    html = admin_client.get("/admin/").content.decode()

    assert "the scheduler last ran 20\xa0minutes ago" in html


def test_admin_index_is_quiet_while_the_scheduler_runs(admin_client):
    heartbeat_record()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14)):
        html = admin_client.get("/admin/").content.decode()

    assert WARNING not in html
    assert "Meetings" in html


def test_a_staff_account_without_permission_cannot_read_or_retry_reminders(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    delivery = failed_delivery()
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/meetings/reminderdelivery/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        refused = [
            client.post(
                "/admin/meetings/reminderdelivery/",
                {"action": "retry_failed", "_selected_action": [delivery.pk], "index": "0"},
            ).status_code,
            client.post(
                "/admin/meetings/meeting/",
                {
                    "action": "retry_failed_reminders",
                    "_selected_action": [delivery.meeting.pk],
                    "index": "0",
                },
            ).status_code,
        ]
    assert refused == [403, 403]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 5)
    assert mailoutbox == []
