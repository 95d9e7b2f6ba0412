"""Test settings: production settings (DEBUG off) with test-only values for what must be set.

The database and Redis come from DATABASE_URL and REDIS_URL as in production; without them
the suite runs on SQLite with tasks executed in process.
"""

import os
from urllib.parse import urlsplit

from untfsse.deployment import redis_url_with_database

# Under pytest-xdist each worker process ("gw0", "gw1", ...) gets its own test database
# (pytest-django adds the suffix), its own Redis databases and its own media folder, so that
# one worker clearing its cache or starting a Celery worker never touches another's.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(XDIST_WORKER.removeprefix("gw")) if XDIST_WORKER.startswith("gw") else 0


def _shifted(url: str, by: int) -> str:
    return redis_url_with_database(url, int(urlsplit(url).path.strip("/") or 0) + by)


if os.environ.get("REDIS_URL"):
    # Broker on REDIS_URL's database + 2 per worker, the cache on the next one (unless
    # REDIS_CACHE_URL names its own, which is shifted the same way).
    os.environ.setdefault("REDIS_CACHE_URL", _shifted(os.environ["REDIS_URL"], 1))
    for variable in ("REDIS_URL", "REDIS_CACHE_URL"):
        os.environ[variable] = _shifted(os.environ[variable], 2 * WORKER_INDEX)

os.environ.setdefault("SECRET_KEY", "tests-only-" + "k3y-" * 12)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "sqlite:///test-db.sqlite3")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from untfsse.settings import *  # noqa: E402, F403  (after the environment above is set)

# Fast hashing: the suite creates many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Templates use {% static %} without a collectstatic manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests run tasks in process; the tests that need a real worker start one against REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / f".test-media{XDIST_WORKER and '-' + XDIST_WORKER}"  # noqa: F405
# One process: the page cache is shared by construction, and its tests need it on.
PUBLIC_PAGE_CACHE = True
# The suite signs in and fails sign-ins many times from one address.
ACCOUNT_RATE_LIMITS = False
# One process: the cache is shared by construction, so sessions are kept as in production with
# Redis (read from the cache, written through to the database) whichever cache the suite has.
SESSION_ENGINE = "untfsse.core.sessions"
