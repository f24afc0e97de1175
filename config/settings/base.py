"""Settings shared by every environment, read from the environment (django-environ).

One variable switches each backing service: DATABASE_URL (SQLite when unset),
REDIS_URL (Celery broker and cache; eager Celery and a local-memory cache when unset).
Nothing here turns DEBUG on or supplies a secret key: ``local`` does the first, and each
environment's module sets its own key (``production`` refuses to start without one).
"""

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

from config.log import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "strawberry_django",
    "clusters",
    "impact",
    "canvases",
    "notifications",
    "bi",
    "webhooks",
    "reports",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First, so every response (redirects and errors included) is timed, logged and carries
    # its X-Request-ID.
    "config.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "api.rest.problems.csrf_failure_view"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. BEGIN IMMEDIATE takes the write lock when a
    # transaction starts, so a writer waits for it (up to `timeout` seconds, then a 503
    # with Retry-After) instead of failing at once with "database is locked" when a read
    # turns into a write under a concurrent writer; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.float("SQLITE_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
else:
    # Persistent connections, checked before each request reuses one: after a database
    # restart the first request opens a new connection instead of failing on the dead one.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

# A read replica for exports and BI reads (clusters.replica.reporting_alias picks it when set).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].update(
        {"CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0), "CONN_HEALTH_CHECKS": True}
    )
    # Tests run against the primary: the replica alias mirrors it there.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
# Reports and mail are written in these (clusters.models.Language); translations in locale/.
LANGUAGES = [("en", "English"), ("es", "Español"), ("nb", "Norsk (bokmål)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
# Assets fetched at install time (GraphiQL's bundles: see api/graphql/ide.py).
VENDOR_ROOT = BASE_DIR / "var" / "vendor"
STATICFILES_DIRS = [("vendor", VENDOR_ROOT)] if VENDOR_ROOT.is_dir() else []
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

# Uploaded and generated files: the local disk by default; an S3-compatible bucket when
# STORAGE_BUCKET is set (django-storages, the `s3` extra), so every web process and worker
# on every machine sees the same files.
STORAGE_BUCKET = env("STORAGE_BUCKET", default="")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STORAGE_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env("STORAGE_ENDPOINT_URL", default=None),
            "region_name": env("STORAGE_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # A Redis that is down or unreachable fails fast instead of hanging requests.
                "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=1.0),
                "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=1.0),
            },
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="clusterbase"),
        }
    }
    # Sessions (the admin) in the database behind the shared cache: no process keeps any.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The cache is an accelerator, never a dependency: with Redis down a cache read is a miss
# and a write is skipped (logged), so requests answer from the database. /readyz still
# reports the cache as down.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "clusterbase.cache"

# Celery: a real broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks report through the database (stored figures, jobs), not a result backend: no
# result is written, and queueing never waits on one.
CELERY_TASK_IGNORE_RESULT = True
# A task that runs away is stopped; the soft limit lets it roll back cleanly first.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# A message taken by a worker that died unacknowledged goes back to the queue after this
# long (Redis transport); it must exceed the hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("REDIS_TIMEOUT", default=1.0),
}
# Queueing from a request gives up quickly when the broker is down (the change has
# committed; see clusters.services.events), instead of holding the request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="clusterbase")
CELERY_TIMEZONE = TIME_ZONE

FIGURES_SWEEP_SECONDS = env.float("FIGURES_SWEEP_SECONDS", default=60.0)
# Periodic tasks, run by the scheduler process (`make beat`, i.e. `celery -A config beat`).
CELERY_BEAT_SCHEDULE = {
    "period-notices": {
        "task": "notifications.send_period_notices",
        "schedule": crontab(hour=env.int("MAIL_NOTICES_HOUR", default=6), minute=0),
    },
    "daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=env.int("MAIL_DIGEST_HOUR", default=7), minute=0),
    },
    # Store the figures a change left to be recomputed (e.g. the broker was down as it
    # committed). A sweep not started in time is dropped rather than piled up.
    "store-missing-figures": {
        "task": "impact.figures_store_missing",
        "schedule": FIGURES_SWEEP_SECONDS,
        "options": {"expires": FIGURES_SWEEP_SECONDS},
    },
}

