"""The secretariat's cycle in a real headless Chromium, with the real parts behind it: the
secretariat creates a meeting in Europe/Zurich time in the admin, invites the focal points of
two organisations, the invitations reach a real local SMTP server through a real Celery worker
(Redis broker, PostgreSQL), one invitee accepts through the e-mail's link without signing in,
a reminder goes out; once the meeting has taken place, attendance is recorded from the
replies and the minutes are circulated (e-mailed to every focal point through the worker),
approved and made public, all from the meeting's admin page.

Required in CI (markers `browser` and `worker`). Its Redis database (REDIS_URL) is flushed
before and after: point REDIS_URL at a database of your own.
"""

import datetime
import re
import tempfile
import zoneinfo
from pathlib import Path

import icalendar
import pytest
import redis
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Attendance, Invitation, Meeting, MinutesStatus, ReminderDelivery
from tests.celery_worker import kill_worker, start_worker, worker_environment
from tests.factories import DEFAULT_PASSWORD, FocalPointFactory, OrganisationFactory
from tests.factories.meetings import MinutesFactory, PastMeetingFactory
from tests.factories.members import SecretariatUserFactory
from tests.smtp_sink import SmtpSink
from untfsse.celery import app as celery_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
MAIL_TIMEOUT = 120  # seconds; a busy shared machine starts a worker slowly


@pytest.fixture
def broker():
    """The real Redis broker, empty, with this process (and the live server in it) queuing to
    it instead of running tasks in process."""
    connection = redis.Redis.from_url(settings.REDIS_URL)
    connection.flushdb()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield connection
    finally:
        celery_app.conf.task_always_eager = eager
        connection.flushdb()
        connection.close()


@pytest.fixture
def worker(broker, live_server, settings):
    """A real `celery worker` sending to a local SMTP server; links in e-mails point at the
    live server."""
    settings.PORTAL_URL = live_server.url
    log_path = Path(tempfile.mkdtemp(prefix="cycle-journey-")) / "worker.log"
    with SmtpSink() as sink:
        process = start_worker(
            environment=worker_environment(smtp_port=sink.port), log_path=log_path, name="cycle"
        )
        try:
            yield sink, log_path
        finally:
            kill_worker(process)


def _wait(sink, count, log_path):
    assert sink.wait_for(count, timeout=MAIL_TIMEOUT), (
        f"{sink.count()} of {count} messages arrived\n" + log_path.read_text()[-4000:]
    )


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _ics(message) -> icalendar.Calendar:
    (part,) = [part for part in message.iter_attachments() if part.get_filename() == "meeting.ics"]
    return icalendar.Calendar.from_ical(part.get_content())


