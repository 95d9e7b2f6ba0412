"""Fixtures shared by the whole suite.

Tests that need a real service carry a marker (postgres, redis, browser, worker). Without the
service they skip on a developer's machine; with CI=true a missing service fails the test, and
any skip at all fails the run, so CI can never pass by skipping.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from knowledgehub.groups import REVIEWERS_GROUP
from tests.factories import SecretariatUserFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; Django must still allow
# synchronous database access from it (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def service_missing(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every service must be present."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _required_services(request):
    marker_names = {marker.name for marker in request.node.iter_markers()}
    if "postgres" in marker_names or "worker" in marker_names:
        from django.db import connection

        if connection.vendor != "postgresql":
            service_missing("this test needs PostgreSQL (set DATABASE_URL=postgres://...)")
    if ("redis" in marker_names or "worker" in marker_names) and not redis_available():
        service_missing("this test needs a reachable Redis (set REDIS_URL=redis://...)")
    if "browser" in marker_names and not Path(CHROMIUM).exists():
        service_missing(f"this test needs Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which is not allowed: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, cached pages)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request to /fr/ or /es/ leaves its language active in the thread: the next test
    starts in English whatever the one before asked for."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Private files (meeting documents, Knowledge Hub PDFs) go to a fresh folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.KNOWLEDGE_HUB_FILES_ROOT = tmp_path / "knowledgehub-files"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True, scope="session")
def _test_media_root():
    media = Path(settings.MEDIA_ROOT)
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True, exist_ok=True)
    yield media
    shutil.rmtree(media, ignore_errors=True)


# --- The people most tests need, defined once ---------------------------------------------------
@pytest.fixture
def secretariat():
    """A secretariat officer: staff, in the Secretariat group."""
    return SecretariatUserFactory(name="Valentina Verze", email="verze@example.org")


@pytest.fixture
def admin_client(client, secretariat):
    """A client signed in as the secretariat officer (not pytest-django's superuser)."""
    client.force_login(secretariat)
    return client


@pytest.fixture
def submitter():
    """A researcher with a verified account, linked to no organisation."""
    return UserFactory(name="Ana Souza", email="ana@example.org")


@pytest.fixture
def reviewer():
    """A reviewer: an account in the Reviewers group."""
    user = UserFactory(name="Ilcheong Yi", email="yi@example.org")
    user.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return user


# --- Browser tests (pytest-playwright driving Debian's Chromium) ----------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
