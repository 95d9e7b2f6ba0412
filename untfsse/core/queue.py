"""Queuing background work so that nothing is lost when the broker is away.

Work is always recorded in PostgreSQL first (a delivery row, a "sent at" still empty, a
"pending" status); the task only carries out what the database says is due. So when Redis
cannot be reached at commit time, `enqueue_on_commit` logs it and carries on, and the
periodic sweep of the app that owns the work queues it again once the broker is back.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def enqueue(task, **kwargs) -> bool:
    """Queue `task` now; False (and a warning) when the broker cannot take it."""
    return enqueue_as(f"{task.name}{kwargs}", task, **kwargs)


def enqueue_as(what: str, task, **kwargs) -> bool:
    """`enqueue`, naming the work `what` in the warning (e.g. the e-mail, not only the task)."""
    try:
        task.delay(**kwargs)
    except (BrokerUnavailable, RedisError, OSError):
        logger.warning(
            "Broker unavailable: %s not queued; the periodic sweep will pick it up",
            what,
            exc_info=True,
        )
        return False
    return True


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
