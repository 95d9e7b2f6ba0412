"""Conditional requests and caching for the API: ETag and Last-Modified, 304 answers, and
answers kept per content version exactly like the public pages (untfsse/core/cache.py's
`serve_public_page`: the address and the versions of the content areas shown, one cache round
trip for a stored answer, five minutes at most).

The ETag is a digest of the body itself, so it changes exactly when what the client would
read changes (a change through a service bumps a content version, the next request makes the
body again); the Last-Modified date is when this address first gave that body, remembered
beside its ETag. Both are stored with the answer, so a client that sends either back gets 304
without a database query while nothing changed.
"""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from untfsse.core.cache import serve_public_page

# How long an address remembers when its body last changed: a client that kept an answer
# longer than this gets the whole body again, never a wrong 304.
VALIDATOR_TIMEOUT = 30 * 24 * 60 * 60


def _validators_key(request) -> str:
    """Scheme, host, path and every query parameter (sorted): the answers carry absolute
    links, so the host is part of the address."""
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    described = repr((request.scheme, request.get_host(), request.path, query))
    return "api-validators:" + hashlib.sha256(described.encode()).hexdigest()[:40]


def _last_modified(request, etag: str) -> int:
    """When this address first gave this body: kept while the body stays the same, a new
    (always later) time when it changed."""
    key = _validators_key(request)
    stored = cache.get(key)
    if stored is not None and stored[0] == etag:
        return stored[1]
    now = int(time.time())
    # Later than the previous body's date even within the same second, so a client that sends
    # back the earlier date never gets 304 for a body it has not seen.
    last_modified = max(now, stored[1] + 1) if stored is not None else now
    cache.set(key, (etag, last_modified), VALIDATOR_TIMEOUT)
    return last_modified


def _json_answer(request, response: Response) -> HttpResponse:
    """The DRF answer as JSON bytes, with its validators when it is a 200."""
    body = JSONRenderer().render(response.data)
    answer = HttpResponse(body, status=response.status_code, content_type="application/json")
    if response.status_code == 200:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        answer["ETag"] = etag
        answer["Last-Modified"] = http_date(_last_modified(request, etag))
        # Any cache may keep the answer but must check it again (a conditional request is
        # cheap).
        patch_cache_control(answer, public=True, no_cache=True)
    return answer


def conditional_json(
    request, *, areas: tuple[str, ...], query_params: tuple[str, ...], render: Callable
) -> HttpResponse:
    """The answer of an API GET: the stored one while the content versions of `areas` are
    unchanged, else `render()` (a DRF Response, stored when it is a 200); 304 when the client's
    ETag or date still holds. Errors raised by `render()` pass through untouched."""

    def make() -> HttpResponse:
        return _json_answer(request, render())

    answer = serve_public_page(request, areas, make, query_params)
    if answer.status_code != 200 or not answer.has_header("ETag"):
        return answer
    not_modified = get_conditional_response(
        request,
        etag=answer["ETag"],
        last_modified=parse_http_date_safe(answer["Last-Modified"]),
        response=None,
    )
    if not_modified is None:
        return answer
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        if answer.has_header(header):
            not_modified[header] = answer[header]
    return not_modified
