"""The portal under gunicorn with its production settings, for the benchmarks in bench/.

Shared by bench/run.py (the load benchmark) and bench/soak.py. The API, in use:

    from bench.server import Server, production_env, setup_django, focal_point_cookie

    env = production_env(settings_module="bench.settings")   # DATABASE_URL, REDIS_URL from os.environ
    setup_django(env)             # this process: same database and SECRET_KEY as the server
    cookie = focal_point_cookie() # "sessionid=..." for a Cookie: header
    with Server(port=8701, env=env) as server:   # collectstatic, gunicorn, waits for /healthz
        ... drive server.url("/members/") with server.headers and the cookie ...
        print(server.worker_rss_mb())             # {pid: resident MB} of each worker
        print(server.worker_peak_rss_mb())        # {pid: peak resident MB} since it started
    # leaving the block stops gunicorn (SIGTERM, then SIGKILL after a grace period)

Choices, so the numbers mean what a deployment would see:

- DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, PostgreSQL with persistent
  connections (settings' CONN_MAX_AGE default, 60 s) and Redis as the cache (REDIS_CACHE_URL,
  so PUBLIC_PAGE_CACHE is on, as in production).
- HTTPS: production runs behind a TLS proxy. The server gets BEHIND_TLS_PROXY=true and every
  request must carry `X-Forwarded-Proto: https` (`Server.headers`), so SECURE_SSL_REDIRECT,
  HSTS and secure cookies stay as in production instead of being switched off; a request
  without the header gets the 301 to https that production would give.
- Workers: gunicorn's own rule, 2 x cores + 1 sync workers (5 on 2 cores). Page time is part
  CPU (templates) and part waiting on PostgreSQL and Redis, so more workers than cores keeps
  the cores busy; the sync worker is what the Dockerfile runs (only the count differs there).
- The access log is written, as in production, but to /dev/null (hundreds of thousands of
  lines per run otherwise).
"""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"

# Sent with every request: the portal believes it is behind the TLS proxy it runs behind.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

FOCAL_POINT_EMAIL = "bench-focal-point@example.org"


def default_workers() -> int:
    """gunicorn's recommended starting point: 2 x the cores this process may use, plus 1."""
    return 2 * len(os.sched_getaffinity(0)) + 1


def production_env(
    *,
    database_url: str | None = None,
    redis_url: str | None = None,
    redis_cache_url: str | None = None,
    settings_module: str = "untfsse.settings",
    **extra: str,
) -> dict[str, str]:
    """The environment of a production deployment on loopback.

    Database and Redis default to DATABASE_URL, REDIS_URL and REDIS_CACHE_URL of this process
    (REDIS_CACHE_URL otherwise follows the settings' rule: REDIS_URL's server, database 1 — give
    a benchmark its own Redis databases). Raises SystemExit when DATABASE_URL is not PostgreSQL
    or REDIS_URL is missing: a benchmark on SQLite or a per-process cache measures something else.
    `extra` adds or overrides variables (e.g. CONN_MAX_AGE="0").
    """
    database_url = database_url or os.environ.get("DATABASE_URL", "")
    redis_url = redis_url or os.environ.get("REDIS_URL", "")
    redis_cache_url = redis_cache_url or os.environ.get("REDIS_CACHE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    if not redis_url:
        raise SystemExit("REDIS_URL must name a Redis database (the cache, as in production)")
    env = {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "false",
        # Shared through the environment with this process (setup_django), so the session
        # cookies made here are valid in the server.
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BEHIND_TLS_PROXY": "true",
        # Mail is never sent by the pages measured; the console keeps stray mail off the network.
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
        # wrk is one client asking thousands of times a second: the API's rate limit still
        # counts every request, but must not refuse them.
        "API_RATE_LIMIT_PER_MINUTE": "1000000000",
    }
    if redis_cache_url:
        env["REDIS_CACHE_URL"] = redis_cache_url
    env.update(extra)
    return env


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process with `env` (the server's), then django.setup()."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ.update(env)
    import django

    django.setup()


def collect_static(env: dict[str, str]) -> None:
    """collectstatic with the production storage: whitenoise needs its manifest to serve pages."""
    subprocess.run(  # noqa: S603 (a fixed command line)
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        check=True,
    )


class Server:
    """gunicorn serving untfsse.wsgi on 127.0.0.1:`port` with `env` (see production_env).

    `start()` collects static files, starts gunicorn and returns once /healthz answers 200
    (raises RuntimeError with the end of gunicorn's log otherwise); `stop()` stops it cleanly.
    Also a context manager.
    """

    headers = PROXY_HEADERS

    def __init__(self, port: int, env: dict[str, str], workers: int | None = None):
        self.port = port
        self.env = env
        self.workers = workers or default_workers()
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, timeout: float = 60) -> "Server":
        collect_static(self.env)
        descriptor, log_name = tempfile.mkstemp(prefix=f"gunicorn-{self.port}-", suffix=".log")
        self.log_path = Path(log_name)
        with os.fdopen(descriptor, "wb") as log:
            self.process = self._spawn(log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            if self._healthy():
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout} s:\n{self.log()}")

    def _spawn(self, log) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                str(GUNICORN),
                "untfsse.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--access-logfile",
                "/dev/null",
                # gunicorn 27's control socket has one default path: two servers would clash.
                "--no-control-socket",
            ],
            cwd=BASE_DIR,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def _healthy(self) -> bool:
        try:
            # An http:// address built here, never a caller's scheme.
            with urllib.request.urlopen(self.url("/healthz"), timeout=2) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, grace: float = 30) -> None:
        """SIGTERM (gunicorn finishes requests in flight), SIGKILL after `grace` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def log(self, last_lines: int = 40) -> str:
        """The end of gunicorn's own log (errors, worker restarts)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-last_lines:])

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The fields after the command name (which may hold spaces) start with state, ppid.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_rss_mb(self) -> dict[int, float]:
        """Resident memory (VmRSS) of each worker now, in MB, by process id."""
        return self._worker_status_mb("VmRSS")

    def worker_peak_rss_mb(self) -> dict[int, float]:
        """The most resident memory (VmHWM) each worker has had since it started, in MB."""
        return self._worker_status_mb("VmHWM")

    def _worker_status_mb(self, field_name: str) -> dict[int, float]:
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith(f"{field_name}:"):
                    sizes[pid] = round(int(line.split()[1]) / 1024, 1)
        return sizes


def focal_point_cookie(*, email: str = FOCAL_POINT_EMAIL, organisation=None) -> str:
    """A `Cookie:` header value signing in a verified focal point of a current member.

    Needs setup_django() with the server's env first. Idempotent: the user, its verified
    address and its Person (affiliated to `organisation`, by default the current member with
    the first slug, preferring bulk data's BULK* organisations) are created once and reused;
    each call makes a new session in the session engine, as a sign-in would.
    """
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    from members.models import Organisation, Person, User

    if organisation is None:
        members = Organisation.objects.current().members().order_by("slug")
        organisation = members.filter(acronym__startswith="BULK").first() or members.first()
        if organisation is None:
            raise SystemExit("No current member organisation: load the seed or bulk data first")
    user, created = User.objects.get_or_create(email=email, defaults={"name": "Bench Focal Point"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Person.objects.update_or_create(
        user=user,
        defaults={"name": "Bench Focal Point", "email": email, "organisation": organisation},
    )
    store: SessionBase = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
