"""E-mails about submissions: who receives one for each transition or reviewer assignment, and
sending each exactly once.

Every e-mail is a `NotificationDelivery` row written in the transaction that made the change,
at most one per (transition, address) or (assignment, address): the database refuses a second.
After commit a task per row sends it. The row is claimed with `SELECT ... FOR UPDATE SKIP
LOCKED`, so a second worker holding the same task (a redelivery, a retry, the poller queuing it
again) finds it locked and returns, or finds it sent once the first one committed; it is marked
sent in the same transaction, right after the SMTP server accepted the message. In the one
window left (accepted, then the worker died before the commit) the row stays pending, the poller
queues it again, and the resend carries the same Message-ID, which mail programs fold into one.
This is the pattern of the meeting reminders (meetings/reminders/delivery.py).

Decision e-mails carry the secretariat's note and the reviewers' comments to the author; the
reviewers' confidential comments are never put in any e-mail's context.
"""

import datetime
import enum
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from knowledgehub.models import (
    DeliveryState,
    NotificationDelivery,
    ReviewAssignment,
    SubmissionState,
    SubmissionTransition,
)
from members.actors import require_secretariat
from members.models import Person
from untfsse.core.audit import audit_record
from untfsse.core.emails import TemplatedEmail, absolute_url, message_id_domain
from untfsse.core.queue import enqueue

logger = logging.getLogger(__name__)

TEMPLATES = "knowledgehub/email/{name}"
MAX_ATTEMPTS = 5
LAST_ERROR_LENGTH = 1000
S = SubmissionState


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY_LATER = "retry_later"
    FAILED = "failed"
    BUSY = "busy"  # another worker holds the row
    NOT_PENDING = "not_pending"  # already sent or failed
    NOT_DUE = "not_due"  # waiting for its next attempt
    GONE = "gone"


@dataclass(frozen=True)
class Recipient:
    template: str
    email: str
    user: object | None = None


