"""The reminder e-mails (one recipient each, HTML and text, language, time zone, join link only
for those who may see it, .ics, unsubscribe headers) and the unsubscribe link."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
import time_machine
from django.test import Client

from meetings.models import MeetingMode, ReminderDelivery
from meetings.reminders.schedule import reminders_poll
from meetings.reminders.unsubscribe import unsubscribe_token
from meetings.services import meeting_cancel, meeting_reschedule
from members.models import OrganisationKind
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
)
from tests.factories.meetings import AgendaItemFactory, InvitationFactory, MeetingFactory
from tests.untfsse.test_pages import INLINE_SCRIPT, INLINE_STYLE, assert_strict_csp

pytestmark = pytest.mark.django_db

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
START = datetime.datetime(2026, 3, 30, 10, 0, tzinfo=ZURICH)  # 08:00 UTC, summer time
HOUR = datetime.timedelta(hours=1)
PORTAL = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    def run(at):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return reminders_poll()

    return run


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="48th Regular Meeting",
        slug="48th-regular-meeting",
        start=START,
        end=START + 2 * HOUR,
        time_zone="Europe/Zurich",
        mode=MeetingMode.VIRTUAL,
        join_url="https://meet.example.org/untfsse-48",
        reminder_offsets=[24],
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Adoption of the agenda")
    AgendaItemFactory(meeting=meeting, order=2, title="SSE & the 2030 Agenda")
    return meeting


def focal_point_person(**person_fields):
    user = FocalPointFactory(organisation=OrganisationFactory(kind=OrganisationKind.MEMBER))
    person = user.person
    for name, value in person_fields.items():
        setattr(person, name, value)
    person.save()
    return person


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_a_reminder_to_a_focal_point_has_everything(meeting, poll, mailoutbox):
    person = focal_point_person(name="Kim Young Hyun", time_zone="Asia/Seoul")
    InvitationFactory(meeting=meeting, person=person)

    poll(START - 24 * HOUR)

    (message,) = mailoutbox
    delivery = ReminderDelivery.objects.get()
    token = unsubscribe_token(person)
    unsubscribe_url = f"{PORTAL}/meetings/reminders/unsubscribe/{token}/"
    assert (message.to, message.cc, message.bcc) == ([person.email], [], [])
    assert message.subject == "[UNTFSSE Portal] Reminder: 48th Regular Meeting (in 24 hours)"
    assert message.extra_headers == {
        "Message-ID": f"<reminder-{delivery.pk}.20260330T0800Z@unsse.org>",
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    assert delivery.message_id == message.extra_headers["Message-ID"]
    assert message.body == (
        "Dear Kim Young Hyun,\n"
        "\n"
        "This is a reminder: 48th Regular Meeting starts in 24 hours.\n"
        "\n"
        "48th Regular Meeting\n"
        "When: March 30, 2026, 17:00–19:00 (Asia/Seoul)\n"
        "Local time of the meeting: March 30, 2026, 10:00–12:00 (Europe/Zurich)\n"
        "Mode: Virtual\n"
        "Join online: https://meet.example.org/untfsse-48\n"
        f"Meeting page: {PORTAL}/meetings/48th-regular-meeting/\n"
        "\n"
        "Agenda:\n"
        "1. Adoption of the agenda\n"
        "2. SSE & the 2030 Agenda\n"
        "\n"
        "If you have not answered the invitation yet, please do so on the meeting page: "
        f"{PORTAL}/meetings/48th-regular-meeting/#rsvp\n"
        "The meeting is attached as a calendar file (.ics).\n"
        "\n"
        "--\n"
        "You receive this e-mail because you are invited to this meeting.\n"
        f"To stop meeting reminders: {unsubscribe_url}\n"
    )
    html = html_of(message)
    assert '<html lang="en">' in html
    assert "<dt>When (your time)</dt><dd>March 30, 2026, 17:00–19:00 (Asia/Seoul)</dd>" in html
    assert (
        '<dd><a href="https://meet.example.org/untfsse-48">https://meet.example.org/untfsse-48</a>'
        in html
    )
    assert "<li>SSE &amp; the 2030 Agenda</li>" in html
    assert f'<a href="{unsubscribe_url}">Stop meeting reminders</a>' in html
    assert INLINE_SCRIPT.findall(html) == [] and INLINE_STYLE.findall(html) == []

    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@untfsse-portal"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == START
    assert "Join: https://meet.example.org/untfsse-48" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    "person_kind",
    ["no account", "partner focal point", "former member's focal point"],
)
def test_no_join_link_for_those_who_may_not_see_it(meeting, poll, mailoutbox, person_kind):
    if person_kind == "no account":
        person = PersonFactory()
    elif person_kind == "partner focal point":
        person = focal_point_person()
        person.organisation.kind = OrganisationKind.PARTNER
        person.organisation.save()
    else:
        person = focal_point_person()
        person.organisation.left_on = datetime.date(2020, 1, 1)
        person.organisation.save()
    InvitationFactory(meeting=meeting, person=person)

    poll(START - 24 * HOUR)

    (message,) = mailoutbox
    assert "meet.example.org" not in message.body
    assert "meet.example.org" not in html_of(message)
    assert "meet.example.org" not in message.attachments[0][1]
    assert "Mode: Virtual" in message.body


@pytest.mark.parametrize(
    ("language", "date", "prefix"),
    [
        ("en", "March 30, 2026", ""),
        ("fr", "30 mars 2026", "/fr"),
        ("es", "30 de marzo de 2026", "/es"),
    ],
)
def test_every_kind_of_e_mail_renders_in_the_recipient_language(
    meeting, poll, mailoutbox, language, date, prefix
):
    person = PersonFactory(preferred_language=language, time_zone="Europe/Zurich")
    InvitationFactory(meeting=meeting, person=person)
    secretariat = SecretariatUserFactory()

    poll(START - 24 * HOUR)  # reminder
    with time_machine.travel(START - 23 * HOUR, tick=False):
        meeting_reschedule(
            meeting=meeting, start=START + HOUR, end=START + 3 * HOUR, by=secretariat
        )
    poll(START - 22 * HOUR)  # update
    with time_machine.travel(START - 21 * HOUR, tick=False):
        meeting_cancel(meeting=meeting, by=secretariat)
    poll(START - 20 * HOUR)  # cancellation

    assert [delivery.kind for delivery in ReminderDelivery.objects.order_by("pk")] == [
        "reminder",
        "update",
        "cancellation",
    ]
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        html = html_of(message)
        assert f'<html lang="{language}">' in html
        assert date in message.body and date in html
        assert f"{PORTAL}{prefix}/meetings/48th-regular-meeting/" in message.body
        assert f"{PORTAL}{prefix}/meetings/reminders/unsubscribe/" in message.body
        assert message.attachments[0][0] == "meeting.ics"
    # The recipient is in the meeting's time zone: one time, no conversion.
    assert "(Europe/Zurich)" in mailoutbox[0].body
    assert "11:00" in mailoutbox[1].body  # the new time


def test_html_escapes_what_the_text_shows_as_typed(poll, mailoutbox):
    meeting = MeetingFactory(
        title="<b>Retreat</b> & friends", start=START, end=START + HOUR, reminder_offsets=[24]
    )
    InvitationFactory(meeting=meeting, person=PersonFactory(name="Anne <O'Hara>"))

    poll(START - 24 * HOUR)

    (message,) = mailoutbox
    assert "<b>Retreat</b> & friends starts in 24 hours." in message.body
    assert "Dear Anne <O'Hara>," in message.body
    html = html_of(message)
    assert "&lt;b&gt;Retreat&lt;/b&gt; &amp; friends" in html
    assert "<b>Retreat</b>" not in html
    assert message.subject == "[UNTFSSE Portal] Reminder: <b>Retreat</b> & friends (in 24 hours)"


# --- Unsubscribe ----------------------------------------------------------------------------
def unsubscribe_path(person, language_prefix=""):
    return f"{language_prefix}/meetings/reminders/unsubscribe/{unsubscribe_token(person)}/"


def test_the_unsubscribe_link_asks_first_without_sign_in(client):
    person = PersonFactory(name="Simel Esim")

    response = client.get(unsubscribe_path(person))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop meeting reminders for Simel Esim?" in html
    assert '<form method="post" action="" class="form">' in html
    assert_strict_csp(response)
    person.refresh_from_db()
    assert person.receives_reminders is True


def test_one_click_unsubscribe_turns_reminders_off(meeting, poll, mailoutbox):
    person = PersonFactory(name="Simel Esim")
    InvitationFactory(meeting=meeting, person=person)
    # What a mail program sends for RFC 8058 one-click: a POST with no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        unsubscribe_path(person),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Done: Simel Esim will no longer receive meeting reminders" in response.content.decode()
    person.refresh_from_db()
    assert person.receives_reminders is False
    poll(START - 24 * HOUR)
    assert mailoutbox == []


def test_unsubscribe_in_another_language(client):
    person = PersonFactory()

    response = client.post(unsubscribe_path(person, "/fr"))

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    person.refresh_from_db()
    assert person.receives_reminders is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_damaged_unsubscribe_link_is_refused_with_a_message(client, method):
    person = PersonFactory()
    token = unsubscribe_token(person)
    forged = re.sub(r"^[^:]+", "OTk5", token)  # another person's id, the old signature

    for path in (
        f"/meetings/reminders/unsubscribe/{token[:-3]}/",
        f"/meetings/reminders/unsubscribe/{forged}/",
        "/meetings/reminders/unsubscribe/nonsense/",
    ):
        response = getattr(client, method)(path)
        assert response.status_code == 400
        assert "This link is not valid." in response.content.decode()
    person.refresh_from_db()
    assert person.receives_reminders is True


def test_the_unsubscribe_link_of_a_deleted_person_is_refused(client):
    person = PersonFactory()
    path = unsubscribe_path(person)
    person.delete()

    assert client.post(path).status_code == 400
