"""Settings for the UNTFSSE Portal.

Every value that differs between machines comes from the environment, read here
and nowhere else (see the README's configuration table and `.env.example`).
With nothing set, the portal refuses to start unless `DEBUG` is on; with
`DEBUG=true` it runs on a SQLite file with tasks executed in process and e-mail
printed to the console (the zero-setup mode of `make run`).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from untfsse.deployment import (
    production_settings_problems,
    redis_cache,
    redis_url_with_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key only exists in DEBUG mode; production must bring its own.
# An empty value counts as unset (a copied .env with "SECRET_KEY=" must not break DEBUG mode).
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "django-insecure-development-only-key-never-used-in-production" if DEBUG else ""
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASE_URL = env.str("DATABASE_URL", default=DEFAULT_SQLITE_URL if DEBUG else "")
REDIS_URL = env.str("REDIS_URL", default="")

if not DEBUG:
    problems = production_settings_problems(
        secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS, database_url=DATABASE_URL
    )
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start with DEBUG off: " + "; ".join(problems) + ". See the README."
        )

SITE_NAME = env.str("SITE_NAME", default="UNTFSSE Portal")
# The public address of the portal, for links in e-mails written outside a request.
PORTAL_URL = env.str(
    "PORTAL_URL",
    default="http://127.0.0.1:8000"
    if DEBUG or not ALLOWED_HOSTS
    else f"https://{ALLOWED_HOSTS[0]}",
)

INSTALLED_APPS = [
    # django.contrib.admin, with the secretariat's desk as its site (untfsse/portal/admin_site.py).
    "untfsse.portal.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "allauth",
    "allauth.account",
    "django_filters",
    # For its translations: country names in French and Spanish.
    "django_countries",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # Redoc and Swagger UI's files, served from our own static files (the Content Security
    # Policy allows no other host).
    "drf_spectacular_sidecar",
    # The portal, lowest layer first (see STYLE.md, "Which way the arrows point"): the kit,
    # the apps, then the shell.
    "untfsse.core",
    "members",
    "meetings",
    "knowledgehub",
    "actionplan",
    "untfsse.portal",
]

MIDDLEWARE = [
    # Answers /healthz before host validation and HTTPS redirects: load balancers and container
    # health checks call it by IP address over plain HTTP.
    "untfsse.core.middleware.HealthCheckMiddleware",
    # The read API (/api/) may be read from any site's scripts: GET, HEAD and OPTIONS only.
    "untfsse.portal.api.middleware.ReadOnlyCorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin has no language in its addresses: it follows the user's choice (cookie, profile).
    "untfsse.core.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "untfsse.urls"
WSGI_APPLICATION = "untfsse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "untfsse.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "untfsse.core.forms.PortalFormRenderer"

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the server is gone, so /healthz answers 503 instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth: accounts identified by a verified e-mail address -------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str(
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https"
)
ACCOUNT_ADAPTER = "members.adapters.PortalAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
# allauth's rate limits are on by default; they count in the cache configured below.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Meetings ------------------------------------------------------------------------------
# Meeting documents (members-only files included) live here, outside MEDIA_ROOT and any URL:
# they are served only by the permission-checked download view.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))

# --- Cache: Redis when configured, process memory otherwise ----------------------------
# The cache lives in its own Redis database so that clearing it never touches the broker's queues.
REDIS_CACHE_URL = env.str(
    "REDIS_CACHE_URL", default=redis_url_with_database(REDIS_URL, 1) if REDIS_URL else ""
)
# Anonymous pages are kept whole in the cache (untfsse/core/cache.py) only when every process
# shares it: with a per-process memory cache, one web worker would go on serving a page that
# another worker's change made stale.
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=bool(REDIS_CACHE_URL) or DEBUG)
# django-redis: a Redis that cannot be reached is a cache miss (IGNORE_EXCEPTIONS), each such
# error logged (logger "django_redis.cache") so that an outage shows in the logs.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_CACHE_URL:
    CACHES = {"default": redis_cache(REDIS_CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache on every signed-in request and written through to the
# database (signing out or a password change still ends them: the entry is deleted from both, and
# the password hash in the session is checked on every request whatever the engine; the cache's
# copy lives 5 minutes at most, untfsse/core/sessions.py). Only with a cache every process
# shares: a per-process cache would let a worker keep a session another ended.
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="untfsse.core.sessions" if REDIS_CACHE_URL else "django.contrib.sessions.backends.db",
)

# --- E-mail: the console unless EMAIL_URL says otherwise -------------------------------
# django-environ's documented way: the URL fills EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, ...
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="UNTFSSE Portal <no-reply@unsse.org>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
SECRETARIAT_EMAIL = env.str("SECRETARIAT_EMAIL", default="secretariat@unsse.org")
ADMINS = [("Secretariat", a) for a in env.list("ADMINS_EMAILS", default=[])]

# --- Celery: tasks run in process until a broker is configured -------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# A task is acknowledged only once it has finished, and put back if its worker dies,
# so a crash never loses work; tasks are written to be run twice without harm.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Longer than any task may run, so Redis never hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}
# Meetings: find due reminders and queue their delivery (README, "Meeting reminders").
CELERY_BEAT_SCHEDULE["meetings-queue-due-reminders"] = {
    "task": "meetings.queue_due_reminders",
    "schedule": 300.0,
}
# Sweeps: queue again the work whose task was lost (the broker was away, a worker died).
# The outbox's: every pending e-mail of every kind whose attempt is due, including the retries
# after an SMTP failure (README, "Background work").
CELERY_BEAT_SCHEDULE["outbox-sweep-deliveries"] = {
    "task": "outbox.sweep_deliveries",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["knowledgehub-sweep-pending-extraction"] = {
    "task": "knowledgehub.sweep_pending_text_extraction",
    "schedule": 600.0,
}
# The secretariat's weekly digest: tried hourly, sent by the first run of each week (README).
CELERY_BEAT_SCHEDULE["untfsse-weekly-digest"] = {
    "task": "untfsse.send_weekly_digest",
    "schedule": 3600.0,
}

# Meetings: the reminders a new meeting gets, in hours before its start (README, "Meeting
# reminders"); each meeting's own list is edited on its admin page.
MEETING_REMINDER_HOURS = env.list("MEETING_REMINDER_HOURS", cast=int, default=[168, 24])

# Invitation answers per account and hour: plenty for a person changing their mind, not for a script.
RSVP_RATE_LIMIT_PER_HOUR = env.int("RSVP_RATE_LIMIT_PER_HOUR", default=30)
# Downloads of one's own data (a zip of every record and file) per account and hour.
PERSONAL_DATA_EXPORTS_PER_HOUR = env.int("PERSONAL_DATA_EXPORTS_PER_HOUR", default=5)

# --- Knowledge Hub ----------------------------------------------------------------------
# PDFs of resources live outside MEDIA_ROOT: only the download view (which counts) serves them.
KNOWLEDGE_HUB_FILES_ROOT = Path(
    env.str("KNOWLEDGE_HUB_FILES_ROOT", default=str(PRIVATE_MEDIA_ROOT / "knowledge-hub"))
)
# The "repository identifier" of OAI-PMH identifiers (oai:<this>:resource/<id>); the portal's
# host name by default.
OAI_REPOSITORY_IDENTIFIER = env.str("OAI_REPOSITORY_IDENTIFIER", default="")
# Records per OAI-PMH list response; the rest follows through resumption tokens.
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
# Submissions: how many one account may start in 24 hours (counted in the database).
KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY = env.int("KNOWLEDGE_HUB_SUBMISSIONS_PER_DAY", default=10)

# --- Backups (README, "Backups and restore") ---------------------------------------------
# Where `manage.py backup` writes (and `restore` looks for a backup given by name). Keep it on
# another disk than the database and copy it off the machine.
BACKUP_ROOT = Path(env.str("BACKUP_ROOT", default=str(BASE_DIR / "backups")))
# Retention, counted back from the newest backup: one backup a day for BACKUP_KEEP_DAILY days,
# then one a week for BACKUP_KEEP_WEEKLY weeks (a week of dailies, weeklies to a month back).
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=4)
# When the scheduled backup runs each day (UTC, HH:MM), and how old the newest backup may be
# before `manage.py backup --check` (the backup service's health check) reports a problem.
BACKUP_TIME = env.str("BACKUP_TIME", default="02:30")
BACKUP_MAX_AGE_HOURS = env.int("BACKUP_MAX_AGE_HOURS", default=26)

# --- The read API (/api/v1/, README "API") ----------------------------------------------
# Requests per minute one client (by address) may make; 429 with a JSON message beyond.
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=120)
REST_FRAMEWORK = {
    # Read-only and public: the API never looks at who is signed in, so a session sees exactly
    # what an anonymous client sees (members-only access can come later with personal tokens).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["untfsse.portal.api.throttling.ApiClientThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "untfsse.portal.api.errors.api_exception_handler",
    # No ?format=: JSON is the only representation.
    "URL_FORMAT_OVERRIDE": None,
    # The client's address for the rate limit: behind the TLS proxy, the one address it adds to
    # X-Forwarded-For; otherwise the connection's (a client could write any X-Forwarded-For).
    "NUM_PROXIES": 1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UNTFSSE Portal API",
    "DESCRIPTION": (
        "The public records of the UN Inter-Agency Task Force on Social and Solidarity Economy "
        "as JSON: organisations, people with public profiles, governance offices, meetings, "
        "action plans and their progress, Knowledge Hub resources and calls for papers. "
        "Read-only, no authentication; exactly what the public pages show."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set shared by several fields (import paths, read when the schema is made).
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "members.models.OrganisationKind",
        "DatePrecisionEnum": "members.models.DatePrecision",
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "ActionItemStatusEnum": "actionplan.models.ActionItemStatus",
        "ResourceKindEnum": "knowledgehub.models.ResourceKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "untfsse.portal.api.schema.add_common_responses",
    ],
}

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth's rate limits then count the visitor's address from X-Forwarded-For, not the
    # proxy's (which would lock everyone out after ten failed sign-ins).
    ALLAUTH_TRUSTED_PROXY_COUNT = 1

# Every response carries a policy without 'unsafe-inline': no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
