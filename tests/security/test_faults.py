"""Faults that lose nothing: a broker that cannot be reached, an SMTP server that refuses or
never answers. The services are made unreachable by the tests (closed ports, a silent socket);
the database outage and the cache outage have their own tests (tests/untfsse)."""

import datetime
import socket
import subprocess
import sys
import textwrap
import threading

import pytest
from django.core import mail
from django.utils import timezone

from members.models import AffiliationRequest
from members.services import affiliation_request_approve, affiliation_request_create
from tests.celery_worker import BASE_DIR, worker_environment
from tests.factories import OrganisationFactory, SecretariatUserFactory, UserFactory
from tests.members.outbox_tasks import send_affiliation_decision
from untfsse.core.outbox.tasks import sweep_deliveries as sweep_unsent_affiliation_emails

pytestmark = pytest.mark.django_db

CLOSED_PORT = 9  # the discard port: nothing listens there, connections are refused


def run_with_broker_away(script: str, settings) -> subprocess.CompletedProcess:
    """Run `script` in a separate portal process (production settings, this test's database)
    whose Celery broker is a Redis nobody answers."""
    environment = worker_environment(smtp_port=CLOSED_PORT)
    environment.update(
        REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0",
        REDIS_CACHE_URL=f"redis://127.0.0.1:{CLOSED_PORT}/1",
        KNOWLEDGE_HUB_FILES_ROOT=str(settings.KNOWLEDGE_HUB_FILES_ROOT),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
    )
    program = "import django\ndjango.setup()\n" + textwrap.dedent(script)
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def smtp_refusing(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", CLOSED_PORT
    yield
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def smtp_silent(settings):
    """An SMTP server that accepts the connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
    settings.EMAIL_TIMEOUT = 1
    yield
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_made_while_the_broker_is_away_is_not_lost(settings, time_machine):
    organisation = OrganisationFactory(acronym="RIPESS")
    user = UserFactory(email="hamish@example.org")
    result = run_with_broker_away(
        f"""
        from django.test import Client
        from members.models import User
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(pk={user.pk}))
        response = client.post("/members/affiliation/", {{"organisation": {organisation.pk}, "name": "Hamish Jenkins"}})
        print(response.status_code)
        """,
        settings,
    )
    # The page answered normally although the notice could not be queued...
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "302"
    assert "Broker unavailable: members.notify_secretariat_of_affiliation_request" in result.stderr
    # ...and the notice waits in the database for the sweep, which sends it once the broker is back.
    request = AffiliationRequest.objects.get()
    assert request.secretariat_notified_at is None
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3))
    sweep_unsent_affiliation_emails()
    assert [message.subject for message in mail.outbox] == [
        "[UNTFSSE Portal] Affiliation request: Hamish Jenkins for RIPESS"
    ]


def test_the_sweep_sends_what_a_lost_task_left_unsent_exactly_once(time_machine):
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    request = affiliation_request_create(
        user=UserFactory(), organisation=OrganisationFactory(acronym="RIPESS"), name="X"
    )
    affiliation_request_approve(request=request, by=SecretariatUserFactory())
    # Both tasks were lost (nothing ran: the on_commit callbacks were not executed).
    sweep_unsent_affiliation_emails()
    assert mail.outbox == []  # too young: their own tasks may still be coming
    time_machine.shift(datetime.timedelta(minutes=3))
    sweep_unsent_affiliation_emails()
    assert sorted(message.subject for message in mail.outbox) == [
        "[UNTFSSE Portal] Affiliation request: X for RIPESS",
        "[UNTFSSE Portal] You are now a focal point of RIPESS",
    ]
    sweep_unsent_affiliation_emails()
    send_affiliation_decision(request_id=request.pk)
    assert len(mail.outbox) == 2


def test_an_smtp_server_that_refuses_delays_the_email_but_never_loses_it(
    smtp_refusing, settings, time_machine
):
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    request = affiliation_request_create(
        user=UserFactory(), organisation=OrganisationFactory(acronym="RIPESS"), name="X"
    )
    affiliation_request_approve(request=request, by=SecretariatUserFactory())
    send_affiliation_decision(request_id=request.pk)  # refused: no exception escapes the task
    request.refresh_from_db()
    assert request.decision_emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.shift(datetime.timedelta(minutes=3))
    sweep_unsent_affiliation_emails()
    request.refresh_from_db()
    assert request.decision_emailed_at == start + datetime.timedelta(minutes=3)
    assert [message.subject for message in mail.outbox if "focal point" in message.subject] == [
        "[UNTFSSE Portal] You are now a focal point of RIPESS"
    ]


def test_an_smtp_server_that_never_answers_times_out_and_keeps_the_email(smtp_silent):
    request = affiliation_request_create(
        user=UserFactory(), organisation=OrganisationFactory(), name="X"
    )
    affiliation_request_approve(request=request, by=SecretariatUserFactory())
    started = timezone.now()
    send_affiliation_decision(request_id=request.pk)
    assert timezone.now() - started < datetime.timedelta(seconds=10)
    request.refresh_from_db()
    assert request.decision_emailed_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reminder_poll_while_the_broker_is_away_keeps_every_delivery_pending(settings):
    from meetings.models import DeliveryState, ReminderDelivery
    from tests.factories import FocalPointFactory
    from tests.factories.meetings import InvitationFactory, MeetingFactory

    meeting = MeetingFactory(start=timezone.now() + datetime.timedelta(hours=20))
    for _ in range(3):
        InvitationFactory(meeting=meeting, person=FocalPointFactory().person)
    result = run_with_broker_away(
        """
        from meetings.reminders.schedule import reminders_poll
        reminders_poll()
        """,
        settings,
    )
    assert result.returncode == 0, result.stderr
    assert (
        list(ReminderDelivery.objects.filter(offset_hours=24).values_list("state", flat=True))
        == [DeliveryState.PENDING] * 3
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_text_extraction_lost_with_the_broker_is_swept_later(settings, time_machine):
    from knowledgehub.models import Resource, TextExtractionStatus
    from knowledgehub.tasks import sweep_pending_text_extraction

    result = run_with_broker_away(
        """
        from django.core.files.uploadedfile import SimpleUploadedFile
        from knowledgehub.services import resource_create
        from tests.knowledgehub.pdfs import make_pdf
        resource_create(
            kind="report", title="Cooperatives in Kenya",
            pdf=SimpleUploadedFile("p.pdf", make_pdf("Savings and credit")),
        )
        """,
        settings,
    )
    assert result.returncode == 0, result.stderr
    resource = Resource.objects.get()
    assert resource.text_extraction_status == TextExtractionStatus.PENDING

    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    sweep_pending_text_extraction()
    resource.refresh_from_db()
    assert (resource.text_extraction_status, resource.extracted_text) == (
        TextExtractionStatus.DONE,
        "Savings and credit",
    )
