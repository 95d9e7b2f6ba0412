import os
import subprocess
import sys
from pathlib import Path

import pytest

from untfsse.deployment import production_settings_problems, redis_url_with_database

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "x7#kP2!mQ9zL4@vR8wN1$tY6^bH3&cJ5*dF0(gS2)eA9-uI7+oE4"


def clean_environment(**variables: str) -> dict[str, str]:
    """A process environment with none of the portal's settings but these."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "untfsse.settings",
        **variables,
    }


def start_django(**variables: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with exactly these settings variables."""
    env = clean_environment(**variables)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_start_refused_without_secret_key():
    result = start_django(
        DEBUG="false", ALLOWED_HOSTS="portal.example.org", DATABASE_URL="sqlite:///x.db"
    )
    assert result.returncode == 1
    assert (
        "Refusing to start with DEBUG off: SECRET_KEY is not set. See the README." in result.stderr
    )


def test_production_start_refused_with_nothing_set():
    result = start_django(DEBUG="false")
    assert result.returncode == 1
    assert (
        "Refusing to start with DEBUG off: SECRET_KEY is not set; ALLOWED_HOSTS is not set; "
        "DATABASE_URL is not set. See the README."
    ) in result.stderr


def test_production_start_accepted_with_every_variable():
    result = start_django(
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="sqlite:///x.db",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_debug_mode_starts_with_nothing_set():
    result = start_django(DEBUG="true")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("kwargs", "problems"),
    [
        (
            {"secret_key": "short", "allowed_hosts": ["a.org"], "database_url": "sqlite:///x"},
            ["SECRET_KEY must be a random value of at least 50 characters"],
        ),
        (
            {
                "secret_key": "django-insecure-" + "x" * 60,
                "allowed_hosts": ["a.org"],
                "database_url": "sqlite:///x",
            },
            ["SECRET_KEY must be a random value of at least 50 characters"],
        ),
        (
            {"secret_key": GOOD_KEY, "allowed_hosts": ["*"], "database_url": "sqlite:///x"},
            ["ALLOWED_HOSTS must name the site's hosts, not '*'"],
        ),
        ({"secret_key": GOOD_KEY, "allowed_hosts": ["a.org"], "database_url": "sqlite:///x"}, []),
    ],
)
def test_production_settings_problems_names_each_problem(kwargs, problems):
    assert production_settings_problems(**kwargs) == problems


def test_redis_cache_uses_its_own_database():
    assert redis_url_with_database("redis://127.0.0.1:6379/0", 1) == "redis://127.0.0.1:6379/1"
    assert redis_url_with_database("redis://:pw@redis:6379", 1) == "redis://:pw@redis:6379/1"


def test_check_deploy_is_clean_with_production_variables():
    env = clean_environment(
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="sqlite:///x.db",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_demo_secretariat_only_in_debug_mode():
    refused = subprocess.run(
        [sys.executable, "manage.py", "create_demo_secretariat"],
        cwd=ROOT,
        env=clean_environment(
            DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="a.org", DATABASE_URL="sqlite:///x.db"
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "The demo secretariat account exists only in DEBUG mode." in refused.stderr


def test_an_empty_secret_key_in_debug_mode_uses_the_development_key():
    result = start_django(DEBUG="true", SECRET_KEY="")
    assert result.returncode == 0, result.stderr
