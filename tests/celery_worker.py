"""Starting and killing a real `celery worker` process, for the end-to-end test and the benchmark.

The worker runs the production settings (untfsse.settings, DEBUG off) against the database and
the Redis broker the caller names, and sends e-mail to the given SMTP port. It is started in its
own session, so that killing its process group kills the pool's children too.
"""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url(database: dict) -> str:
    """A DATABASE_URL for a PostgreSQL entry of settings.DATABASES (e.g. the test database)."""
    user = quote(database.get("USER") or "", safe="")
    password = database.get("PASSWORD") or ""
    credentials = (
        f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    )
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(database['NAME'], safe='')}"


def worker_environment(*, smtp_port: int, database: dict | None = None) -> dict[str, str]:
    """The environment of a worker that shares this process's database, broker and cache."""
    database = database or settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "untfsse.settings",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url(database),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "30",
        "PORTAL_URL": settings.PORTAL_URL,
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    if settings.REDIS_CACHE_URL:
        environment["REDIS_CACHE_URL"] = settings.REDIS_CACHE_URL
    return environment


def start_worker(
    *, environment: dict[str, str], log_path: Path, name: str, concurrency: int = 2
) -> subprocess.Popen:
    """`celery -A untfsse worker` with a prefork pool; without mingle, gossip and heartbeats,
    which only slow the start and add broker traffic on a busy machine."""
    command = [
        sys.executable, "-m", "celery", "-A", "untfsse", "worker",
        "--pool", "prefork", "--concurrency", str(concurrency),
        "--without-mingle", "--without-gossip", "--without-heartbeat",
        "--hostname", f"{name}@%h", "--loglevel", "WARNING",
    ]  # fmt: skip
    log = log_path.open("ab")
    try:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()  # the child holds its own copy


def kill_worker(process: subprocess.Popen, *, sig: int = signal.SIGKILL) -> None:
    """Send `sig` to the worker's whole process group (the main process and its pool) and
    wait for the main process to end."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
