"""The API's rate limit: requests per minute per client address, counted in the cache.

On Redis one command per request counts it (INCR; EXPIRE once per window, on its first
request): the API is the portal's busiest address, and Django's cache.incr alone costs two
round trips (EXISTS, then INCR), on top of the failed ADD of the portal's generic counter
(untfsse/core/ratelimit.py), which any other cache still uses. Either way a cache outage lets requests through rather than locking
every client out.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

from untfsse.core.ratelimit import allow

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def count_request(key: str) -> int | None:
    """This window's requests of `key`, this one included; None when the cache cannot say."""
    cache = caches["default"]  # the backend itself (django.core.cache.cache is a proxy)
    if not isinstance(cache, RedisCache):
        return None
    cache_key = cache.make_and_validate_key(key)
    try:
        client = cache._cache.get_client(cache_key, write=True)
        count = client.incr(cache_key)
        if count == 1:  # the window's first request: the counter goes with the window
            client.expire(cache_key, WINDOW_SECONDS * 2)
    except (RedisError, OSError):
        logger.warning("Cache unavailable for the API rate limit", exc_info=True)
        return 0
    return count


class ApiClientThrottle(BaseThrottle):
    """At most API_RATE_LIMIT_PER_MINUTE requests per client address and minute; beyond that,
    429 with a JSON message and Retry-After (seconds to the next minute)."""

    def allow_request(self, request, view) -> bool:
        window = int(time.time() // WINDOW_SECONDS)
        client, limit = self.get_ident(request), settings.API_RATE_LIMIT_PER_MINUTE
        count = count_request(f"ratelimit:api:{window}:{client}")
        if count is None:
            return allow(
                action=f"api:{window}", key=client, limit=limit, period_seconds=WINDOW_SECONDS
            )
        return count <= limit

    def wait(self) -> float:
        return WINDOW_SECONDS - time.time() % WINDOW_SECONDS
