"""Checks and helpers for reading deployment settings; imported by settings.py."""

from urllib.parse import urlsplit, urlunsplit

MIN_SECRET_KEY_LENGTH = 50


def production_settings_problems(
    *, secret_key: str, allowed_hosts: list[str], database_url: str
) -> list[str]:
    """Return what is missing for a safe start with DEBUG off (empty when all is well)."""
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY is not set")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or secret_key.startswith("django-insecure"):
        problems.append(
            f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
        )
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS is not set")
    elif "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must name the site's hosts, not '*'")
    if not database_url:
        problems.append("DATABASE_URL is not set")
    return problems


def redis_url_with_database(url: str, database: int) -> str:
    """The same Redis server as `url`, but the numbered logical database `database`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def redis_cache(location: str, *, timeout_seconds: float = 2) -> dict:
    """The settings of a cache in the Redis at `location`: django-redis, with a Redis that
    cannot be reached (or answers too slowly) answering like a miss instead of an error
    (`IGNORE_EXCEPTIONS`; settings.py has each ignored error logged)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "untfsse",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": timeout_seconds,
            "SOCKET_TIMEOUT": timeout_seconds,
        },
    }