# Mail: EMAIL_URL picks the backend (console by default: mails are printed; production
# sends over SMTP, e.g. smtp+tls://user:password@smtp.example.org:587).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("MAIL_FROM", default="clusterbase <noreply@localhost>")
# Reminders go this many days before an open period closes.
NOTIFICATIONS_REMINDER_DAYS = env.list("MAIL_REMINDER_DAYS", cast=int, default=[7, 1])
# The API's public address: links in mails and shared report links point there. When unset,
# a shared link names the address its request came to (ALLOWED_HOSTS), mails the local one.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="")
NOTIFICATIONS_BASE_URL = PUBLIC_BASE_URL or "http://127.0.0.1:8000"

# Annual reports: how long a shared link works unless the request says otherwise, and at most.
REPORTS_SHARE_DAYS = env.int("REPORTS_SHARE_DAYS", default=30)
REPORTS_SHARE_MAX_DAYS = env.int("REPORTS_SHARE_MAX_DAYS", default=365)
# A report job may take longer than other tasks (every cluster's report of a big programme).
REPORTS_TASK_TIME_LIMIT = env.int("REPORTS_TASK_TIME_LIMIT", default=3600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["api.rest.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.rest.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.rest.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Callers without a token are throttled by address: X-Forwarded-For is trusted only
    # behind this many proxies (0: the connection's own address).
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_RATE_PER_TOKEN", default="1200/minute"),
        "anon": env("API_RATE_ANON", default="60/minute"),
    },
    "EXCEPTION_HANDLER": "api.rest.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.rest.schema.ProblemAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # OPTIONS answers 405: the OpenAPI schema is the description of every endpoint.
    "DEFAULT_METADATA_CLASS": None,
    "COERCE_DECIMAL_TO_STRING": True,
}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_FORMATTER_CLASS": "api.rest.problems.ProblemDetailsFormatter",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "clusterbase API",
    "DESCRIPTION": (
        "Monitoring API for innovation-cluster programmes: cluster registry, annual "
        "submissions, portfolio figures. Authenticate with `Authorization: Bearer <token>`. "
        "Errors are RFC 9457 problem details."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the service itself (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "APPEND_COMPONENTS": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    "SECURITY": [{"bearerAuth": []}],
}

# Request body cap (bytes) for the API; Django refuses larger bodies before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# JSON bodies (REST and GraphQL, variables included) nest arrays and objects at most this
# deep; deeper is a 400 before parsing (api/json_limits.py).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)

GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=10)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=15)
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=2000)

# Token last-used times are written at most this often, not on every request.
TOKEN_LAST_USED_RESOLUTION_SECONDS = 60

WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=15.0)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=10)
WEBHOOKS_SECRET_GRACE_HOURS = env.int("WEBHOOKS_SECRET_GRACE_HOURS", default=24)
WEBHOOKS_DISABLE_AFTER_DAYS = env.int("WEBHOOKS_DISABLE_AFTER_DAYS", default=5)
# Celery beat (make beat) also sends webhook retries that are due, and any delivery whose
# task was lost.
CELERY_BEAT_SCHEDULE["webhooks-deliver-due"] = {"task": "webhooks.deliver_due", "schedule": 60.0}

# Secrets stored for a programme (the Miro access token) are encrypted with this Fernet key;
# derived from SECRET_KEY when unset (clusters/crypto.py).
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default="")
# Miro REST API v2 (canvas export and import); tests point it at a local fake server.
MIRO_API_URL = env("MIRO_API_URL", default="https://api.miro.com")
MIRO_TIMEOUT_SECONDS = env.float("MIRO_TIMEOUT_SECONDS", default=20.0)
MIRO_MAX_RETRIES = env.int("MIRO_MAX_RETRIES", default=5)

# Plain lines on a terminal; LOG_FORMAT=json gives one JSON object a line (production's
# default). Either way one line per request and per task (config.requestlog).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = logging_config(fmt=LOG_FORMAT, level=LOG_LEVEL)
