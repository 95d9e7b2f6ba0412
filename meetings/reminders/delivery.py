"""Sending one delivery, exactly once.

The row is claimed with `SELECT ... FOR UPDATE SKIP LOCKED`: a second worker holding the same
task (a redelivery, or the poller queuing it again) finds the row locked and returns, or finds
it sent once the first one committed. The row is marked sent in the same transaction, right
after the SMTP server accepted the message. In the one window left (the server accepted, the
worker died before the commit) the row stays pending, the poller queues it again, and the
resend carries the same deterministic Message-ID, which mail programs fold into one message.
"""

import datetime
import enum
import logging
import smtplib

from django.db import transaction
from django.utils import timezone

from meetings.models import (
    DeliveryState,
    Invitation,
    InvitationResponse,
    ReminderDelivery,
    ReminderKind,
)
from meetings.reminders.email import delivery_message, delivery_message_id

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LAST_ERROR_LENGTH = 1000


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY_LATER = "retry_later"
    FAILED = "failed"
    BUSY = "busy"  # another worker holds the row
    NOT_PENDING = "not_pending"  # already sent, failed or skipped
    NOT_DUE = "not_due"  # waiting for its next attempt
    GONE = "gone"


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off: 2, 4, 8, 16 minutes after the 1st, 2nd, 3rd, 4th failure."""
    return datetime.timedelta(minutes=2**attempts)


def reason_to_skip(delivery: ReminderDelivery, now: datetime.datetime) -> str:
    """Why this e-mail must not go out now (empty when it may). In English: it is a log entry
    the secretariat reads in the admin, not a message to the person."""
    meeting, person = delivery.meeting, delivery.person
    if delivery.kind == ReminderKind.CANCELLATION:
        if not meeting.is_cancelled:
            return "The meeting is not cancelled."
        if now >= delivery.scheduled_start:
            return "The meeting's time has passed."
    else:
        if meeting.is_cancelled:
            return "The meeting was cancelled."
        if meeting.start != delivery.scheduled_start:
            return "The meeting was rescheduled."
        if meeting.has_started(now):
            return "The meeting has started."
    response = (
        Invitation.objects.filter(meeting_id=meeting.pk, person_id=person.pk)
        .values_list("response", flat=True)
        .first()
    )
    if response is None:
        return "The person is no longer invited."
    if response == InvitationResponse.DECLINED:
        return "The person declined the invitation."
    if not person.receives_reminders:
        return "The person turned reminders off."
    if not person.email:
        return "The person has no e-mail address."
    return ""


def _claim(delivery_id: int) -> ReminderDelivery | None:
    return (
        ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("meeting", "person__user", "person__organisation")
        .filter(pk=delivery_id)
        .first()
    )


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Send one delivery if it is pending and due, and record what happened.

    Never sends a delivery twice (see the module's docstring). Skips it, without sending, when
    the reason to write is gone. An SMTP error or a network error (smtplib.SMTPException,
    OSError) counts an attempt and sets the next one 2^attempts minutes later; after the 5th
    the delivery is failed (the secretariat sees it in the admin and can retry it). Any other
    error is a bug: it propagates and the row stays pending.
    """
    with transaction.atomic():
        delivery = _claim(delivery_id)
        if delivery is None:
            exists = ReminderDelivery.objects.filter(pk=delivery_id).exists()
            return Outcome.BUSY if exists else Outcome.GONE
        now = now or timezone.now()
        if delivery.state != DeliveryState.PENDING:
            return Outcome.NOT_PENDING
        if delivery.next_attempt_at > now:
            return Outcome.NOT_DUE
        reason = reason_to_skip(delivery, now)
        if reason:
            delivery.state = DeliveryState.SKIPPED
            delivery.last_error = reason
            delivery.save(update_fields=["state", "last_error", "updated_at"])
            return Outcome.SKIPPED
        message = delivery_message(delivery, now=now)
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


def _record_failure(
    delivery: ReminderDelivery, error: Exception, now: datetime.datetime
) -> Outcome:
    delivery.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
        outcome = Outcome.FAILED
        logger.error(
            "Reminder delivery %s failed after %s attempts: %s",
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
        )
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        outcome = Outcome.RETRY_LATER
        logger.warning(
            "Reminder delivery %s: attempt %s failed (%s); next at %s",
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
            delivery.next_attempt_at.isoformat(),
        )
    delivery.save(
        update_fields=["state", "attempts", "last_error", "next_attempt_at", "updated_at"]
    )
    return outcome
