"""Per-account rate limits counted in the cache (Redis in production).

A limit that cannot be counted (the cache is down) lets the request through: a Redis outage
must not lock people out of the portal.
"""

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string


def allow(*, action: str, key: str | int, limit: int, period_seconds: int) -> bool:
    """Count one more `action` by `key` in the current window; False once over `limit`."""
    cache_key = f"ratelimit:{action}:{key}"
    if cache.add(cache_key, 1, period_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, period_seconds)
        return True
    # None: the cache is unreachable (django-redis ignores the error and answers nothing).
    return count is None or count <= limit


def too_many_requests(request) -> HttpResponse:
    response = HttpResponse(render_to_string("429.html", request=request), status=429)
    response["Retry-After"] = "3600"
    return response
