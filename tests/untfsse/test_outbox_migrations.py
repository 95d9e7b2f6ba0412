"""The e-mail tables joined the outbox without losing a row or changing a Message-ID.

Rows are written, the four apps are migrated back to their schema before the outbox, then
forward again: every row is still there with its state, attempts, error and Message-ID; the
digest's sent weeks carry the Message-ID they went out with; and the affiliation e-mails, which
had no rows, get one each from the times the requests and invitations recorded."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from knowledgehub.models import NotificationDelivery
from meetings.models import ReminderDelivery
from members.models import AffiliationDelivery, AffiliationInvitation, AffiliationRequest
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.factories.knowledgehub import make_submission
from tests.factories.meetings import MeetingFactory, ReminderDeliveryFactory
from untfsse.portal.models import DigestDelivery

BEFORE_THE_OUTBOX = [
    ("meetings", "0005_reminders"),
    ("knowledgehub", "0004_resource_newest_dated_first"),
    ("members", "0002_affiliation_secretariat_notified"),
    ("untfsse", "0002_digestdelivery"),
]
T = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_outbox_keep_their_data_and_message_ids(settings):
    settings.SECRETARIAT_EMAIL = "secretariat@unsse.org"
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Reminders: one sent, one failed.
    person = PersonFactory(
        email="ana@example.org", preferred_language="fr", time_zone="Europe/Paris"
    )
    meeting = MeetingFactory()
    sent = ReminderDeliveryFactory(
        meeting=meeting, person=person, state="sent", attempts=2, sent_at=T,
        message_id="<reminder-1.20261125T0900Z@unsse.org>",
    )  # fmt: skip
    failed = ReminderDeliveryFactory(
        meeting=meeting, person=person, offset_hours=168, state="failed", attempts=5,
        last_error="550 refused",
    )  # fmt: skip
    # Submission e-mails: one sent, one pending.
    make_submission(submitter=UserFactory(email="sam@example.org"))
    NotificationDelivery.objects.filter(template="submission_received").update(
        state="sent", attempts=1, sent_at=T, message_id="<submission-1.t1.1@unsse.org>"
    )
    # The digest: last week's went out, this week's has failed twice so far.
    DigestDelivery.objects.create(
        week_starting=datetime.date(2026, 11, 16), attempts=1, sent_at=T, state="sent"
    )
    DigestDelivery.objects.create(
        week_starting=datetime.date(2026, 11, 23), attempts=2, last_error="timeout"
    )
    # Affiliations: a request told and decided, one still waiting for its notice; an
    # invitation sent, one not yet sent, one used without its e-mail.
    organisation = OrganisationFactory()
    told = AffiliationRequest.objects.create(
        user=UserFactory(email="dee@example.org"), organisation=organisation, name="Dee",
        status="approved", decided_at=T, decision_emailed_at=T, secretariat_notified_at=T,
    )  # fmt: skip
    waiting = AffiliationRequest.objects.create(
        user=UserFactory(email="nia@example.org"), organisation=organisation, name="Nia"
    )
    invited = AffiliationInvitation.objects.create(
        email="ivy@example.org", organisation=organisation, name="Ivy", sent_at=T
    )
    unsent = AffiliationInvitation.objects.create(
        email="una@example.org", organisation=organisation, name="Una"
    )
    AffiliationInvitation.objects.create(
        email="used@example.org", organisation=organisation, name="Used", accepted_at=T
    )
    reminders_before = list(
        ReminderDelivery.objects.order_by("pk").values_list(
            "pk", "state", "attempts", "sent_at", "message_id", "last_error"
        )
    )
    notifications_before = list(
        NotificationDelivery.objects.order_by("pk").values_list(
            "pk", "email", "language", "state", "attempts", "sent_at", "message_id"
        )
    )

    try:
        migrate(BEFORE_THE_OUTBOX)
        migrate(latest)
    finally:
        migrate(latest)

    assert (
        list(
            ReminderDelivery.objects.order_by("pk").values_list(
                "pk", "state", "attempts", "sent_at", "message_id", "last_error"
            )
        )
        == reminders_before
    )
    assert [
        (row.pk, row.email, row.language, row.time_zone)
        for row in ReminderDelivery.objects.order_by("pk")
    ] == [
        (sent.pk, "ana@example.org", "fr", "Europe/Paris"),
        (failed.pk, "ana@example.org", "fr", "Europe/Paris"),
    ]
    assert (
        list(
            NotificationDelivery.objects.order_by("pk").values_list(
                "pk", "email", "language", "state", "attempts", "sent_at", "message_id"
            )
        )
        == notifications_before
    )
    assert list(
        DigestDelivery.objects.order_by("week_starting").values_list(
            "week_starting", "email", "state", "attempts", "sent_at", "message_id", "last_error"
        )
    ) == [
        (
            datetime.date(2026, 11, 16),
            "secretariat@unsse.org",
            "sent",
            1,
            T,
            "<digest-2026-11-16@unsse.org>",
            "",
        ),
        (datetime.date(2026, 11, 23), "secretariat@unsse.org", "pending", 2, None, "", "timeout"),
    ]
    assert list(
        AffiliationDelivery.objects.order_by("pk").values_list(
            "purpose", "request", "invitation", "sequence", "email", "state", "sent_at"
        )
    ) == [
        ("secretariat_notice", told.pk, None, 1, "secretariat@unsse.org", "sent", T),
        ("decision", told.pk, None, 1, "dee@example.org", "sent", T),
        ("secretariat_notice", waiting.pk, None, 1, "secretariat@unsse.org", "pending", None),
        ("invitation", None, invited.pk, 1, "ivy@example.org", "sent", T),
        ("invitation", None, unsent.pk, 1, "una@example.org", "pending", None),
    ]
