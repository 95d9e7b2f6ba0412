"""What /healthz checks: the services a request or a task cannot do without."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database is unreachable", exc_info=True)
        # Drop the broken connection so the next request opens a fresh one.
        connection.close_if_unusable_or_obsolete()
        return False


def broker_reachable() -> bool | None:
    """True or False when a broker is configured; None in the zero-setup mode without one."""
    if not settings.REDIS_URL:
        return None
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        logger.warning("Health check: the broker is unreachable", exc_info=True)
        return False
    finally:
        client.close()


# What the apps add (e.g. the Knowledge Hub: the database extension its search needs), filled
# in their AppConfig.ready(): name -> a function returning "ok" or what is wrong.
_APP_CHECKS: dict[str, Callable[[], str]] = {}


def register_health_check(name: str, check: Callable[[], str]) -> None:
    _APP_CHECKS[name] = check


def health_report() -> dict[str, str]:
    """Each checked service with "ok" or "unreachable" (the broker only when configured), and
    each app's own check that finds something wrong (asked only when the database answers)."""
    database = database_reachable()
    report = {"database": "ok" if database else "unreachable"}
    broker = broker_reachable()
    if broker is not None:
        report["broker"] = "ok" if broker else "unreachable"
    if database:
        for name, check in _APP_CHECKS.items():
            state = check()
            if state != "ok":
                report[name] = state
    return report
