"""Public pages cached per content version.

The cache itself is django-redis (settings.py), which answers an unreachable Redis like a miss
(`IGNORE_EXCEPTIONS`, each ignored error logged): a Redis outage slows pages, never breaks them.

Pages an anonymous visitor sees are stored whole for a few minutes, together with the version
number of each content area they show (`ContentArea`); every model declares the areas its rows
appear in, and any change to a row advances those areas' versions after commit
(untfsse/core/invalidation.py), so the next visitor sees the change at once, without anyone
having to know which cached pages showed it.
"""

import functools
import hashlib
import operator
import re
import threading
import time
from collections.abc import Callable, Iterable
from enum import StrEnum
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

PUBLIC_PAGE_TIMEOUT = 300
# A copy older than PUBLIC_PAGE_TIMEOUT (but made under the current content versions) is made
# again by one request while the others get that copy, kept STALE_GRACE seconds longer for it:
# otherwise a copy expiring under load is remade by every worker at once, each waiting behind
# the others (the directory, 90 ms to make, had a p99 of 100 ms at 900 requests/s).
STALE_GRACE = 60
_REMAKING_TIMEOUT = 30  # a request that died while remaking a copy holds it no longer
# Longer query strings are answered but not stored: nobody shares such an address.
MAX_CACHED_QUERY_LENGTH = 500
_VERSION_KEY = "content-version:{area}"


class ContentArea(StrEnum):
    """The parts of the portal whose cached pages go stale together. A model declares the areas
    its rows appear in (`content_areas`, see untfsse/core/invalidation.py); a page declares the
    areas it shows (`cache_areas`, `cache_public_page(...)`)."""

    SITE = "site"
    MEMBERS = "members"
    MEETINGS = "meetings"
    KNOWLEDGE_HUB = "knowledgehub"
    ACTION_PLAN = "actionplan"


Areas = tuple[ContentArea, ...]


def _checked_areas(areas, where: str) -> Areas:
    """`areas` as declared by a page, refused unless they are ContentArea members: a mistyped
    free string would name an area nothing ever makes stale."""
    areas = tuple(areas)
    if not all(isinstance(area, ContentArea) for area in areas):
        raise TypeError(f"{where}: cache areas must be ContentArea members, not {areas!r}")
    return areas


def _version_keys(areas: Iterable[ContentArea]) -> list[str]:
    return [_VERSION_KEY.format(area=area) for area in areas]


def _with_missing_versions(found: dict, version_keys: list[str]) -> tuple:
    """The versions of `found` (from one get_many), a missing one started afresh: from the
    clock, never from 0, so a version lost to an eviction or a restart can never come back
    with a number that old cached pages were stored under."""
    versions = []
    for key in version_keys:
        # `found` is never written to: while Redis is away, django-redis answers get_many with
        # one shared empty dict.
        version = found.get(key)
        if version is None:
            cache.add(key, time.time_ns(), None)
            version = cache.get(key, 0)
        versions.append(version)
    return tuple(versions)


def content_versions(areas: Areas) -> str:
    keys = _version_keys(areas)
    return ".".join(str(version) for version in _with_missing_versions(cache.get_many(keys), keys))


def advance_content_versions(areas: Iterable[ContentArea]) -> None:
    """Make every cached page of these areas stale, now. Called after commit by
    untfsse/core/invalidation.py, which is what the rest of the portal uses."""
    for key in _version_keys(areas):
        try:
            cache.incr(key)
        except ValueError:  # no version yet (never read, or evicted): start one from the clock
            cache.set(key, time.time_ns(), None)


def _cacheable_request(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not list(getattr(request, "_messages", []) or [])
    )


def _page_address(request, query_params: tuple[str, ...]) -> str | None:
    """Host, language, path and the parameters the page reads, as one string; None when the
    address carries a parameter the page does not read (or an overlong query): made-up query
    strings must not fill the cache with copies."""
    if set(request.GET) - set(query_params):
        return None
    if len(request.META.get("QUERY_STRING", "")) > MAX_CACHED_QUERY_LENGTH:
        return None
    # Names sorted, each one's values in their order (the last one is the one a page reads).
    read = urlencode(
        [(name, value) for name in sorted(query_params) for value in request.GET.getlist(name)]
    )
    query = hashlib.sha256(read.encode()).hexdigest()[:32]
    # The host too: pages carry absolute links (canonical address, citation meta tags).
    return f"{request.get_host()}:{get_language()}:{request.path}:{query}"


def _page_key(request, query_params: tuple[str, ...]) -> str | None:
    address = _page_address(request, query_params)
    return None if address is None else f"public-page:{address}"


