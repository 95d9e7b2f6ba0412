"""Sessions (untfsse/core/sessions.py): read from the cache, written through to the database,
the cache's copy kept five minutes at most; signing out ends them."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache

from tests.factories import UserFactory
from untfsse.core import sessions

pytestmark = pytest.mark.django_db


class RecordingCache:
    def __init__(self):
        self.timeouts = []

    def set(self, key, value, timeout=None):
        self.timeouts.append(timeout)


@pytest.mark.parametrize(
    ("asked", "kept"), [(1_209_600, 300), (None, 300), (120, 120), (0, 0), (-5, -5)]
)
def test_the_cache_keeps_a_session_five_minutes_at_most(asked, kept):
    recording = RecordingCache()
    sessions._CappedTimeouts(recording).set("key", {}, asked)
    assert recording.timeouts == [kept]


def test_a_session_is_in_the_database_and_in_the_cache_for_five_minutes(client):
    client.force_login(UserFactory())
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    store = sessions.SessionStore(key)
    assert cache.get(store.cache_key) is not None
    if hasattr(cache, "ttl"):  # django-redis says how long the copy is kept
        assert 0 < cache.ttl(store.cache_key) <= 300


def test_signing_out_ends_the_session_in_the_database_and_the_cache(client):
    client.force_login(UserFactory(name="Sol Signed"))
    key = client.cookies["sessionid"].value
    store = sessions.SessionStore(key)
    assert "Sol Signed" in client.get("/members/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(store.cache_key) is None
    # The old cookie signs no one in.
    client.cookies["sessionid"] = key
    assert "Sol Signed" not in client.get("/members/").content.decode()
