"""The cache backend: django-redis, with an unreachable Redis answering like a miss; one round
trip per cached page; the session cookie recognised by the name the settings give it."""

import logging

import pytest
import redis.connection
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory
from untfsse.core.ratelimit import allow
from untfsse.deployment import redis_cache

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:9/1"  # the discard port: nothing listens there


@pytest.fixture
def cache_away(settings):
    settings.CACHES = {"default": redis_cache(UNREACHABLE, timeout_seconds=0.2)}
    yield
    del settings.CACHES


def test_the_cache_settings_are_django_redis_ignoring_outages():
    assert redis_cache("redis://cache:6379/1") == {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://cache:6379/1",
        "KEY_PREFIX": "untfsse",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 2,
        },
    }


def test_every_cache_operation_answers_like_a_miss_while_redis_is_away(cache_away):
    assert cache.get("anything", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1, 30) is None
    assert cache.set("a", 1, 30) is None
    assert cache.incr("a") is None
    assert cache.delete("a") is None


def test_an_ignored_cache_error_is_logged(cache_away, caplog):
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        cache.get("anything")
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("django_redis.cache", "Exception ignored")
    ]


def test_a_rate_limit_lets_requests_through_while_the_cache_is_away(cache_away):
    answers = [allow(action="rsvp", key=7, limit=1, period_seconds=3600) for _ in range(3)]
    assert answers == [True, True, True]


def test_a_rate_limit_counts_in_the_cache():
    answers = [allow(action="rsvp", key=7, limit=2, period_seconds=3600) for _ in range(3)]
    assert answers == [True, True, False]


@pytest.mark.redis
def test_a_cached_page_costs_one_redis_round_trip(client, settings, monkeypatch):
    OrganisationFactory(acronym="ILO")
    assert client.get("/members/").status_code == 200  # stored
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/members/").status_code == 200
    assert (len(queries), len(sent)) == (0, 1)


def _queries_of(reader: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert reader.get(url).status_code == 200
    return len(queries)


def test_a_visitor_with_a_session_cookie_is_never_served_the_cached_page(settings):
    settings.SESSION_COOKIE_NAME = "portal_session"
    page = OrganisationFactory(acronym="ILO").get_absolute_url()
    anonymous = Client()
    assert _queries_of(anonymous, page) > 0
    assert _queries_of(anonymous, page) == 0
    with_session = Client()
    with_session.cookies["portal_session"] = "abc"
    assert _queries_of(with_session, page) > 0
    # Django's default name means nothing here: this visitor has no session of the portal's.
    with_other_cookie = Client()
    with_other_cookie.cookies["sessionid"] = "abc"
    assert _queries_of(with_other_cookie, page) == 0


def test_while_redis_is_away_no_worker_serves_its_own_copy_of_a_calendar(cache_away, client):
    """A worker's own copy of a calendar is used only while the cache says its content versions
    still hold: with the cache away, nothing says so, and each request makes the feed afresh."""
    from tests.factories.meetings import MeetingFactory

    MeetingFactory(title="Retreat in Turin")
    assert _queries_of(client, "/meetings/calendar.ics") >= 1
    MeetingFactory(title="Webinar on statistics")
    assert _queries_of(client, "/meetings/calendar.ics") >= 1
    assert b"Webinar on statistics" in client.get("/meetings/calendar.ics").content
