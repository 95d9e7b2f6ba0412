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
