"""Submission e-mails: who receives what for each transition, what they say (never the
confidential comments), and exactly one e-mail per transition and recipient however often
the task runs."""

import smtplib

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from knowledgehub.models import DeliveryState, NotificationDelivery, SubmissionState
from knowledgehub.notifications import (
    Outcome,
    delivery_send,
    notifications_for_transition,
    notifications_queue_due,
)
from knowledgehub.services.submissions import (
    review_assign,
    review_submit,
    submission_transition,
)
from knowledgehub.tasks import send_submission_notification
from tests.factories import PersonFactory
from tests.factories.knowledgehub import make_submission

pytestmark = pytest.mark.django_db
S = SubmissionState


def sent():
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def test_submitting_tells_the_submitter_and_the_secretariat(
    submitter, settings, django_capture_on_commit_callbacks
):
    settings.SECRETARIAT_EMAIL = "secretariat@unsse.org"
    with django_capture_on_commit_callbacks(execute=True):
        submission = make_submission(submitter=submitter, state=S.SUBMITTED)
    assert sent() == [
        (
            "ana@example.org",
            "[UNTFSSE Portal] Submission received: Cooperatives and the informal economy",
        ),
        (
            "secretariat@unsse.org",
            "[UNTFSSE Portal] New submission: Cooperatives and the informal economy",
        ),
    ]
    to_submitter = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert "Dear Ana Souza," in to_submitter.body
    assert f"https://testserver/knowledge-hub/my-submissions/{submission.pk}/" in to_submitter.body
    to_secretariat = next(m for m in mail.outbox if m.to == ["secretariat@unsse.org"])
    assert (
        "ana@example.org submitted “Cooperatives and the informal economy”" in to_secretariat.body
    )
    assert f"/knowledge-hub/reviews/{submission.pk}/" in to_secretariat.body
    assert set(NotificationDelivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_draft_sends_nothing(submitter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_submission(submitter=submitter, state=S.DRAFT)
    assert mail.outbox == []
    assert not NotificationDelivery.objects.exists()


def test_decision_e_mail_carries_comments_to_the_author_never_confidential_ones(
    submitter, reviewer, secretariat, django_capture_on_commit_callbacks
):
    submission = make_submission(
        submitter=submitter, state=S.UNDER_REVIEW, reviewer=reviewer, secretariat=secretariat
    )
    review_submit(
        assignment=submission.assignments.get(),
        by=reviewer,
        recommendation="major",
        comments_to_author="Please define the informal economy in section 2.",
        confidential_comments="SECRET: the data look made up.",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            submission=submission,
            to_state=S.REVISIONS_REQUESTED,
            by=secretariat,
            note="Please answer the reviewer's points.",
        )
    assert sent() == [
        (
            "ana@example.org",
            "[UNTFSSE Portal] Revisions requested: Cooperatives and the informal economy",
        )
    ]
    body = mail.outbox[0].body
    assert "Note from the secretariat:\nPlease answer the reviewer's points." in body
    assert "Comments of reviewer 1:\nPlease define the informal economy in section 2." in body
    assert "SECRET" not in body and "made up" not in body
    assert all("SECRET" not in str(alternative) for alternative in mail.outbox[0].alternatives)


def test_resubmission_tells_submitter_secretariat_and_reviewers(
    submitter, reviewer, secretariat, django_capture_on_commit_callbacks
):
    submission = make_submission(
        submitter=submitter, state=S.REVISIONS_REQUESTED, reviewer=reviewer, secretariat=secretariat
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            submission=submission,
            to_state=S.UNDER_REVIEW,
            by=submitter,
            note="Section 2 rewritten.",
        )
    assert sent() == [
        (
            "ana@example.org",
            "[UNTFSSE Portal] Revised version received: Cooperatives and the informal economy",
        ),
        (
            "secretariat@unsse.org",
            "[UNTFSSE Portal] Revised version to review: Cooperatives and the informal economy",
        ),
        (
            "yi@example.org",
            "[UNTFSSE Portal] Revised version to review: Cooperatives and the informal economy",
        ),
    ]
    to_reviewer = next(m for m in mail.outbox if m.to == ["yi@example.org"])
    assert "version 2 of “Cooperatives and the informal economy”" in to_reviewer.body
    assert "Section 2 rewritten." in to_reviewer.body


def test_assignment_tells_the_reviewer(
    submitter, reviewer, secretariat, django_capture_on_commit_callbacks
):
    submission = make_submission(submitter=submitter, state=S.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_assign(submission=submission, reviewer=reviewer, by=secretariat)
    # The assignment starts the review: the submitter hears of that, the reviewer of the request.
    assert sent() == [
        (
            "ana@example.org",
            "[UNTFSSE Portal] Your submission is under review: Cooperatives and the informal economy",
        ),
        ("yi@example.org", "[UNTFSSE Portal] Please review: Cooperatives and the informal economy"),
    ]


def test_publishing_sends_the_resource_address(
    submitter, secretariat, django_capture_on_commit_callbacks
):
    submission = make_submission(submitter=submitter, state=S.ACCEPTED, secretariat=secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(submission=submission, to_state=S.PUBLISHED, by=secretariat)
    submission.refresh_from_db()
    assert sent() == [
        (
            "ana@example.org",
            "[UNTFSSE Portal] Published in the Knowledge Hub: Cooperatives and the informal economy",
        )
    ]
    assert f"https://testserver{submission.resource.get_absolute_url()}" in mail.outbox[0].body


def test_withdrawal_tells_the_secretariat_and_reviewers(
    submitter, reviewer, secretariat, django_capture_on_commit_callbacks
):
    submission = make_submission(
        submitter=submitter, state=S.UNDER_REVIEW, reviewer=reviewer, secretariat=secretariat
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            submission=submission, to_state=S.WITHDRAWN, by=submitter, note="Published elsewhere."
        )
    assert sent() == [
        (
            "secretariat@unsse.org",
            "[UNTFSSE Portal] Submission withdrawn: Cooperatives and the informal economy",
        ),
        (
            "yi@example.org",
            "[UNTFSSE Portal] Submission withdrawn: Cooperatives and the informal economy",
        ),
    ]
    assert "The author's reason:\nPublished elsewhere." in mail.outbox[0].body


def test_the_task_twice_sends_one_e_mail_per_transition_and_recipient(submitter):
    submission = make_submission(submitter=submitter, state=S.SUBMITTED)  # callbacks not run
    deliveries = list(NotificationDelivery.objects.order_by("pk"))
    assert [(d.template, d.email, d.state) for d in deliveries] == [
        ("submission_received", "ana@example.org", "pending"),
        ("submission_new", "secretariat@unsse.org", "pending"),
    ]
    for delivery in deliveries:
        send_submission_notification.apply(kwargs={"delivery_id": delivery.pk})
        send_submission_notification.apply(kwargs={"delivery_id": delivery.pk})
    assert len(mail.outbox) == 2
    assert delivery_send(delivery_id=deliveries[0].pk) == Outcome.NOT_PENDING
    assert notifications_queue_due() == 0
    assert len(mail.outbox) == 2
    first = NotificationDelivery.objects.get(pk=deliveries[0].pk)
    assert (first.state, first.attempts) == (DeliveryState.SENT, 1)
    assert first.message_id == (
        f"<submission-{submission.pk}.t{first.transition_id}.{first.pk}@unsse.org>"
    )
    assert mail.outbox[0].extra_headers["Message-ID"] == first.message_id


def test_the_database_refuses_a_second_e_mail_for_the_same_transition(submitter):
    submission = make_submission(submitter=submitter, state=S.SUBMITTED)
    transition = submission.transitions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        notifications_for_transition(transition)
    assert NotificationDelivery.objects.count() == 2


def test_an_smtp_failure_is_retried_later_by_the_poller(submitter, monkeypatch, settings):
    make_submission(submitter=submitter, state=S.SUBMITTED)
    delivery = NotificationDelivery.objects.get(email="ana@example.org")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert delivery_send(delivery_id=delivery.pk) == Outcome.RETRY_LATER
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (
        "pending",
        1,
        "SMTPServerDisconnected: gone",
    )
    assert delivery_send(delivery_id=delivery.pk) == Outcome.NOT_DUE
    monkeypatch.undo()
    NotificationDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    NotificationDelivery.objects.exclude(pk=delivery.pk).update(state=DeliveryState.SENT)
    assert notifications_queue_due() == 1  # runs eagerly
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


def test_e_mails_are_written_in_the_recipient_language(submitter):
    PersonFactory(user=submitter, preferred_language="fr")
    make_submission(submitter=submitter, state=S.SUBMITTED)
    assert dict(NotificationDelivery.objects.values_list("email", "language")) == {
        "ana@example.org": "fr",
        "secretariat@unsse.org": "en",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_another_worker_is_left_alone():
    """SKIP LOCKED: while one worker holds the row (sending it), a second gives up at once."""
    import threading

    from django.db import connection

    make_submission(state=S.SUBMITTED)  # commits, so its e-mails went out: rewind one
    delivery = NotificationDelivery.objects.get(template="submission_received")
    NotificationDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, sent_at=None, attempts=0
    )
    mail.outbox.clear()
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            NotificationDelivery.objects.select_for_update().get(pk=delivery.pk)
            locked.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=hold)
    worker.start()
    try:
        assert locked.wait(10)
        assert delivery_send(delivery_id=delivery.pk) == Outcome.BUSY
        assert mail.outbox == []
    finally:
        release.set()
        worker.join()
    assert delivery_send(delivery_id=delivery.pk) == Outcome.SENT
    assert delivery_send(delivery_id=delivery.pk) == Outcome.NOT_PENDING
    assert len(mail.outbox) == 1
