"""The outbox's Celery task and sweep, and how services queue deliveries.

Services write delivery rows inside their transaction and call `deliveries_queue_on_commit`:
after the commit, one `outbox.send_delivery` task per row. Nothing is lost when the broker is
away or a worker dies: the rows are in the database, and `outbox.sweep_deliveries` (Celery
beat, every 5 minutes) queues again every pending row whose attempt is due, of every kind.
Queuing a row twice is harmless: the second task finds it locked or no longer pending.
"""

import datetime
import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from untfsse.core.audit import audit_record
from untfsse.core.outbox.engine import delivery_send
from untfsse.core.outbox.kinds import DeliveryKind, kind_named, kind_of, registered_kinds
from untfsse.core.outbox.models import Delivery, DeliveryState
from untfsse.core.queue import enqueue_as

logger = logging.getLogger(__name__)

# A row never tried and younger than this is still in the hands of the task queued when it
# was written: the sweep leaves it alone (queuing it twice would be harmless, only wasteful).
SWEEP_GRACE = datetime.timedelta(minutes=2)


@shared_task(name="outbox.send_delivery", ignore_result=True)
def send_delivery(*, kind: str, delivery_id: int) -> str:
    """Send one delivery of the named kind if it is still pending and due; returns what
    happened ("gone" when the row no longer exists). Safe to run twice or side by side."""
    delivery_kind = kind_named(kind)
    if delivery_kind is None:
        logger.error("No kind of e-mail is named %r: delivery %s left as it is", kind, delivery_id)
        return "unknown_kind"
    return str(delivery_send(delivery_kind, delivery_id=delivery_id))


@shared_task(name="outbox.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> int:
    """Periodic (Celery beat, every 5 minutes): queue every pending delivery of every kind
    whose attempt is due (a retry after an SMTP failure, or a row whose task was lost with the
    broker or a dead worker). Returns how many were queued."""
    now = timezone.now()
    return sum(deliveries_queue_due(kind, now=now) for kind in registered_kinds())


def _queue(kind: DeliveryKind, ids: Iterable[int]) -> int:
    queued = 0
    for delivery_id in ids:
        if not enqueue_as(
            f"{kind.name} #{delivery_id}", send_delivery, kind=kind.name, delivery_id=delivery_id
        ):
            break  # the broker is away: the sweep queues the rest once it is back
        queued += 1
    return queued


def deliveries_queue(deliveries: Iterable[Delivery]) -> int:
    """Queue one send task per delivery now; returns how many the broker took."""
    queued = 0
    for kind, ids in _by_kind(deliveries).items():
        queued += _queue(kind, ids)
    return queued


def deliveries_queue_on_commit(deliveries: Iterable[Delivery]) -> int:
    """Queue one send task per delivery once the current transaction commits (at once outside
    one); returns how many rows that is. The rows' kinds are resolved now, from the rows."""
    by_kind = _by_kind(deliveries)

    def queue() -> None:
        for kind, ids in by_kind.items():
            if _queue(kind, ids) < len(ids):
                break

    if by_kind:
        transaction.on_commit(queue)
    return sum(len(ids) for ids in by_kind.values())


def _by_kind(deliveries: Iterable[Delivery]) -> dict[DeliveryKind, list[int]]:
    by_kind: dict[DeliveryKind, list[int]] = {}
    for delivery in deliveries:
        by_kind.setdefault(kind_of(delivery), []).append(delivery.pk)
    return by_kind


def deliveries_due(kind: DeliveryKind, *, now: datetime.datetime) -> QuerySet:
    """The rows of `kind` the sweep queues: pending and due, and either tried before or older
    than SWEEP_GRACE. Oldest attempt first."""
    return (
        kind.queryset()
        .ready(now)
        .filter(Q(attempts__gt=0) | Q(created_at__lte=now - SWEEP_GRACE))
        .order_by("next_attempt_at", "pk")
    )


def deliveries_queue_due(kind: DeliveryKind, *, now: datetime.datetime | None = None) -> int:
    """Queue every row of `kind` that is due (see `deliveries_due`); how many were queued."""
    now = now or timezone.now()
    return _queue(kind, list(deliveries_due(kind, now=now).values_list("pk", flat=True)))


def failed_deliveries_requeue(
    *, deliveries: QuerySet, now: datetime.datetime | None = None
) -> list[int]:
    """Put the failed ones among `deliveries` back to pending with a fresh count of attempts,
    and queue them after commit; returns their ids (for the caller's audit entry). They are still checked when sent (a
    meeting cancelled meanwhile sends nothing).

    Checks no actor: each app's retry service checks who asks (the secretariat) and calls this.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            deliveries.filter(state=DeliveryState.FAILED)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = deliveries.model.objects.filter(pk__in=ids)
        rows.update(state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, updated_at=now)
        deliveries_queue_on_commit(rows.order_by("pk"))
    return ids


def failed_deliveries_retry(
    *, deliveries: QuerySet, by, action: str, now: datetime.datetime | None = None
) -> int:
    """failed_deliveries_requeue, with one audit entry `action` by `by` naming the rows put
    back (none when nothing had failed); returns how many. Checks no actor: each app's retry
    service checks who asks (the secretariat) first."""
    with transaction.atomic():
        ids = failed_deliveries_requeue(deliveries=deliveries, now=now)
        if ids:
            audit_record(
                actor=by,
                action=action,
                obj=deliveries.model,
                changes={
                    "state": [DeliveryState.FAILED, DeliveryState.PENDING],
                    "deliveries": [None, ids],
                },
            )
    return len(ids)
