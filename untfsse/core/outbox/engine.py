"""The one engine: send one delivery of any kind, at most once, and record what happened.

Exactly once, as far as SMTP allows:

- **Claim.** The row is locked with `SELECT ... FOR UPDATE SKIP LOCKED`: a second worker holding
  the same task (a redelivery, the sweep queuing it again) finds it locked and returns at once,
  or finds it no longer pending once the first one has committed.
- **Skip.** The kind says whether the reason to write is gone (a cancelled meeting, a declined
  invitation); the row is then skipped, with the reason, and nothing is sent.
- **Send, then commit, then QUIT.** The message is handed over on an SMTP connection opened for
  it; as soon as the server has accepted it (its 250 reply to the end of DATA) the row is marked
  sent and the transaction commits, and only then is the connection closed with QUIT. A worker
  that dies after the commit leaves a sent row; one that dies before it leaves a pending row
  that the sweep queues again.
- **The window left.** Between the server's acceptance and the commit (one UPDATE and a COMMIT
  on the database, about a millisecond on a local PostgreSQL) a dead worker, or a database that
  refuses the commit, leaves the row pending although the message went out. The resend carries
  the same deterministic Message-ID, which mail programs fold into the first. SMTP cannot close
  this window: the server's acceptance and our commit are two systems with no two-phase commit
  between them, and the protocol has no way to ask a server whether it has a message already.
- **Back off.** An SMTP or network error counts an attempt and sets the next one 2, 4, 8, 16...
  minutes later (the sweep queues it then; no far-future broker countdowns); after the kind's
  last attempt the row is failed, listed in the admin and can be retried. Any other error is a
  bug: it propagates and the row stays pending, untouched.
"""

import datetime
import enum
import logging
import smtplib

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from untfsse.core.outbox.kinds import DeliveryKind
from untfsse.core.outbox.models import Delivery, DeliveryState

logger = logging.getLogger(__name__)

# What a mail server or the network may raise; anything else is a bug of ours.
SMTP_ERRORS = (smtplib.SMTPException, OSError)
LAST_ERROR_LENGTH = 1000
# Fields a kind's message building may set on the row (what the message was written for).
RECIPIENT_FIELDS = ["email", "language", "time_zone"]


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


def delivery_send(
    kind: DeliveryKind, *, delivery_id: int, now: datetime.datetime | None = None
) -> Outcome:
    """Send one delivery of `kind` if it is pending and due, and record what happened.

    Never sends a row twice (see the module's docstring) and never raises for an SMTP or
    network error (it is recorded and retried later). Call it outside any transaction: the
    row must be committed as sent before the SMTP connection is closed, and inside an outer
    transaction the commit would wait for that transaction to end.
    """
    connection = get_connection()
    try:
        return _send(kind, delivery_id, now, connection)
    finally:
        _close(connection, kind, delivery_id)


def _send(kind: DeliveryKind, delivery_id: int, now, connection) -> Outcome:
    with transaction.atomic():
        delivery = (
            kind.claimable()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            exists = kind.queryset().filter(pk=delivery_id).exists()
            return Outcome.BUSY if exists else Outcome.GONE
        now = now or timezone.now()
        if delivery.state != DeliveryState.PENDING:
            return Outcome.NOT_PENDING
        if delivery.next_attempt_at > now:
            return Outcome.NOT_DUE
        reason = kind.reason_to_skip(delivery, now)
        message = None if reason else kind.build_message(delivery, now)
        if message is not None and not message.recipients():
            reason = "There is no address to send it to."
        if reason:
            delivery.state = DeliveryState.SKIPPED
            delivery.last_error = reason
            delivery.save(update_fields=["state", "last_error", *RECIPIENT_FIELDS, "updated_at"])
            return Outcome.SKIPPED
        message_id = kind.message_id(delivery)
        message.extra_headers["Message-ID"] = message_id
        delivery.attempts += 1
        try:
            connection.open()
            # Returns once the server has answered 250 to the end of DATA: it has the message.
            connection.send_messages([message])
        except SMTP_ERRORS as error:
            return _record_failure(kind, delivery, error, now)
        delivery.state = DeliveryState.SENT
        delivery.sent_at = now
        delivery.message_id = message_id
        delivery.last_error = ""
        sent_fields = ["state", "sent_at", "message_id", "attempts", "last_error"]
        delivery.save(update_fields=[*sent_fields, *RECIPIENT_FIELDS, "updated_at"])
        kind.after_sent(delivery, now)
    # Committed: the row says "sent" before the server hears QUIT (delivery_send's finally).
    return Outcome.SENT


def _close(connection, kind: DeliveryKind, delivery_id: int) -> None:
    """QUIT and close. The outcome is already committed: a server that is rude at QUIT changes
    nothing about it, so its error is only logged."""
    try:
        connection.close()
    except SMTP_ERRORS:
        logger.warning(
            "%s #%s: closing the SMTP connection failed (the outcome is recorded)",
            kind.name,
            delivery_id,
            exc_info=True,
        )


def _record_failure(
    kind: DeliveryKind, delivery: Delivery, error: Exception, now: datetime.datetime
) -> Outcome:
    delivery.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
    if delivery.attempts >= kind.max_attempts:
        delivery.state = DeliveryState.FAILED
        outcome = Outcome.FAILED
        logger.error(
            "%s #%s failed after %s attempts: %s",
            kind.name,
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
        )
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        outcome = Outcome.RETRY_LATER
        logger.warning(
            "%s #%s: attempt %s failed (%s); next at %s",
            kind.name,
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
            delivery.next_attempt_at.isoformat(),
        )
    failure_fields = ["state", "attempts", "last_error", "next_attempt_at"]
    delivery.save(update_fields=[*failure_fields, *RECIPIENT_FIELDS, "updated_at"])
    return outcome
