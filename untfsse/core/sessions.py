"""Sessions read from the cache and written through to the database (Django's `cached_db`),
the cache's copy kept a few minutes at most.

Why the cap: signing out deletes the session from the database and from the cache. If the cache
could not be reached at that moment (django-redis ignores the error, settings.py), its copy
would be read again once the cache is back, for the rest of the session's life (weeks). Capped,
such a copy lives minutes; a session in use is read from the database again that often.
"""

from django.contrib.sessions.backends import cached_db

CACHED_FOR = 300  # seconds


class _CappedTimeouts:
    """The sessions' cache, every entry kept CACHED_FOR seconds at most."""

    def __init__(self, cache):
        self._cache = cache

    @staticmethod
    def _capped(timeout):
        return CACHED_FOR if timeout is None else min(timeout, CACHED_FOR)

    def set(self, key, value, timeout=None, **kwargs):
        return self._cache.set(key, value, self._capped(timeout), **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        return await self._cache.aset(key, value, self._capped(timeout), **kwargs)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedTimeouts(self._cache)