def _servable(key: str, stored, versions: tuple):
    """The payload of the copy `stored` under `key` when this request may be given it: made
    under the current content versions and either fresh, or stale by age only while another
    request remakes it. None when this request is to make the page (and keep it, `_keep`)."""
    if stored is None or len(stored) != 3 or stored[0] != versions:
        return None
    _versions, fresh_until, payload = stored
    if time.time() < fresh_until:
        return payload
    if cache.add(f"remaking:{key}", 1, _REMAKING_TIMEOUT):
        return None  # this request remakes it
    return payload


def _keep(key: str, versions: tuple, payload) -> None:
    cache.set(
        key,
        (versions, time.time() + PUBLIC_PAGE_TIMEOUT, payload),
        PUBLIC_PAGE_TIMEOUT + STALE_GRACE,
    )
    cache.delete(f"remaking:{key}")


# A `{% cache %}` block with this is rendered every time.
NOT_KEPT = {"timeout": 0, "key": ""}


def shared_fragment(request, areas: Areas, query_params: tuple[str, ...], *vary):
    """The timeout and key of a page's `{% cache %}` block: the part of the page that is the
    same for every reader (the listing, the results), kept per content version like the
    anonymous pages, so signed-in readers, whose whole pages are never cached, are spared
    rebuilding it. `vary` adds what the part depends on besides the address (a time zone).
    The timeout is 0 (nothing kept) where the anonymous pages are not cached either."""
    address = _page_address(request, query_params)
    if address is None or not settings.PUBLIC_PAGE_CACHE:
        return NOT_KEPT
    parts = [address, content_versions(areas), *(str(value) for value in vary)]
    return {"timeout": PUBLIC_PAGE_TIMEOUT, "key": ":".join(parts)}


def lazy_parts(make, names) -> dict:
    """Template context entries, one per name, read from the dict `make()` returns only when
    a template uses one (then once for all): the data of a page's shared part, never read
    when the cache holds that part already."""
    made = SimpleLazyObject(make)
    return {
        name: SimpleLazyObject(functools.partial(operator.getitem, made, name)) for name in names
    }


# A page kept whole for signed-in readers carries these marks where each reader's own part goes
# (templates/base.html); the parts are rendered for every request, without the page.
_PERSONAL_PARTS = {
    b"<!--personal:account-menu-->": "includes/account_menu.html",
    b"<!--personal:messages-->": "includes/messages.html",
}
# Django's {% csrf_token %}: the kept copy holds the field with no value, each reader's is put in.
_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
_BLANK_CSRF_FIELD = b'name="csrfmiddlewaretoken" value=""'
_PERSONAL_MARK = b"<!--personal:"


def render_part(request, template_name: str, context: dict) -> str:
    """A reader's own part of a page kept whole (see serve_reader_page): `template_name` with
    `context`, the reader and their CSRF token, without the context processors (a part needs
    none of what they add, and skipping them is what makes a kept page cheap)."""
    engine = engines["django"].engine
    return engine.get_template(template_name).render(
        Context(
            {
                "user": request.user,
                "csrf_token": SimpleLazyObject(lambda: get_token(request)),
                **context,
            },
            autoescape=engine.autoescape,
        )
    )


def _with_personal_parts(request, content: bytes, own_parts=None) -> bytes:
    """`content` with the marks replaced by this reader's own parts: the account menu, the
    pending messages (read, so shown once), the CSRF token of each form, and what
    `own_parts(request)` makes for the page's own marks (`<!--personal:NAME-->`)."""
    if _BLANK_CSRF_FIELD in content:
        token = get_token(request).encode()
        content = content.replace(
            _BLANK_CSRF_FIELD, b'name="csrfmiddlewaretoken" value="' + token + b'"'
        )
    for mark, template_name in _PERSONAL_PARTS.items():
        if mark in content:
            part = render_part(request, template_name, {"messages": get_messages(request)})
            content = content.replace(mark, part.encode())
    if own_parts is not None and _PERSONAL_MARK in content:
        for name, part in own_parts(request).items():
            content = content.replace(f"<!--personal:{name}-->".encode(), part.encode())
    return content


