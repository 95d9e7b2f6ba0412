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
from collections.abc import Callable

from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from untfsse.core.cache import answered_conditionally, serve_public_page, with_validators


def _validators_address(request) -> str:
    """Scheme, host, path and every query parameter (sorted): the answers carry absolute
    links, so the host is part of the address."""
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    described = repr((request.scheme, request.get_host(), request.path, query))
    return "api:" + hashlib.sha256(described.encode()).hexdigest()[:40]


def _json_answer(request, response: Response) -> HttpResponse:
    """The DRF answer as JSON bytes, with its validators when it is a 200."""
    body = JSONRenderer().render(response.data)
    answer = HttpResponse(body, status=response.status_code, content_type="application/json")
    return with_validators(answer, _validators_address(request))


def conditional_json(
    request, *, areas: tuple[str, ...], query_params: tuple[str, ...], render: Callable
) -> HttpResponse:
    """The answer of an API GET: the stored one while the content versions of `areas` are
    unchanged, else `render()` (a DRF Response, stored when it is a 200); 304 when the client's
    ETag or date still holds. Errors raised by `render()` pass through untouched."""

    def make() -> HttpResponse:
        return _json_answer(request, render())

    return answered_conditionally(request, serve_public_page(request, areas, make, query_params))