def _language_of(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if user is None:
        return settings.LANGUAGE_CODE
    language = Person.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return language if language in codes else settings.LANGUAGE_CODE


def _secretariat(template: str) -> Recipient:
    return Recipient(template=template, email=settings.SECRETARIAT_EMAIL)


def _reviewers(submission, template: str) -> list[Recipient]:
    assignments = ReviewAssignment.objects.filter(submission=submission).select_related("reviewer")
    return [
        Recipient(template=template, email=assignment.reviewer.email, user=assignment.reviewer)
        for assignment in assignments
    ]


def transition_recipients(transition: SubmissionTransition) -> list[Recipient]:
    """Who hears about this transition, and with which message."""
    submission = transition.submission
    submitter = Recipient(template="", email=submission.submitter.email, user=submission.submitter)

    def to_submitter(template: str) -> Recipient:
        return Recipient(template=template, email=submitter.email, user=submitter.user)

    move = (transition.from_state, transition.to_state)
    if transition.to_state == S.SUBMITTED or transition.is_resubmission:
        recipients = [to_submitter("submission_received"), _secretariat("submission_new")]
        if transition.is_resubmission:
            recipients += _reviewers(submission, "review_new_version")
        return recipients
    if move == (S.SUBMITTED, S.UNDER_REVIEW):
        return [to_submitter("submission_under_review")]
    if transition.to_state in (S.REVISIONS_REQUESTED, S.ACCEPTED, S.REJECTED):
        return [to_submitter("submission_decision")]
    if transition.to_state == S.PUBLISHED:
        return [to_submitter("submission_published")]
    if transition.to_state == S.WITHDRAWN and transition.from_state != S.DRAFT:
        return [
            _secretariat("submission_withdrawn"),
            *_reviewers(submission, "submission_withdrawn"),
        ]
    return []


def _create(submission, recipients: list[Recipient], **event) -> list[int]:
    seen: set[str] = set()
    rows = []
    for recipient in recipients:
        address = recipient.email.strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        rows.append(
            NotificationDelivery(
                submission=submission,
                template=recipient.template,
                email=address,
                recipient=recipient.user,
                language=_language_of(recipient.user),
                **event,
            )
        )
    created = NotificationDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        transaction.on_commit(lambda: notifications_queue(ids))
    return ids


def notifications_for_transition(transition: SubmissionTransition) -> list[int]:
    """Record the e-mails this transition sends (queued after commit); their ids."""
    return _create(transition.submission, transition_recipients(transition), transition=transition)


def notifications_for_assignment(assignment: ReviewAssignment) -> list[int]:
    """Record the e-mail telling the reviewer of the assignment (queued after commit)."""
    recipient = Recipient(
        template="review_assigned", email=assignment.reviewer.email, user=assignment.reviewer
    )
    return _create(assignment.submission, [recipient], assignment=assignment)


def notifications_queue(ids) -> int:
    from knowledgehub.tasks import send_submission_notification

    count = 0
    for delivery_id in ids:
        if not enqueue(send_submission_notification, delivery_id=delivery_id):
            break  # the broker is away: the periodic task queues them again
        count += 1
    return count


def notifications_queue_due(now: datetime.datetime | None = None) -> int:
    """The poller's work: queue every pending e-mail whose attempt is due, including those a
    dead worker left pending. Returns how many were queued."""
    now = now or timezone.now()
    ids = list(
        NotificationDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    return notifications_queue(ids)


def delivery_message_id(delivery: NotificationDelivery) -> str:
    """The same for every attempt at this delivery, so a resend is folded into the first."""
    event = f"t{delivery.transition_id}" if delivery.transition_id else f"a{delivery.assignment_id}"
    return f"<submission-{delivery.submission_id}.{event}.{delivery.pk}@{message_id_domain()}>"


def _context(delivery: NotificationDelivery) -> dict:
    submission = delivery.submission
    transition = delivery.transition
    with translation.override(delivery.language):
        my_submission_url = absolute_url(submission.get_absolute_url())
        review_url = absolute_url(submission.get_review_url())
        resource_url = (
            absolute_url(submission.resource.get_absolute_url()) if submission.resource else ""
        )
    comments_to_author = []
    if transition is not None and transition.to_state in (
        S.REVISIONS_REQUESTED,
        S.ACCEPTED,
        S.REJECTED,
    ):
        # Only the text meant for the author leaves the database: never the confidential part.
        comments_to_author = list(
            transition.shared_reviews.order_by("assignment__assigned_at", "pk").values_list(
                "comments_to_author", flat=True
            )
        )
    return {
        "submission": submission,
        "transition": transition,
        "assignment": delivery.assignment,
        "comments_to_author": comments_to_author,
        "my_submission_url": my_submission_url,
        "review_url": review_url,
        "resource_url": resource_url,
        "portal_url": absolute_url("/"),
    }


def delivery_message(delivery: NotificationDelivery):
    return TemplatedEmail(
        to=delivery.email,
        template=TEMPLATES.format(name=delivery.template),
        context=_context(delivery),
        language=delivery.language,
        headers={
            "Message-ID": delivery_message_id(delivery),
            "Auto-Submitted": "auto-generated",
        },
    ).build()


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off: 2, 4, 8, 16 minutes after the 1st, 2nd, 3rd, 4th failure."""
    return datetime.timedelta(minutes=2**attempts)


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Send one e-mail if it is pending and due, and record what happened.

    Never sends it twice (see the module's docstring). An SMTP or network error counts an
    attempt and sets the next one 2^attempts minutes later (the poller picks it up); after the
    5th the delivery is failed, visible to the secretariat in the admin. Any other error is a
    bug: it propagates and the row stays pending.
    """
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "submission__submitter",
                "submission__resource",
                "submission__call",
                "transition__by",
                "assignment__reviewer",
            )
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            exists = NotificationDelivery.objects.filter(pk=delivery_id).exists()
            return Outcome.BUSY if exists else Outcome.GONE
        now = now or timezone.now()
        if delivery.state != DeliveryState.PENDING:
            return Outcome.NOT_PENDING
        if delivery.next_attempt_at > now:
            return Outcome.NOT_DUE
        message = delivery_message(delivery)
        delivery.attempts += 1
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            return _record_failure(delivery, error, now)
        delivery.state = DeliveryState.SENT
        delivery.sent_at = now
        delivery.message_id = delivery_message_id(delivery)
        delivery.last_error = ""
        delivery.save(
            update_fields=["state", "sent_at", "message_id", "attempts", "last_error", "updated_at"]
        )
        return Outcome.SENT


def _record_failure(delivery: NotificationDelivery, error: Exception, now) -> Outcome:
    delivery.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
        outcome = Outcome.FAILED
        logger.error("Submission e-mail %s failed: %s", delivery.pk, delivery.last_error)
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        outcome = Outcome.RETRY_LATER
        logger.warning(
            "Submission e-mail %s: attempt %s failed (%s)",
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
        )
    delivery.save(
        update_fields=["state", "attempts", "last_error", "next_attempt_at", "updated_at"]
    )
    return outcome


def deliveries_retry_failed(*, deliveries, by) -> int:
    """Put failed e-mails back to pending with a fresh count of attempts, and queue them.
    Raises PermissionDenied unless `by` is the secretariat (or SYSTEM)."""
    require_secretariat(by)
    with transaction.atomic():
        ids = list(
            deliveries.filter(state=DeliveryState.FAILED)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        NotificationDelivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        transaction.on_commit(lambda: notifications_queue(ids))
        if ids:
            audit_record(
                actor=by,
                action="notification_delivery.retry_failed",
                obj=NotificationDelivery,
                changes={
                    "state": [DeliveryState.FAILED, DeliveryState.PENDING],
                    "deliveries": [None, ids],
                },
            )
    return len(ids)