def serve_reader_page(
    request, areas: Areas, render_page, query_params: tuple[str, ...], reader, own_parts=None
):
    """For a signed-in reader: the page kept whole per address, content versions and `reader`
    (what the page may depend on about its reader: their standing's audience, staff or not,
    their time zone; members.standing.reader_key), with the reader's own parts (account menu,
    messages, CSRF tokens) put in for each request. A warm request renders no template of the
    page. `render_page()` is called with `request.renders_shared_page` set, so base.html leaves
    marks for those parts; a page with a part of the reader's own besides those leaves a mark
    `<!--personal:NAME-->` for it too, and `own_parts(request)` makes each such part for each
    request ({NAME: html}, see render_part).
    """
    address = _page_address(request, query_params)
    if address is None or not settings.PUBLIC_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return render_page()
    key = f"reader-page:{address}:{reader}"
    version_keys = _version_keys(areas)
    found = cache.get_many([key, *version_keys])
    versions = _with_missing_versions(found, version_keys)
    kept = _servable(key, found.get(key), versions)
    if kept is not None:
        response = HttpResponse(kept[0])
        for name, value in kept[1]:
            response[name] = value
    else:
        request.renders_shared_page = True
        try:
            response = render_page()
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        finally:
            del request.renders_shared_page
        if getattr(response, "streaming", False):
            return response
        # No reader's token is kept, not even in the copy.
        response.content = _CSRF_FIELD.sub(_BLANK_CSRF_FIELD, response.content)
        if response.status_code == 200 and not response.cookies:
            # Each reader's parts change the length: never a kept Content-Length.
            headers = [item for item in response.items() if item[0].lower() != "content-length"]
            _keep(key, versions, (response.content, headers))
    response.content = _with_personal_parts(request, response.content, own_parts)
    patch_vary_headers(response, ["Cookie"])
    return response


def serve_public_page(
    request,
    areas: Areas,
    render_page,
    query_params: tuple[str, ...] = (),
    reader_key: Callable[[object], str] | None = None,
    own_parts: Callable[[object], dict[str, str]] | None = None,
):
    """The page from the cache when this visitor may share it, else `render_page()` (stored
    for the next visitor when it was made for no one in particular).

    `query_params` names the query-string parameters the page reads; an address with any other
    parameter is rendered afresh and not stored. `reader_key(user)` keeps the page whole for
    signed-in readers too, with their own parts put in (base.html's, and `own_parts`'s: see
    serve_reader_page).
    """
    if reader_key is not None and request.user.is_authenticated:
        return serve_reader_page(
            request, areas, render_page, query_params, reader_key(request.user), own_parts
        )
    key = _page_key(request, query_params) if _cacheable_request(request) else None
    if key is None:
        return render_page()
    # The page is stored with the content versions it was made under, and fetched with the
    # current ones in the same round trip: a stored page older than any of them is stale.
    version_keys = _version_keys(areas)
    found = cache.get_many([key, *version_keys])
    versions = _with_missing_versions(found, version_keys)
    kept = _servable(key, found.get(key), versions)
    if kept is not None:
        return kept
    response = render_page()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    made_for_this_visitor = (
        response.cookies
        or getattr(response, "streaming", False)
        # A CSRF token in the page belongs to this visitor's cookie.
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if response.status_code == 200 and not made_for_this_visitor:
        _keep(key, versions, response)
    patch_vary_headers(response, ["Cookie"])
    return response


# How long an address remembers when its body last changed: a client that kept an answer
# longer than this gets the whole body again, never a wrong 304.
VALIDATOR_TIMEOUT = 30 * 24 * 60 * 60


def last_modified_of(address: str, etag: str) -> int:
    """When `address` first gave the body whose digest is `etag`: kept while the body stays the
    same (a rebuild after the entry expired keeps its date), a new, always later, time when it
    changed."""
    key = f"validators:{hashlib.sha256(address.encode()).hexdigest()[:40]}"
    stored = cache.get(key)
    if stored is not None and stored[0] == etag:
        return stored[1]
    now = int(time.time())
    # Later than the previous body's date even within the same second, so a client that sends
    # back the earlier date never gets 304 for a body it has not seen.
    last_modified = max(now, stored[1] + 1) if stored is not None else now
    cache.set(key, (etag, last_modified), VALIDATOR_TIMEOUT)
    return last_modified


def with_validators(response, address: str):
    """`response` (a 200) with an ETag, the digest of its body, and the Last-Modified date of
    that body at `address`; any cache may keep it but must ask again (a conditional request is
    cheap)."""
    if response.status_code == 200 and not getattr(response, "streaming", False):
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified_of(address, etag))
        patch_cache_control(response, public=True, no_cache=True)
    return response


def answered_conditionally(request, response):
    """304 (or 412) instead of `response` when the client's If-None-Match or If-Modified-Since
    still holds for its validators; `response` itself otherwise."""
    if response.status_code != 200 or not response.has_header("ETag"):
        return response
    not_modified = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=None,
    )
    if not_modified is None:
        return response
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        if response.has_header(header):
            not_modified[header] = response[header]
    return not_modified


