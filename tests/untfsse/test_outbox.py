"""The outbox (untfsse.core.outbox): one engine for every kind of e-mail.

The same scenarios run for each kind (a meeting reminder, a submission e-mail, the weekly
digest, and the three affiliation e-mails): claim, skip with a reason, back off, fail, retry,
the sweep, the Message-ID. The SMTP server is the only thing faked (Django's locmem backend, a
backend that refuses, or a real local SMTP server)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from knowledgehub.models import NotificationDelivery
from knowledgehub.notifications import SUBMISSION_EMAIL
from meetings.minutes_email import MINUTES_CIRCULATION_EMAIL
from meetings.models import MinutesCirculationDelivery, ReminderDelivery
from meetings.reminders.email import REMINDER_EMAIL
from meetings.services import SYSTEM, invitation_respond, minutes_circulate
from members.emails import DECISION_EMAIL, INVITATION_EMAIL, SECRETARIAT_NOTICE_EMAIL
from members.models import AffiliationDelivery, AffiliationInvitation
from members.services import (
    affiliation_emails_retry_failed,
    affiliation_invitation_accept,
    affiliation_invitation_send,
    affiliation_request_approve,
    affiliation_request_create,
    affiliation_request_reject,
)
from tests.audit_support import audit_rows, label_of
from tests.factories import (
    FocalPointFactory,
    OrganisationFactory,
    PersonFactory,
    SecretariatUserFactory,
    UserFactory,
)
from tests.factories.knowledgehub import make_submission
from tests.factories.meetings import (
    InvitationFactory,
    MeetingFactory,
    MinutesFactory,
    ReminderDeliveryFactory,
)
from tests.meetings.email_backends import FlakyBackend
from tests.smtp_sink import SmtpSink
from untfsse.core.outbox.engine import Outcome, delivery_send
from untfsse.core.outbox.kinds import kind_named, kind_of, registered_kinds
from untfsse.core.outbox.tasks import (
    deliveries_due,
    failed_deliveries_requeue,
    send_delivery,
    sweep_deliveries,
)
from untfsse.portal.digest import WEEKLY_DIGEST_EMAIL
from untfsse.portal.models import DigestDelivery

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
# A Monday morning: the digest's week starts that day.
T0 = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REFUSED = "SMTPServerDisconnected: Connection unexpectedly closed"


# --- One pending row of each kind, written the way the portal writes it ---------------------
def reminder():
    start = T0 + datetime.timedelta(days=2)
    meeting = MeetingFactory(start=start, end=start + datetime.timedelta(hours=2))
    person = PersonFactory(email="ana@example.org")
    InvitationFactory(meeting=meeting, person=person)
    return ReminderDeliveryFactory(meeting=meeting, person=person, due_at=T0)


def submission_email():
    make_submission(submitter=UserFactory(email="sam@example.org"))
    return NotificationDelivery.objects.get(template="submission_received")


def digest():
    return DigestDelivery.objects.create(
        week_starting=T0.date(), email="secretariat@unsse.org", next_attempt_at=T0
    )


def secretariat_notice():
    request = affiliation_request_create(
        user=UserFactory(email="nia@example.org"), organisation=OrganisationFactory(), name="Nia"
    )
    return request.deliveries.get()


def decision():
    request = affiliation_request_create(
        user=UserFactory(email="dee@example.org"), organisation=OrganisationFactory(), name="Dee"
    )
    affiliation_request_reject(request=request, by=SecretariatUserFactory())
    return request.deliveries.get(purpose="decision")


def invitation():
    invited = AffiliationInvitation.objects.create(
        email="ivy@example.org", organisation=OrganisationFactory(), name="Ivy"
    )
    affiliation_invitation_send(invitation=invited, by=SecretariatUserFactory())
    return invited.deliveries.get()


def minutes_circulation():
    FocalPointFactory(email="mo@example.org", organisation__kind="member")
    minutes = MinutesFactory(meeting=MeetingFactory(), body="What was said.")
    minutes_circulate(minutes=minutes, by=SYSTEM)
    return MinutesCirculationDelivery.objects.get()


# The row maker, its kind, and the Message-ID the row's e-mail must carry.
KINDS = {
    "reminder": (
        reminder,
        REMINDER_EMAIL,
        lambda row: f"<reminder-{row.pk}.20261125T0900Z@unsse.org>",
    ),
    "submission e-mail": (
        submission_email,
        SUBMISSION_EMAIL,
        lambda row: f"<submission-{row.submission_id}.t{row.transition_id}.{row.pk}@unsse.org>",
    ),
    "weekly digest": (digest, WEEKLY_DIGEST_EMAIL, lambda row: "<digest-2026-11-23@unsse.org>"),
    "secretariat notice": (
        secretariat_notice,
        SECRETARIAT_NOTICE_EMAIL,
        lambda row: f"<affiliation-secretariat_notice.{row.pk}@unsse.org>",
    ),
    "decision": (
        decision,
        DECISION_EMAIL,
        lambda row: f"<affiliation-decision.{row.pk}@unsse.org>",
    ),
    "invitation": (
        invitation,
        INVITATION_EMAIL,
        lambda row: f"<affiliation-invitation.{row.pk}@unsse.org>",
    ),
    "minutes circulation": (
        minutes_circulation,
        MINUTES_CIRCULATION_EMAIL,
        lambda row: f"<minutes-circulated-{row.pk}@unsse.org>",
    ),
}
RECIPIENT = {
    "reminder": "ana@example.org",
    "submission e-mail": "sam@example.org",
    "weekly digest": "secretariat@unsse.org",
    "secretariat notice": "secretariat@unsse.org",
    "decision": "dee@example.org",
    "invitation": "ivy@example.org",
    "minutes circulation": "mo@example.org",
}


@pytest.fixture
def at_t0(time_machine, settings):
    settings.SECRETARIAT_EMAIL = "secretariat@unsse.org"
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = "tests.meetings.email_backends.FlakyBackend"
    FlakyBackend.failures = -1
    yield FlakyBackend
    FlakyBackend.failures = 0


# --- The kinds ---------------------------------------------------------------------------------
def test_every_kind_of_e_mail_is_registered_once_under_its_name():
    assert sorted(kind.name for kind in registered_kinds()) == [
        "knowledgehub.submission_notification",
        "meetings.minutes_circulated",
        "meetings.reminder",
        "members.notify_secretariat_of_affiliation_request",
        "members.send_affiliation_decision",
        "members.send_affiliation_invitation",
        "untfsse.weekly_digest",
    ]
    assert kind_named("meetings.reminder") is REMINDER_EMAIL
    assert kind_named("meetings.nothing") is None


@pytest.mark.parametrize("name", list(KINDS))
def test_each_row_belongs_to_its_kind(at_t0, name):
    make, kind, _message_id = KINDS[name]
    assert kind_of(make()) is kind


# --- Send, exactly once --------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(KINDS))
def test_a_pending_row_is_sent_once_with_its_message_id(at_t0, name):
    make, kind, message_id = KINDS[name]
    row = make()
    mail.outbox.clear()

    assert delivery_send(kind, delivery_id=row.pk) == Outcome.SENT
    assert delivery_send(kind, delivery_id=row.pk) == Outcome.NOT_PENDING
    assert send_delivery(kind=kind.name, delivery_id=row.pk) == "not_pending"

    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at, row.last_error) == ("sent", 1, T0, "")
    assert (row.email, row.message_id) == (RECIPIENT[name], message_id(row))
    assert [(m.to, m.extra_headers["Message-ID"]) for m in mail.outbox] == [
        ([RECIPIENT[name]], message_id(row))
    ]


@pytest.mark.parametrize("name", list(KINDS))
def test_a_row_that_is_gone_or_of_an_unknown_kind_is_left_quietly(at_t0, name):
    make, kind, _message_id = KINDS[name]
    row = make()
    missing = type(row).objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    assert delivery_send(kind, delivery_id=missing) == Outcome.GONE
    assert send_delivery(kind=kind.name, delivery_id=missing) == "gone"
    assert send_delivery(kind="members.no_such_email", delivery_id=row.pk) == "unknown_kind"
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("pending", 0)


def test_a_row_not_yet_due_waits(at_t0):
    row = digest()
    DigestDelivery.objects.filter(pk=row.pk).update(next_attempt_at=T0 + MINUTE)
    assert delivery_send(WEEKLY_DIGEST_EMAIL, delivery_id=row.pk) == Outcome.NOT_DUE
    at_t0.move_to(T0 + MINUTE, tick=False)
    assert delivery_send(WEEKLY_DIGEST_EMAIL, delivery_id=row.pk) == Outcome.SENT


# --- Back off, fail, retry ---------------------------------------------------------------------
@pytest.mark.parametrize("name", list(KINDS))
def test_smtp_failures_back_off_then_fail_and_a_retry_sends_once(
    at_t0, refusing_smtp, mailoutbox, django_capture_on_commit_callbacks, name
):
    make, kind, message_id = KINDS[name]
    row = make()
    moment, seen = T0, []
    for _attempt in range(kind.max_attempts):
        at_t0.move_to(moment, tick=False)
        outcome = delivery_send(kind, delivery_id=row.pk)
        row.refresh_from_db()
        seen.append((outcome, row.state, row.attempts, row.next_attempt_at - moment))
        moment = row.next_attempt_at

    # 2, 4, 8... minutes after each failure; the last attempt fails the row for good.
    assert seen == [
        (Outcome.RETRY_LATER, "pending", attempt, 2**attempt * MINUTE)
        for attempt in range(1, kind.max_attempts)
    ] + [(Outcome.FAILED, "failed", kind.max_attempts, 0 * MINUTE)]
    assert (row.last_error, row.sent_at, row.message_id) == (REFUSED, None, "")
    assert delivery_send(kind, delivery_id=row.pk) == Outcome.NOT_PENDING
    assert mailoutbox == []

    # The server is back; the retry puts the row back to pending and sends it after commit.
    refusing_smtp.failures = 0
    at_t0.move_to(moment + datetime.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert failed_deliveries_requeue(deliveries=kind.queryset()) == [row.pk]
    row.refresh_from_db()
    assert (row.state, row.attempts, row.message_id, row.last_error) == (
        "sent",
        1,
        message_id(row),
        "",
    )
    assert [m.to for m in mailoutbox] == [[RECIPIENT[name]]]


def test_the_digest_is_tried_for_longer_than_other_e_mails():
    assert (WEEKLY_DIGEST_EMAIL.max_attempts, REMINDER_EMAIL.max_attempts) == (10, 5)


# --- Skip, with the reason recorded --------------------------------------------------------------
def _decline(row):
    invitation_respond(invitation=row.person.invitations.get(), response="declined", by=SYSTEM)


def _nothing(row):
    """The row stays as it is: the clock moves on (see SKIPS)."""


def _accept(row):
    affiliation_invitation_accept(
        invitation=row.invitation, user=UserFactory(email=row.invitation.email)
    )


def _already_told(row):
    type(row.request).objects.filter(pk=row.request_id).update(decision_emailed_at=T0)


SKIPS = {
    "reminder": (_decline, T0, "The person declined the invitation."),
    "weekly digest": (
        _nothing,
        T0 + datetime.timedelta(days=7),
        "The week is over: a newer digest replaces it.",
    ),
    "invitation": (_accept, T0, "The invitation has been accepted."),
    "decision": (_already_told, T0, "The user was told already."),
}


@pytest.mark.parametrize("name", list(SKIPS))
def test_a_row_whose_reason_to_write_is_gone_is_skipped_with_the_reason(at_t0, mailoutbox, name):
    make, kind, _message_id = KINDS[name]
    spoil, moment, reason = SKIPS[name]
    row = make()
    spoil(row)
    mailoutbox.clear()
    at_t0.move_to(moment, tick=False)

    assert delivery_send(kind, delivery_id=row.pk) == Outcome.SKIPPED
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error, row.sent_at) == ("skipped", 0, reason, None)
    assert mailoutbox == []


def test_a_row_with_no_address_is_skipped(at_t0, mailoutbox):
    row = reminder()
    row.person.email = ""
    row.person.save()
    assert delivery_send(REMINDER_EMAIL, delivery_id=row.pk) == Outcome.SKIPPED
    row.refresh_from_db()
    assert (row.state, row.last_error) == ("skipped", "The person has no e-mail address.")


# --- The sweep ------------------------------------------------------------------------------------
def test_the_sweep_queues_the_due_rows_of_every_kind_once_their_task_had_its_chance(
    at_t0, mailoutbox
):
    rows = [make() for make, _kind, _message_id in KINDS.values()]
    pending = {
        kind.name: kind.queryset().filter(state="pending").count()
        for _make, kind, _message_id in KINDS.values()
    }
    assert pending == {
        "meetings.reminder": 1,
        "knowledgehub.submission_notification": 2,  # to the submitter and the secretariat
        "untfsse.weekly_digest": 1,
        "members.notify_secretariat_of_affiliation_request": 2,  # the decision's request too
        "members.send_affiliation_decision": 1,
        "members.send_affiliation_invitation": 1,
        "meetings.minutes_circulated": 1,
    }
    mailoutbox.clear()

    # Rows never tried and younger than two minutes are their own tasks' (not run here).
    assert sweep_deliveries() == 0
    at_t0.move_to(T0 + 2 * MINUTE, tick=False)
    assert sweep_deliveries() == 9  # queued and, tasks running in process, sent
    assert len(mailoutbox) == 9
    for row in rows:
        row.refresh_from_db()
        assert (row.state, row.sent_at) == ("sent", T0 + 2 * MINUTE)
    assert sweep_deliveries() == 0


def test_the_sweep_queues_a_retry_as_soon_as_it_is_due(at_t0, refusing_smtp, mailoutbox):
    row = secretariat_notice()
    assert delivery_send(SECRETARIAT_NOTICE_EMAIL, delivery_id=row.pk) == Outcome.RETRY_LATER
    refusing_smtp.failures = 0

    assert list(deliveries_due(SECRETARIAT_NOTICE_EMAIL, now=T0 + MINUTE)) == []
    assert list(deliveries_due(SECRETARIAT_NOTICE_EMAIL, now=T0 + 2 * MINUTE)) == [row]
    at_t0.move_to(T0 + 2 * MINUTE, tick=False)
    assert sweep_deliveries() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert len(mailoutbox) == 1


# --- The affiliation e-mails' rows ------------------------------------------------------------------
def test_a_request_and_its_decision_write_one_row_each(
    at_t0, django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        request = affiliation_request_create(
            user=user, organisation=OrganisationFactory(acronym="RIPESS"), name="Ana"
        )
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_request_approve(request=request, by=SecretariatUserFactory())

    rows = list(
        AffiliationDelivery.objects.order_by("pk").values_list(
            "purpose", "sequence", "email", "state", "attempts", "sent_at", "message_id"
        )
    )
    notice, decision_row = AffiliationDelivery.objects.order_by("pk")
    assert rows == [
        (
            "secretariat_notice",
            1,
            "secretariat@unsse.org",
            "sent",
            1,
            T0,
            f"<affiliation-secretariat_notice.{notice.pk}@unsse.org>",
        ),
        (
            "decision",
            1,
            "ana@example.org",
            "sent",
            1,
            T0,
            f"<affiliation-decision.{decision_row.pk}@unsse.org>",
        ),
    ]
    request.refresh_from_db()
    assert (request.secretariat_notified_at, request.decision_emailed_at) == (T0, T0)
    assert [m.subject for m in mailoutbox] == [
        "[UNTFSSE Portal] Affiliation request: Ana for RIPESS",
        "[UNTFSSE Portal] You are now a focal point of RIPESS",
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        AffiliationDelivery.objects.create(purpose="decision", request=request)


def test_an_invitation_sent_again_is_a_second_e_mail_with_its_own_message_id(
    at_t0, django_capture_on_commit_callbacks, mailoutbox
):
    invited = AffiliationInvitation.objects.create(
        email="ana@example.org", organisation=OrganisationFactory(), name="Ana"
    )
    secretariat = SecretariatUserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_invitation_send(invitation=invited, by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_invitation_send(invitation=invited, by=secretariat)  # once only...
    at_t0.move_to(T0 + MINUTE, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        affiliation_invitation_send(invitation=invited, by=secretariat, again=True)  # ...or again

    first, second = invited.deliveries.order_by("sequence")
    assert [(row.sequence, row.state, row.sent_at) for row in (first, second)] == [
        (1, "sent", T0),
        (2, "sent", T0 + MINUTE),
    ]
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [
        f"<affiliation-invitation.{first.pk}@unsse.org>",
        f"<affiliation-invitation.{second.pk}@unsse.org>",
    ]
    invited.refresh_from_db()
    assert invited.sent_at == T0 + MINUTE


def test_only_the_secretariat_retries_failed_affiliation_e_mails_and_it_is_recorded(
    at_t0, refusing_smtp, django_capture_on_commit_callbacks, mailoutbox
):
    row = decision()
    AffiliationDelivery.objects.filter(pk=row.pk).update(state="failed", attempts=5)
    secretariat = SecretariatUserFactory()
    before = len(audit_rows())

    with pytest.raises(PermissionDenied):
        affiliation_emails_retry_failed(
            deliveries=AffiliationDelivery.objects.all(), by=UserFactory(is_staff=True)
        )
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", 5)

    refusing_smtp.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            affiliation_emails_retry_failed(
                deliveries=AffiliationDelivery.objects.all(), by=secretariat
            )
            == 1
        )
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)
    assert [m.to for m in mailoutbox] == [["dee@example.org"]]
    assert audit_rows()[before:] == [
        {
            "actor": secretariat.pk,
            "actor_label": label_of(secretariat),
            "action": "affiliation_delivery.retry_failed",
            "area": "members",
            "object": ("members.affiliationdelivery", "", "affiliation e-mails"),
            "changes": {"state": ["failed", "pending"], "deliveries": [None, [row.pk]]},
        }
    ]


def test_the_request_page_lists_its_e_mails(client, at_t0, refusing_smtp):
    row = secretariat_notice()
    delivery_send(SECRETARIAT_NOTICE_EMAIL, delivery_id=row.pk)
    client.force_login(SecretariatUserFactory())

    response = client.get(f"/admin/members/affiliationrequest/{row.request_id}/change/")

    html = response.content.decode()
    assert "Request received (to the secretariat)" in html
    assert "secretariat@unsse.org" in html
    assert REFUSED in html


# --- The window between the server's acceptance and our commit ---------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_row_is_committed_as_sent_before_the_connection_is_closed(settings):
    start = timezone.now() + datetime.timedelta(days=2)
    meeting = MeetingFactory(start=start, end=start + datetime.timedelta(hours=2))
    person = PersonFactory(email="ana@example.org")
    InvitationFactory(meeting=meeting, person=person)
    row = ReminderDeliveryFactory(meeting=meeting, person=person)
    seen_at_quit = []

    def at_quit():
        # What another process reads when the server hears QUIT: committed rows only.
        try:
            seen_at_quit.append(
                ReminderDelivery.objects.values_list("state", "message_id").get(pk=row.pk)
            )
        finally:
            connection.close()

    with SmtpSink(on_quit=at_quit) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        assert delivery_send(REMINDER_EMAIL, delivery_id=row.pk) == Outcome.SENT

    row.refresh_from_db()
    assert sink.snapshot() == [("ana@example.org", row.message_id)]
    assert seen_at_quit == [("sent", row.message_id)]
    (accepted,), (quit,) = sink.arrivals, sink.quits
    assert accepted < quit
