"""yifa settings: one module, driven by environment variables.

Defaults are safe for the embedded demo (SQLite in var/). With YIFA_ENV=production the
process refuses to start unless a secret key, allowed hosts and a database URL are set.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("YIFA_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("YIFA_VAR_DIR", PROJECT_DIR / "var"))

YIFA_ENV = os.environ.get("YIFA_ENV", "development").strip().lower()
PRODUCTION = YIFA_ENV == "production"


def _env_list(name: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


if PRODUCTION:
    missing = [
        name
        for name in ("YIFA_SECRET_KEY", "YIFA_ALLOWED_HOSTS", "DATABASE_URL")
        if not os.environ.get(name)
    ]
    # The audit chain's HMAC key: in the environment or in a key file that exists (never
    # generated in production, and never in the database).
    if not os.environ.get("YIFA_AUDIT_KEY") and not (
        os.environ.get("YIFA_AUDIT_KEY_FILE") and Path(os.environ["YIFA_AUDIT_KEY_FILE"]).is_file()
    ):
        missing.append("YIFA_AUDIT_KEY (or YIFA_AUDIT_KEY_FILE naming an existing key file)")
    if missing:
        raise ImproperlyConfigured(
            "YIFA_ENV=production refuses to start without: " + ", ".join(missing)
        )
    if os.environ.get("YIFA_AUDIT_KEY") and len(os.environ["YIFA_AUDIT_KEY"]) < 32:
        raise ImproperlyConfigured("YIFA_AUDIT_KEY must be at least 32 characters")
    SECRET_KEY = os.environ["YIFA_SECRET_KEY"]
    # Django's own deploy-check rule (check --deploy only warns; production refuses to start).
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "YIFA_SECRET_KEY is too short or too simple for production: use at least 50 random characters "
            "with at least 5 different ones, e.g. the output of "
            "`python -c \"import secrets; print(secrets.token_urlsafe(50))\"`."
        )
    DEBUG = False
    ALLOWED_HOSTS = _env_list("YIFA_ALLOWED_HOSTS")
else:
    SECRET_KEY = os.environ.get("YIFA_SECRET_KEY", "yifa-embedded-demo-key-not-for-production")
    DEBUG = os.environ.get("YIFA_DEBUG", "0") == "1"
    ALLOWED_HOSTS = _env_list("YIFA_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]

CSRF_TRUSTED_ORIGINS = _env_list("YIFA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "yifa.core",
    "yifa.orgs",
    "yifa.audit",
    "yifa.deadlines",
    "yifa.documents",
    "yifa.review",
    "yifa.enforcement",
    "yifa.supervision",
    "yifa.supervision.evaluation",
    "yifa.supervision.complaints",
    "yifa.supervision.foia",
    "yifa.supervision.meetings",
    "yifa.accountability",
    "yifa.training",
    "yifa.assessment",
    "yifa.portal",
    "yifa.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yifa.core.middleware.CleanInput",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "yifa.core.middleware.BoundedQueryIntegers",
]

ROOT_URLCONF = "yifa.urls"
WSGI_APPLICATION = "yifa.wsgi.application"

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
                "yifa.core.context_processors.shell",
            ],
            "builtins": ["yifa.deadlines.templatetags.deadline_tags", "yifa.core.templatetags.labels",
                         "yifa.audit.templatetags.audit_words"],
        },
    },
]

# --- database: SQLite (WAL) under var/ unless DATABASE_URL is set -----------------
# On PostgreSQL every process keeps a psycopg connection pool (Django's built-in pool,
# psycopg_pool) instead of persistent connections: YIFA_DB_POOL=0 turns it off (e.g. behind
# PgBouncer), YIFA_DB_POOL_MIN/MAX size it per process (a gunicorn gthread worker needs at
# most one connection per thread and alias), YIFA_DB_POOL_TIMEOUT is how long a request waits
# for a free connection (seconds). Django refuses a pool with CONN_MAX_AGE != 0, so it is 0.
YIFA_DB_POOL = os.environ.get("YIFA_DB_POOL", "1").strip() not in ("0", "false", "off", "no")
YIFA_DB_POOL_MIN = _env_int("YIFA_DB_POOL_MIN", 1)
YIFA_DB_POOL_MAX = _env_int("YIFA_DB_POOL_MAX", 8)
YIFA_DB_POOL_TIMEOUT = _env_int("YIFA_DB_POOL_TIMEOUT", 10)
if YIFA_DB_POOL and not 0 <= YIFA_DB_POOL_MIN <= YIFA_DB_POOL_MAX >= 1:
    raise ImproperlyConfigured("YIFA_DB_POOL_MIN/MAX: need 0 <= MIN <= MAX and MAX >= 1, "
                               f"got {YIFA_DB_POOL_MIN}/{YIFA_DB_POOL_MAX}")


def _server_database(url: str) -> dict:
    db = dj_database_url.parse(url, conn_max_age=60)
    # Django's own backends plus pre-commit hooks (yifa.core.db)
    db["ENGINE"] = {
        "django.db.backends.postgresql": "yifa.core.db.postgresql",
        "django.db.backends.sqlite3": "yifa.core.db.sqlite3",
    }.get(db["ENGINE"], db["ENGINE"])
    if db["ENGINE"] == "yifa.core.db.postgresql" and YIFA_DB_POOL:
        db["CONN_MAX_AGE"] = 0
        db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": YIFA_DB_POOL_MIN, "max_size": YIFA_DB_POOL_MAX, "timeout": YIFA_DB_POOL_TIMEOUT,
        }
    return db


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": _server_database(os.environ["DATABASE_URL"])}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "yifa.core.db.sqlite3",
            "NAME": os.environ.get("YIFA_SQLITE_PATH", str(VAR_DIR / "yifa.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
# Read replica (yifa.core.db.replica): DATABASE_REPLICA_URL adds the alias `replica`; report
# reads (views marked @replica_reads: dashboards, statistics, exports, portal) go to it, except
# for a browser that wrote within YIFA_REPLICA_PIN_SECONDS (read-your-writes). Writes and
# migrations always go to `default`. Without it nothing is routed.
YIFA_REPLICA_PIN_SECONDS = _env_int("YIFA_REPLICA_PIN_SECONDS", 10)
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _server_database(os.environ["DATABASE_REPLICA_URL"])
    if not {DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"]} == {"yifa.core.db.postgresql"}:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for both DATABASE_URL and the replica")
    # a second guard beside the standby's own: this alias's sessions are read-only
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c default_transaction_read_only=on"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the test database through it
    DATABASE_ROUTERS = ["yifa.core.db.replica.ReplicaRouter"]
    MIDDLEWARE.insert(0, "yifa.core.db.replica.ReplicaPinMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache: shared by every worker process (rate limits, login counters, portal figures) ---
# The embedded default is the database cache (table yifa_cache, created by a migration), so
# counters survive restarts and are the same in every process; YIFA_CACHE_URL=redis://…
# moves it to Redis (needs the `redis` package). Never per-process memory.
YIFA_CACHE_URL = os.environ.get("YIFA_CACHE_URL", "").strip()
CACHE_TABLE = "yifa_cache"
if YIFA_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": YIFA_CACHE_URL,
                          "KEY_PREFIX": "yifa"}}
elif YIFA_CACHE_URL in ("", "db", "database"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE,
                          "OPTIONS": {"MAX_ENTRIES": 100000}}}
else:
    raise ImproperlyConfigured(f"YIFA_CACHE_URL must be empty (database cache) or redis://…, got {YIFA_CACHE_URL!r}")

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "yifa.orgs.login_guard.SprayGuardBackend",  # per-address limit on distinct failing usernames
    "axes.backends.AxesStandaloneBackend",
    "yifa.orgs.auth.YifaModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle session timeout: the cookie age is renewed on every request.
SESSION_IDLE_MINUTES = _env_int("YIFA_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions live in a cookie signed with SECRET_KEY (and re-signed with a fresh timestamp on
# every response, which is the idle timeout): no request writes to the database for its
# session, so a long write transaction (an import on SQLite) cannot make other users' pages
# fail. A password change or reset ends other sessions through the session's auth hash, a
# deactivated account through is_active, both checked on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True

# Lockout after repeated failures per username + IP (django-axes).
AXES_FAILURE_LIMIT = _env_int("YIFA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("YIFA_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "yifa.orgs.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = _env_int("YIFA_PROXY_COUNT", 0) or None
AXES_CLIENT_IP_CALLABLE = "yifa.core.net.client_ip"  # X-Forwarded-For only behind YIFA_PROXY_COUNT proxies
# Password spraying (yifa.orgs.login_guard): more than N distinct usernames failing from one
# address within M minutes blocks, for B minutes, the usernames that have not signed in from it.
YIFA_LOGIN_SPRAY_USERNAMES = _env_int("YIFA_LOGIN_SPRAY_USERNAMES", 10)
YIFA_LOGIN_SPRAY_MINUTES = _env_int("YIFA_LOGIN_SPRAY_MINUTES", 15)
YIFA_LOGIN_SPRAY_BLOCK_MINUTES = _env_int("YIFA_LOGIN_SPRAY_BLOCK_MINUTES", 30)

# API tokens (Authorization: Token …) expire after this many days.
YIFA_API_TOKEN_DAYS = _env_int("YIFA_API_TOKEN_DAYS", 30)

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline
# script, no on*="" handler, no eval — and nothing from another origin (intranets have no CDN).
# Inline style attributes remain allowed ('unsafe-inline' in style-src only): the templates
# and the vendored libraries (htmx indicators, ECharts, Swagger UI) still set some.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the shell's own assets and the vendored Bootstrap/htmx/ECharts
STATIC_ROOT = Path(os.environ.get("YIFA_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("YIFA_MEDIA_ROOT", VAR_DIR / "media"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# a filter's empty choice means "no restriction" (yifa.core.choices does the same for yes/no filters)
FILTERS_EMPTY_CHOICE_LABEL = "全部"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # token first: an unauthenticated call answers 401 with WWW-Authenticate: Token
        "yifa.orgs.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "yifa.core.pagination.Pagination",
    "DEFAULT_PARSER_CLASSES": ["yifa.core.parsers.JSONParser", "yifa.core.parsers.FormParser",
                               "yifa.core.parsers.MultiPartParser"],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "yifa.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "yifa 依法行政综合管理平台 API",
    "DESCRIPTION": "Errors: JSON {code, message, fields}. 400 invalid input, 403 visible but not allowed, "
    "404 not visible, 409 illegal transition or stale version.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the package (government intranets have no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # several apps have a `source` choice field: name their enums apart in the schema
    "ENUM_NAME_OVERRIDES": {
        "ComplaintSourceEnum": "yifa.supervision.complaints.models.ComplaintSource",
        "FindingSourceEnum": "yifa.supervision.models.FindingSource",
        "SuggestionDispositionEnum": "yifa.review.models.Disposition",
        "ReviewTierEnum": "yifa.review.models.Tier",
    },
}

DJANGO_TABLES2_TEMPLATE = "core/tables2.html"  # bootstrap5 + data-label on cells (phone cards)

# --- yifa domain settings ---------------------------------------------------------
# Working days before the due date from which a deadline shows yellow (临期).
YIFA_YELLOW_WORKING_DAYS = _env_int("YIFA_YELLOW_WORKING_DAYS", 3)
# Upload limits (MB): review drafts; enforcement process records (evidence, audio/video).
YIFA_REVIEW_MAX_UPLOAD_MB = _env_int("YIFA_REVIEW_MAX_UPLOAD_MB", 20)
YIFA_ENFORCEMENT_MAX_UPLOAD_MB = _env_int("YIFA_ENFORCEMENT_MAX_UPLOAD_MB", 200)
# Evidence files of a rectification report (each; photos, scans, PDF, Word).
YIFA_RECTIFICATION_MAX_UPLOAD_MB = _env_int("YIFA_RECTIFICATION_MAX_UPLOAD_MB", 20)
# The public portal's footer, as every Chinese government website shows it: 主办单位 (default:
# the county government's name), ICP 备案号, 网站标识码 and 联系方式. Empty ones are left out.
YIFA_PORTAL_SPONSOR = os.environ.get("YIFA_PORTAL_SPONSOR", "").strip()
YIFA_PORTAL_ICP = os.environ.get("YIFA_PORTAL_ICP", "").strip()
YIFA_PORTAL_SITE_CODE = os.environ.get("YIFA_PORTAL_SITE_CODE", "").strip()
YIFA_PORTAL_CONTACT = os.environ.get("YIFA_PORTAL_CONTACT", "").strip()
# Local 法制审核 thresholds and summary-procedure limits (yuan), overriding the defaults in
# yifa/enforcement/rules.py, as JSON, e.g. {"review_fine_individual": 5000}.
try:
    YIFA_ENFORCEMENT_THRESHOLDS = json.loads(os.environ.get("YIFA_ENFORCEMENT_THRESHOLDS", "") or "{}")
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"YIFA_ENFORCEMENT_THRESHOLDS must be a JSON object: {exc}") from exc
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads stream to a temporary file
# Audit chain (HMAC-SM3): the key (env, or a key file generated on first use outside
# production) and the file the signed checkpoints of the chain's head are appended to.
YIFA_AUDIT_KEY = os.environ.get("YIFA_AUDIT_KEY", "")
YIFA_AUDIT_KEY_FILE = Path(os.environ.get("YIFA_AUDIT_KEY_FILE", VAR_DIR / "audit.key"))
YIFA_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("YIFA_AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.jsonl")
)
# `yifa backup` / `yifa restore` on PostgreSQL: the directory of pg_dump/pg_restore when
# they are not on PATH (else PATH, else the newest /usr/lib/postgresql/*/bin).
YIFA_PG_BIN_DIR = os.environ.get("YIFA_PG_BIN_DIR", "")
# The sweep runs once per interval of this many seconds (`yifa worker` schedules it; however
# many workers run, one claims each interval).
YIFA_SWEEP_INTERVAL = _env_int("YIFA_SWEEP_INTERVAL", 600)
# Units (organisations) per sweep part: the sweep of one interval is split into tasks of
# this many units each, run by whichever workers are free.
YIFA_SWEEP_UNITS_PER_TASK = _env_int("YIFA_SWEEP_UNITS_PER_TASK", 200)
# The sweep's online rules look only at cases changed since their last pass; a full pass over
# every case (catching e.g. an officer's certificate dates corrected later) every N days (0: always).
YIFA_SUPERVISION_FULL_PASS_DAYS = _env_int("YIFA_SUPERVISION_FULL_PASS_DAYS", 7)
# the sweep rebuilds the dashboard rollups of every month this often; in between only the
# months whose records changed (reports.services.sweep_rollups); 0 = always every month
YIFA_ROLLUP_FULL_PASS_HOURS = _env_int("YIFA_ROLLUP_FULL_PASS_HOURS", 24)
# A worker that has not reported for this many seconds is taken for dead: its running
# tasks are retried (where safe) or failed.
YIFA_WORKER_STALE_SECONDS = _env_int("YIFA_WORKER_STALE_SECONDS", 120)

# --- background tasks: Django's task API (django-tasks), the database as the broker ------
# `yifa worker` runs them (SQLite in the embedded default; PostgreSQL claims with SKIP
# LOCKED, so workers on several machines share one queue). YIFA_TASKS_BACKEND=immediate runs
# every task inline when it is enqueued (the test suite does).
YIFA_TASKS_BACKEND = os.environ.get("YIFA_TASKS_BACKEND", "database").strip().lower()
if YIFA_TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured(f"YIFA_TASKS_BACKEND must be database or immediate, got {YIFA_TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend" if YIFA_TASKS_BACKEND == "database"
                     else "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YIFA_LOG_LEVEL", "WARNING")},
    # audit checkpoints are logged (a copy of the chain's head outside the database)
    "loggers": {"yifa.audit": {"level": "INFO"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("YIFA_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("YIFA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Static files are served by WhiteNoise from the package (no CDN, no separate web root
# needed for the embedded server); production may still run collectstatic behind nginx.
WHITENOISE_USE_FINDERS = True