def serve_shared_answer(request, areas: Areas, render_answer):
    """An answer that is the same whoever asks (it reads neither session nor user: the
    calendars), kept per content version like the public pages but for every reader, signed in
    or not, with its validators; 304 when the client's ETag or date still holds.

    `render_answer()` makes the answer; only a 200 is kept. The address (host, language,
    path) is the key; query strings are not read, so an answer with one is made afresh.
    """
    address = _page_address(request, ())
    if address is None or request.method not in ("GET", "HEAD"):
        return render_answer()
    if not settings.PUBLIC_PAGE_CACHE:
        return answered_conditionally(request, with_validators(render_answer(), address))
    key = f"shared-answer:{address}"
    version_keys = _version_keys(_checked_areas(areas, "serve_shared_answer"))
    local = _local_answers.get(key)
    if local is not None:
        versions = _with_missing_versions(cache.get_many(version_keys), version_keys)
        # (A version of 0 is Redis away: nothing says whether the copy is still current.)
        if local[0] == versions and 0 not in versions and time.time() < local[1]:
            _keep_locally(key, local)  # the most recently served, kept longest
            return answered_conditionally(request, _response_of(local[2]))
    found = cache.get_many([key, *version_keys])
    versions = _with_missing_versions(found, version_keys)
    response = _servable(key, found.get(key), versions)
    fresh_until = found[key][1] if response is not None else time.time() + PUBLIC_PAGE_TIMEOUT
    if response is None:
        response = with_validators(render_answer(), address)
        if response.status_code == 200 and not response.cookies:
            _keep(key, versions, response)
    fresh = fresh_until > time.time()  # (not a copy served stale while another remakes it)
    if response.status_code == 200 and not response.cookies and 0 not in versions and fresh:
        _keep_locally(key, (versions, fresh_until, _parts_of(response)))
    return answered_conditionally(request, response)


# The calendars are large (the feed: half a megabyte at scale 1): bringing one from Redis for
# every request cost more than the rest of the request. Each worker also keeps the
# _LOCAL_ANSWERS it served most recently, each used while the content versions (one small read
# from Redis per request, as for every kept page) are those it was made under and it is fresh by
# age.
_LOCAL_ANSWERS = 8
_local_answers: dict[str, tuple] = {}
_local_answers_lock = threading.Lock()  # for workers that serve with threads


def _keep_locally(key: str, stored: tuple) -> None:
    with _local_answers_lock:
        _local_answers.pop(key, None)
        _local_answers[key] = stored
        while len(_local_answers) > _LOCAL_ANSWERS:
            del _local_answers[next(iter(_local_answers))]  # the oldest kept


def _parts_of(response) -> tuple:
    return response.content, list(response.items())


def _response_of(parts: tuple) -> HttpResponse:
    """A new response from a locally kept answer's parts: the middleware changes the response
    it is given, so a kept one is never handed out itself."""
    content, headers = parts
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


class PublicPageCacheMixin:
    """Serve GET pages to anonymous visitors from the cache.

    Signed-in users, visitors with a session cookie or pending messages, and responses that set
    cookies are never cached nor served from the cache, so nobody ever receives a page made for
    someone else.
    """

    cache_areas: Areas = ()
    # The query-string parameters the page reads (its filters, sort, page number).
    cache_query_params: tuple[str, ...] = ()
    # members.standing.reader_key for a page kept whole for signed-in readers too: nothing in
    # it is the reader's own but base.html's account menu, messages and CSRF tokens, and the
    # parts `reader_parts` makes (see serve_reader_page).
    cache_reader_key: Callable[[object], str] | None = None

    def reader_parts(self, request) -> dict[str, str]:
        """The page's own parts of the reader's, by the name of their mark, for a page kept
        whole for signed-in readers (`cache_reader_key`): made for every request, without
        the rest of the page (`self.kwargs` is set, nothing else)."""
        return {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _checked_areas(cls.cache_areas, cls.__qualname__)

    def shared_fragment_vary(self) -> tuple:
        """What the page's shared part depends on besides its address (see shared_fragment):
        for a page whose shared part differs by the reader's standing, the reader's audience
        (members.standing.Standing.audience: public, members, secretariat)."""
        return ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Lazy: only templates with a shared block pay for reading the content versions.
        context["shared_fragment"] = SimpleLazyObject(
            lambda: shared_fragment(
                self.request,
                self.cache_areas,
                self.cache_query_params,
                *self.shared_fragment_vary(),
            )
        )
        return context

    def dispatch(self, request, *args, **kwargs):
        parent = super()
        return serve_public_page(
            request,
            self.cache_areas,
            lambda: parent.dispatch(request, *args, **kwargs),
            self.cache_query_params,
            type(self).cache_reader_key,
            self.reader_parts,
        )


def cache_public_page(
    *areas: ContentArea,
    query_params: tuple[str, ...] = (),
    reader_key: Callable[[object], str] | None = None,
):
    """The same as PublicPageCacheMixin, for function views."""

    def decorator(view):
        _checked_areas(areas, view.__qualname__)

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return serve_public_page(
                request, areas, lambda: view(request, *args, **kwargs), query_params, reader_key
            )

        return wrapped

    return decorator