def test_the_secretariat_runs_a_meeting_from_invitation_to_public_minutes(
    live_server, page, browser, worker
):
    sink, log_path = worker
    secretariat = SecretariatUserFactory(email="verze@example.org", name="Valentina Verze")
    ilo = OrganisationFactory(kind="member", acronym="ILO", slug="ilo", name="ILO")
    ripess = OrganisationFactory(kind="observer", acronym="RIPESS", slug="ripess", name="RIPESS")
    undp = OrganisationFactory(kind="member", acronym="UNDP", slug="undp", name="UNDP")
    anna = FocalPointFactory(organisation=ilo, email="anna@ilo.example", name="Anna Keller")
    anna.person.time_zone = "Asia/Tokyo"
    anna.person.save()
    bruno = FocalPointFactory(
        organisation=ripess, email="bruno@ripess.example", name="Bruno Diallo"
    )
    bruno.person.preferred_language = "fr"
    bruno.person.time_zone = "Africa/Dakar"
    bruno.person.save()
    FocalPointFactory(organisation=undp, email="not-invited@undp.example")

    # Tomorrow, about 20 hours from now, on the Geneva clock: the 1-day reminder is due at once.
    local_start = (timezone.now().astimezone(ZURICH) + datetime.timedelta(hours=20)).replace(
        second=0, microsecond=0
    )
    local_start += datetime.timedelta(minutes=10 - local_start.minute % 10)
    local_end = local_start + datetime.timedelta(hours=2)

    # --- The secretariat signs in and creates the meeting in Geneva time ---------------------
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/meetings/meeting/add/")
    page.get_by_label("Email").fill(secretariat.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Add meeting")).to_be_visible()
    expect(page.get_by_label("Reminders (hours before the start)")).to_have_value("168, 24")
    page.get_by_label("Kind").select_option("regular")
    page.get_by_label("Number").fill("46")
    page.get_by_label("Title").fill("46th Regular Meeting")
    page.get_by_label("Time zone of the meeting").fill("Europe/Zurich")
    page.locator("#id_start_0").fill(local_start.strftime("%Y-%m-%d"))
    page.locator("#id_start_1").fill(local_start.strftime("%H:%M"))
    page.locator("#id_end_0").fill(local_end.strftime("%Y-%m-%d"))
    page.locator("#id_end_1").fill(local_end.strftime("%H:%M"))
    page.get_by_label("Mode").select_option("virtual")
    page.get_by_label("Online join link (members only)").fill("https://meet.example.org/46")
    page.get_by_role("button", name="Add another Agenda item").click()
    page.locator("#id_agenda_items-0-title").fill("The action plan's next steps")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    meeting = Meeting.objects.get(slug="46th-regular-meeting")
    assert (meeting.start, meeting.end, meeting.time_zone) == (
        local_start.astimezone(datetime.UTC),
        local_end.astimezone(datetime.UTC),
        "Europe/Zurich",
    )
    assert meeting.reminder_offsets == [168, 24]
    expect(page.locator("#id_start_1")).to_have_value(local_start.strftime("%H:%M:%S"))

    # --- It invites the focal points of two organisations ------------------------------------
    cycle = page.get_by_role("region", name="The meeting's cycle")
    cycle.get_by_role("link", name="Invite people…").click()
    expect(
        page.get_by_role("heading", name="Invite people to 46th Regular Meeting")
    ).to_be_visible()
    page.locator("#id_organisations_from").select_option(label=["ILO", "RIPESS"])
    page.locator("#id_organisations_add").click()
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "2 people invited: their invitation e-mails are on their way."
    )

    _wait(sink, 2, log_path)
    invitations = {message["To"]: message for message in sink.parsed()}
    assert sorted(invitations) == ["anna@ilo.example", "bruno@ripess.example"]
    english, french = invitations["anna@ilo.example"], invitations["bruno@ripess.example"]
    assert english["Subject"] == "[UNTFSSE Portal] Invitation: 46th Regular Meeting"
    assert french["Subject"] == "[UNTFSSE Portal] Invitation : 46th Regular Meeting"
    assert "You are invited to 46th Regular Meeting." in _text(english)
    assert "Vous êtes invité·e à 46th Regular Meeting." in _text(french)
    assert 'lang="fr"' in french.get_body(preferencelist=("html",)).get_content()
    tokyo = local_start.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}–" in _text(english) and "(Asia/Tokyo)" in _text(english)
    assert "1. The action plan's next steps" in _text(english)
    assert "Join online: https://meet.example.org/46" in _text(english)
    for message in (english, french):
        calendar = _ics(message)
        (event,) = calendar.walk("VEVENT")
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == f"meeting-{meeting.pk}@untfsse-portal"
        assert event.decoded("DTSTART") == local_start
        assert str(event["ATTENDEE"]) == f"mailto:{message['To']}"

    # --- The secretariat sees the e-mails went ------------------------------------------------
    page.reload()
    expect(page.locator(".field-invitations_overview")).to_contain_text(
        "Invitation e-mails: 2 sent, 0 waiting, 0 failed, 0 not sent."
    )

    # --- Bruno accepts through the e-mail's link, without signing in -------------------------
    accept = re.search(r"Je participerai\s*:\s*(\S+)", _text(french)).group(1)
    assert accept.startswith(f"{live_server.url}/fr/meetings/invitations/")
    visitor = browser.new_context().new_page()
    visitor.goto(accept)
    visitor.get_by_role("button", name="Confirmer : je participerai").click()
    expect(visitor.get_by_role("status")).to_contain_text(
        "Merci, Bruno Diallo : vous participerez. Votre réponse est enregistrée."
    )
    answered = Invitation.objects.get(person=bruno.person)
    assert answered.response == "accepted" and answered.responded_at is not None
    visitor.goto(accept)  # the same link again: used, nothing changes
    expect(visitor.get_by_role("alert")).to_contain_text("Ce lien a déjà été utilisé.")
    visitor.close()

    # --- A reminder goes out ----------------------------------------------------------------
    page.goto(f"{live_server.url}/admin/meetings/meeting/")
    page.locator(f'input[name="_selected_action"][value="{meeting.pk}"]').check()
    page.locator('select[name="action"]').select_option("send_due_reminders_now")
    page.locator('button[name="index"]').click()
    expect(page.locator(".messagelist")).to_contain_text("2 reminders queued")

    _wait(sink, 4, log_path)
    reminders = {message["To"]: message for message in sink.parsed()[2:]}
    assert sorted(reminders) == ["anna@ilo.example", "bruno@ripess.example"]
    assert reminders["anna@ilo.example"]["Subject"] == (
        "[UNTFSSE Portal] Reminder: 46th Regular Meeting (in 20 hours)"
    )
    assert reminders["bruno@ripess.example"]["Subject"].startswith(
        "[UNTFSSE Portal] Rappel : 46th Regular Meeting"
    )
    # One reminder each: the 7-day one, due at the same time, is recorded as skipped.
    assert sorted(
        ReminderDelivery.objects.filter(meeting=meeting, kind="reminder").values_list(
            "email", "offset_hours", "state"
        )
    ) == [
        ("", 168, "skipped"),
        ("", 168, "skipped"),
        ("anna@ilo.example", 24, "sent"),
        ("bruno@ripess.example", 24, "sent"),
    ]
    assert sink.count() == 4

    # --- The meeting takes place ------------------------------------------------------------
    # Rather than wait a day, its dates move to the past (an update, not the form: moving it on
    # the form would rightly e-mail everyone an update notice). A later meeting that has taken
    # place will approve its minutes; the secretariat has written the draft.
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=two_days_ago, end=two_days_ago + datetime.timedelta(hours=2)
    )
    approving = PastMeetingFactory(
        title="47th Regular Meeting",
        start=timezone.now() - datetime.timedelta(days=1),
        end=timezone.now() - datetime.timedelta(days=1, hours=-2),
    )
    MinutesFactory(meeting=meeting, body="The Task Force agreed the action plan's next steps.")

    # --- Attendance from the replies: Bruno accepted, so he is proposed present --------------
    change = f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/"
    page.goto(change)
    page.get_by_role("link", name="Record attendance from the invitations").click()
    lines = {page.locator(f"#line-{index}-name").inner_text(): index for index in range(2)}
    assert sorted(lines) == ["Anna Keller", "Bruno Diallo"]
    expect(page.locator(f"select[name='line-{lines['Bruno Diallo']}-status']")).to_have_value(
        "present"
    )
    page.get_by_role("button", name="Record attendance").click()
    expect(page.locator(".messagelist")).to_contain_text("Attendance recorded for 1 person.")
    assert list(
        Attendance.objects.filter(meeting=meeting).values_list("person__name", "capacity", "status")
    ) == [("Bruno Diallo", "observer", "present")]

    # --- The minutes: circulated (e-mailed to every focal point), approved, made public ------
    page.get_by_role("link", name="Circulate the minutes").click()
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "The minutes were circulated to members and observers."
    )
    _wait(sink, 7, log_path)
    circulated = {message["To"]: message for message in sink.parsed()[4:]}
    assert sorted(circulated) == [
        "anna@ilo.example",
        "bruno@ripess.example",
        "not-invited@undp.example",
    ]
    assert circulated["anna@ilo.example"]["Subject"] == (
        "[UNTFSSE Portal] Draft minutes for comment: 46th Regular Meeting"
    )
    assert circulated["bruno@ripess.example"]["Subject"].endswith("46th Regular Meeting")
    assert (
        circulated["bruno@ripess.example"]["Subject"] != (circulated["anna@ilo.example"]["Subject"])
    )

    page.get_by_role("link", name="Approve the minutes").click()
    page.get_by_label("Approved at").select_option(label=str(approving))
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "The minutes were approved; their text is frozen."
    )
    page.get_by_role("link", name="Make the minutes public").click()
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.locator(".messagelist")).to_contain_text("The minutes are public.")
    meeting.minutes.refresh_from_db()
    assert (meeting.minutes.status, meeting.minutes.approved_at_meeting) == (
        MinutesStatus.PUBLIC,
        approving,
    )

    # --- A visitor reads them ----------------------------------------------------------------
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/meetings/{meeting.slug}/")
    minutes = visitor.locator("section.minutes")
    expect(minutes).to_contain_text("The Task Force agreed the action plan's next steps.")
    expect(minutes).to_contain_text("Approved at the 47th Regular Meeting.")
    visitor.close()
    assert sink.count() == 7
