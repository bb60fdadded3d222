"""Taskboard settings, read from the environment (django-environ).

Every variable is documented in README.md ("Configuration"). Defaults give a
working quick start with no servers: SQLite under ``var/`` and a filesystem
Celery broker. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and
ALLOWED_HOSTS, and leaves DEBUG off.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("TASKBOARD_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG on, Django's technical 404 and 500 pages (URL patterns, settings, tracebacks) for a developer; off by
# default, so the quick start shows the product's own Chinese pages, as production does (pages.errors).
TECHNICAL_ERROR_PAGES = env.bool("TECHNICAL_ERROR_PAGES", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and env.str("TASKBOARD_KEYLESS_COMMAND", default=""):
    # manage.py makemigrations and the like (manage.py KEYLESS_COMMANDS): nothing is signed; a throwaway key.
    import secrets

    SECRET_KEY = secrets.token_urlsafe(50)
elif not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) needs a real secret key: "
            "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-quick-start-only-never-in-production"  # noqa: S105  (DEBUG only; refused otherwise)
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 50 or more random characters.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "notifications",
    "django_celery_beat",
    "axes",  # before audit: its login-failure receiver runs first (audit.apps)
    "auditlog",
    "departments",
    "workdays",
    "workflows",
    "notices",
    "assessments",
    "indicators",
    "board",
    "pages",
    "audit",
    "simulation",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "departments.uploads.RequestSizeMiddleware",  # 413 for a declared body over REQUEST_MAX_BYTES, before it is read
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in person unless its view says otherwise (@login_not_required: the login page,
    # the JSON API, which takes a token).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Chinese 404/405/500 pages also with DEBUG on (the quick start), unless TECHNICAL_ERROR_PAGES (pages.errors).
    "pages.errors.ErrorPagesMiddleware",
    "departments.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "workflows.middleware.FlowLockFailedMiddleware",
    # The audit trail: the person and address of every change (auditlog), every denied access (README, "Security").
    "audit.middleware.AuditMiddleware",
    # Last, as django-axes asks: a locked-out login becomes the login page saying when to try again (audit.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taskboard.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "departments.context_processors.abilities",
            ],
        },
    },
]

WSGI_APPLICATION = "taskboard.wsgi.application"

# Database: PostgreSQL in production and CI, a SQLite file for the quick start.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'taskboard.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file in the quick start: wait up to 20 s for the file's
    # lock, and take it when a transaction begins (IMMEDIATE), so that a transaction that read first cannot fail
    # at once with "database is locked" when it comes to write; the write-ahead log lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked (django-axes; README, "Security").
    "axes.backends.AxesStandaloneBackend",
    "departments.backends.TaskboardModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no AnonymousUser row, anonymous users hold nothing.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 10 characters at least, and never digits only (a birthday, a phone or an ID card number is no password).
    {"NAME": "departments.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first, China Standard Time. No LocaleMiddleware: the interface is Chinese whatever
# language a browser asks for (an English browser in a county office must not get a half-English page).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Cache: Redis when there is one (shared by every web process), memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Email: console in the quick start; smtp+tls://user:pass@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="taskboard@localhost")

# Celery. Redis in production and CI; the quick start uses a filesystem broker,
# which needs no server but works only on one machine.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_folders = {name: VAR_DIR / "celery" / name for name in ("broker", "processed", "results", "control")}
    for _folder in _celery_folders.values():
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_folders["broker"]),
        "data_folder_out": str(_celery_folders["broker"]),
        "processed_folder": str(_celery_folders["processed"]),
        "store_processed": False,
        # kombu keeps its exchange tables in ./control of the working directory unless told otherwise
        "control_folder": str(_celery_folders["control"]),
    }
else:
    # Longer than any countdown we schedule, so Redis never re-delivers a task
    # that is merely waiting (see README, "Running in production").
    # socket_connect_timeout: with Redis down, a page that enqueues work waits 2 s at most, then the
    # outbox keeps the work for beat's next run (README, "Reminders and escalation").
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600, "socket_connect_timeout": 2}
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent and acknowledged when done. A pool child that dies mid-task has its message requeued at
# once (REJECT_ON_WORKER_LOST); a whole worker killed mid-task leaves it unacked, and Redis gives it back only
# after the visibility timeout (6 h): until then beat's next dispatch (every minute) and sweep (every half hour)
# redo the work, as bench/chaos.py showed with 50-odd kills and no notice lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# Queues by kind of work, so a long report or export never delays a notice: production runs one worker group per
# queue group (README, "Running in production"; Procfile). A worker started without -Q consumes every queue of
# CELERY_TASK_QUEUES: the quick start's single worker (`make demo`, filesystem broker) and the tests' workers.
DISPATCH_QUEUE = "dispatch"  # delivering notices: the outbox's dispatch, the timeline's notices, the daily digest
SWEEP_QUEUE = "sweep"  # the deadline sweep (beat-driven escalation) and beat's housekeeping (purges, expiries)
REPORTS_QUEUE = "reports"  # long work: self-evaluation reports, large board exports, indicator recomputation
DEFAULT_QUEUE = "celery"  # a task without a route (none today; the health check's ping is sent to each queue)
TASKBOARD_QUEUES = (DISPATCH_QUEUE, SWEEP_QUEUE, REPORTS_QUEUE, DEFAULT_QUEUE)
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
# Each queue bound under its own routing key: with one shared key a message would be copied into every queue.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in TASKBOARD_QUEUES]
# Exact names first; the app-wide patterns catch a task added later to that app.
CELERY_TASK_ROUTES = {
    "notices.sweep": {"queue": SWEEP_QUEUE},
    "notices.*": {"queue": DISPATCH_QUEUE},  # notices.dispatch, notices.notify_events, notices.daily_digest
    "indicators.purge_pending_uploads": {"queue": SWEEP_QUEUE},
    "indicators.expire_stuck_reports": {"queue": SWEEP_QUEUE},
    "indicators.*": {"queue": REPORTS_QUEUE},  # the self-evaluation report, the stale years' recomputation
    "board.expire_stuck_exports": {"queue": SWEEP_QUEUE},
    "board.*": {"queue": REPORTS_QUEUE},  # board.build_export
    "audit.*": {"queue": SWEEP_QUEUE},
}

# viewflow: its middleware is listed in MIDDLEWARE above, in an explicit order.
VIEWFLOW = {"AUTOREGISTER": False}

DJANGO_NOTIFICATIONS_CONFIG = {"USE_JSONFIELD": True, "SOFT_DELETE": False}

# Bulk imports and uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# What an imported XLSX may unpack to, judged from its zip directory before it is opened (departments.imports).
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)

# Security: secure by default when DEBUG is off. Behind a TLS-terminating
# proxy, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (README).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our own files (no inline script: the templates use
# data attributes read by static/site.js), no plugins, no framing, forms posted to this site only. Inline style
# attributes are allowed (the templates set widths and colours in them; a style cannot run code).
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Lockout after repeated failed logins (django-axes, audit/lockout.py) and the audit trail (django-auditlog, audit/):
# README, "Security". A person (the username typed, from any address) is locked after LOCKOUT_USER_FAILURES failed
# logins, an address (over any usernames) after LOCKOUT_ADDRESS_FAILURES; failures count while none is older than the
# cool-off, and a lock ends LOCKOUT_COOLOFF_MINUTES after the failure that reached the limit.
LOCKOUT_USER_FAILURES = env.int("LOCKOUT_USER_FAILURES", default=5)
LOCKOUT_ADDRESS_FAILURES = env.int("LOCKOUT_ADDRESS_FAILURES", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOCKOUT_COOLOFF_MINUTES", default=15))
AXES_HANDLER = "audit.lockout.LockoutHandler"  # a limit per person and another per address
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 1  # LockoutHandler.get_failures() counts the used-up limits: one locks
AXES_RESET_ON_SUCCESS = False  # a login to one's own account must not clear the failures counted against an address
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # attempts while locked do not extend the lock
AXES_LOCKOUT_CALLABLE = "audit.lockout.lockout_response"  # the login page, in Chinese, saying when to try again
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "audit.network.client_address"
AXES_USERNAME_CALLABLE = "audit.lockout.typed_username"  # cut and cleaned: a hostile username is counted, not an error
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit trail (audit.AccessEvent)
AXES_ENABLE_ADMIN = False  # locks are lifted on Taskboard's page (audit:lockouts) or with manage.py axes_reset_*
# The client's address (lockout and audit trail): REMOTE_ADDR, or behind N proxies that append to X-Forwarded-For
# (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for), the N-th entry from the right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
if AUDIT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be 1 or more (days the audit trail is kept).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Duty items: traffic light "yellow" this many days before the deadline; evidence upload limit.
TASKBOARD_WARNING_DAYS = env.int("TASKBOARD_WARNING_DAYS", default=7)
# The board's export: up to this many rows the request writes the XLSX at once (about 0.3 s for 2,000 rows on a
# small server); above, a worker writes it (queue "reports") behind a progress page, and only the person who
# asked may download it. Finished exports are deleted after TASKBOARD_EXPORT_KEEP_DAYS.
TASKBOARD_EXPORT_SYNC_ROWS = env.int("TASKBOARD_EXPORT_SYNC_ROWS", default=2000)
TASKBOARD_EXPORT_KEEP_DAYS = env.int("TASKBOARD_EXPORT_KEEP_DAYS", default=7)
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
# No request may declare a larger body than the largest page takes (ten evidence files and the text): 413.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=10 * EVIDENCE_MAX_BYTES + 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The assessment's JSON API: requests per token per minute (429 past it).
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)

# Notices: channels that really deliver, the address used in email links, retry policy.
NOTICE_CHANNELS = env.list("NOTICE_CHANNELS", default=["in_app", "email"])
# The address people open Taskboard at, for links in emails: required in production (DEBUG off), where a default
# would send every recipient to localhost.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not SITE_URL.startswith(("http://", "https://")) and not env.str("TASKBOARD_KEYLESS_COMMAND", default=""):
    raise ImproperlyConfigured(
        "SITE_URL is not set: production (DEBUG off) needs the address people open Taskboard at, "
        "e.g. SITE_URL=https://taskboard.example.gov.cn (it is used in the links of email notices)."
    )
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=5)
# A claim older than this was left by a dead worker: claim again. Longer than a batch of 1,000
# emails takes on a slow SMTP server, so a live dispatcher's emails are never taken from it.
NOTICE_STALE_CLAIM_SECONDS = 3600
CELERY_BEAT_SCHEDULE = {
    # One beat for the whole installation; every task is safe to run twice or concurrently.
    "sweep-deadlines": {"task": "notices.sweep", "schedule": 30 * 60},
    "dispatch-notices": {"task": "notices.dispatch", "schedule": 60},
    # The timeline's notices are enqueued after each step commits; this is the safety net (a broker that was down,
    # lines written in bulk).
    "notify-events": {"task": "notices.notify_events", "schedule": 60},
    # The daily digest of the notices people chose to receive once a day, at 08:00 Asia/Shanghai (CELERY_TIMEZONE).
    "daily-notice-digest": {"task": "notices.daily_digest", "schedule": crontab(hour=8, minute=0)},
    # The indicators: stale years are enqueued when their change commits; beat catches what a down broker missed.
    "refresh-stale-indicator-years": {"task": "indicators.refresh_stale_years", "schedule": 5 * 60},
    "purge-pending-figure-uploads": {"task": "indicators.purge_pending_uploads", "schedule": 60 * 60},
    "expire-stuck-self-evaluation-reports": {"task": "indicators.expire_stuck_reports", "schedule": 10 * 60},
    "expire-and-purge-board-exports": {"task": "board.expire_stuck_exports", "schedule": 10 * 60},
    "purge-audit-trail": {"task": "audit.purge_trail", "schedule": 24 * 3600},  # older than AUDIT_RETENTION_DAYS
}
