"""The API's rate limit: requests per minute per client address, counted in the cache with
the portal's own counter (untfsse/core/ratelimit.py), so a Redis outage lets requests through
rather than locking every client out."""

import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from untfsse.core.ratelimit import allow

WINDOW_SECONDS = 60


class ApiClientThrottle(BaseThrottle):
    """At most API_RATE_LIMIT_PER_MINUTE requests per client address and minute; beyond that,
    429 with a JSON message and Retry-After (seconds to the next minute)."""

    def allow_request(self, request, view) -> bool:
        window = int(time.time() // WINDOW_SECONDS)
        return allow(
            action=f"api:{window}",
            key=self.get_ident(request),
            limit=settings.API_RATE_LIMIT_PER_MINUTE,
            period_seconds=WINDOW_SECONDS,
        )

    def wait(self) -> float:
        return WINDOW_SECONDS - time.time() % WINDOW_SECONDS
