"""Conditional requests and caching for the API: ETag and Last-Modified, 304 answers, and
bodies kept per content version like the public pages (untfsse/core/cache.py).

A body is stored under its address and the versions of the content areas it shows: a change
through a service bumps a version, so the next request makes the body again. The ETag is a
digest of the body itself, so it changes exactly when what the client would read changes; the
Last-Modified date is when this address first gave that body, kept beside the ETag. A client
that sends back either gets 304 without a database query while nothing changed.
"""

import hashlib
import time
from collections.abc import Callable
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from untfsse.core.cache import MAX_CACHED_QUERY_LENGTH, PUBLIC_PAGE_TIMEOUT, content_versions

# Change it whenever the shape of the answers changes: every stored body is then out of date.
BODY_SCHEMA = 1
# How long an address remembers when its body last changed: a client that kept an answer
# longer than this gets the whole body again, never a wrong 304.
VALIDATOR_TIMEOUT = 30 * 24 * 60 * 60


def request_address(request) -> str:
    """Scheme, host, path and every query parameter (sorted): the answers carry absolute
    links, so the host is part of the address."""
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    described = repr((BODY_SCHEMA, request.scheme, request.get_host(), request.path, query))
    return hashlib.sha256(described.encode()).hexdigest()[:40]


def time_bucket() -> int:
    """The current five-minute window: answers that depend on the time (which meetings are
    upcoming, which calls are open) are at most this old, like the public pages."""
    return int(time.time() // PUBLIC_PAGE_TIMEOUT)


def _last_modified(validators_key: str, etag: str, stored) -> float:
    """The Last-Modified time of this body at this address: kept while the body stays the
    same, a new one (always later) when it changed."""
    if stored is not None and stored[0] == etag:
        return stored[1]
    now = float(int(time.time()))
    # Later than the previous body's date even within the same second, so a client that sends
    # back the earlier date never gets 304 for a body it has not seen.
    last_modified = max(now, stored[1] + 1) if stored is not None else now
    cache.set(validators_key, (etag, last_modified), VALIDATOR_TIMEOUT)
    return last_modified


def _with_validators(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = formatdate(last_modified, usegmt=True)
    # Any cache may keep the answer but must check it again (a conditional request is cheap).
    patch_cache_control(response, public=True, no_cache=True)
    return response


def conditional_json(
    request, *, areas: tuple[str, ...], render: Callable[[], HttpResponse], time_dependent=False
) -> HttpResponse:
    """The answer of an API GET: 304 when the client's ETag or date is still good, the stored
    body when there is one for the current content versions, else `render()` (a DRF Response;
    only a 200 is stored and given validators; errors pass through untouched)."""
    address = request_address(request)
    validators_key = f"api-validators:{address}"
    body_key = None
    if settings.PUBLIC_PAGE_CACHE and len(request.META.get("QUERY_STRING", "")) <= (
        MAX_CACHED_QUERY_LENGTH
    ):
        parts = [address, content_versions(areas)]
        if time_dependent:
            parts.append(str(time_bucket()))
        body_key = "api-body:" + ":".join(parts)
    # One round trip: the stored body (if any) and the address's validators.
    found = cache.get_many([validators_key, *([body_key] if body_key else [])])
    stored = found.get(body_key) if body_key else None
    if stored is not None:
        etag, body = stored
    else:
        response = render()
        if response.status_code != 200 or not isinstance(response, Response):
            return response
        body = JSONRenderer().render(response.data)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if body_key:
            cache.set(body_key, (etag, body), PUBLIC_PAGE_TIMEOUT)
    last_modified = _last_modified(validators_key, etag, found.get(validators_key))
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified), response=None
    )
    if not_modified is not None:
        return _with_validators(not_modified, etag, last_modified)
    response = HttpResponse(body, content_type="application/json")
    return _with_validators(response, etag, last_modified)
