"""Settings for the maker-space filing system.

One module, read from the environment: SQLite is the embedded default, PostgreSQL is chosen by
DATABASE_URL, Celery runs tasks inline unless CELERY_BROKER_URL names a broker.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789"
)
# The address people reach the system at: every QR code, verification link and e-mail is built on
# it, also in background jobs and commands where no request tells the host.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The province whose science department runs the batches of this deployment (one of
# makerspace.core.reference_data.PROVINCES): a new batch's default; a national deployment sets each
# batch's own province in the admin.
SITE_PROVINCE = os.environ.get("SITE_PROVINCE", "江苏省")
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "makerspace.core",
    "makerspace.accounts",
    "makerspace.batches",
    "makerspace.audit",
    "makerspace.applications",
    "makerspace.credit",
    "makerspace.reviews",
    "makerspace.notifications",
    "makerspace.documents",
    "makerspace.public",
    "makerspace.security",
    "makerspace.scoring",
    "makerspace.publicity",
    "makerspace.filed",
    "makerspace.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "makerspace.core.middleware.ChineseUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "makerspace.security.middleware.IdleTimeoutMiddleware",
    "makerspace.security.middleware.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "makerspace.core.context_processors.navigation",
            ],
        },
    },
]

# Django's form renderer, with the common widgets written in Python (the same markup, cheaper).
FORM_RENDERER = "makerspace.core.widgets.WidgetRenderer"

# Persistent connections (CONN_MAX_AGE seconds, alias DB_CONN_MAX_AGE) are checked before each
# request reuses them: one that PostgreSQL or a pooler closed is reopened instead of failing.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE") or os.environ.get("DB_CONN_MAX_AGE") or "0"),
        conn_health_checks=True,
    )
}
# On PostgreSQL the parameters travel apart from the SQL (server-side binding) and psycopg
# prepares a statement that a connection has run five times (prepare_threshold; Django turns
# it off unless asked), so the server plans it once instead of on every run: the rush's pages
# run the same few SQL strings (makerspace.core.prepared), whose planning cost the server more
# than executing them (docs/benchmarks.md). DB_PREPARED_STATEMENTS=0 behind PgBouncer in
# transaction mode, which cannot keep a connection's prepared statements.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
# The ranking's covering index carries non-key columns on PostgreSQL; SQLite, the embedded default,
# builds it without them, which is all it can do: its warning says nothing an operator must act on.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the deadline rush queue writers instead of failing them.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "makerspace.accounts.backends.OrganisationModelBackend",
]
# makerspace/accounts/hashers.py says why these parameters; the others verify older hashes, which are
# rewritten at the next sign-in.
PASSWORD_HASHERS = [
    "makerspace.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS V2.1: at least 12 characters, at most 128, no composition rules, not breached or guessable.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "makerspace.security.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "makerspace.security.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "makerspace.security.validators.GuessablePasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "public:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files are private: they are never served from a public URL, only through views that
# ask the permission module. MEDIA_URL is therefore not routed.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3-compatible storage (several app servers share it): chosen by AWS_STORAGE_BUCKET_NAME. Keys may
# also come from the instance's role or the standard AWS_* environment of boto3.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_S3_ACCESS_KEY_ID") or os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_S3_SECRET_ACCESS_KEY")
            or os.environ.get("AWS_SECRET_ACCESS_KEY"),
            # "path" for MinIO and most self-hosted servers, "virtual" for AWS and OSS/COS.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            "location": os.environ.get("AWS_LOCATION", ""),
            # Private files: no public ACL, never overwritten, links expire (downloads go through
            # the views anyway).
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }

MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail: the console without EMAIL_HOST (development), SMTP with it.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL and bool(EMAIL_HOST))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# A mail server that does not answer fails the mail job (retried later), never hangs a worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@makerspace.example.cn")

# Background work (docs/deployment.md). Without a broker tasks run inline, after commit. With one,
# e-mails and jobs go through the outbox (makerspace/core/outbox.py): a broker that does not answer
# within BROKER_CONNECT_TIMEOUT seconds leaves them pending, it never holds the request.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Nothing reads task results: the database holds every outcome (jobs, outbox entries).
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# Without a broker: run e-mails and jobs in `manage.py local_worker` (what `make run` does) instead
# of inline after the request's commit. Off in tests and one-off commands, where inline is wanted.
LOCAL_WORKER = env_bool("LOCAL_WORKER", False)
BROKER_CONNECT_TIMEOUT = float(os.environ.get("BROKER_CONNECT_TIMEOUT", "2"))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
    "socket_timeout": 10,
    "max_retries": 0,
    # An unacknowledged job goes back to the queue after this long (a worker lost with its host).
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "makerspace.core.broker:Transport"
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "900"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_TASK_IGNORE_RESULT = True
# A package or dossier build: its own limit, its heartbeat, and how often it may be run again after
# its worker was lost before it is failed with a message.
DOCUMENT_JOB_SOFT_TIME_LIMIT = int(os.environ.get("DOCUMENT_JOB_SOFT_TIME_LIMIT", "1800"))
DOCUMENT_JOB_STALE_SECONDS = int(os.environ.get("DOCUMENT_JOB_STALE_SECONDS", "180"))
DOCUMENT_JOB_MAX_ATTEMPTS = int(os.environ.get("DOCUMENT_JOB_MAX_ATTEMPTS", "3"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {"TITLE": "专业化众创空间备案推荐系统 API", "VERSION": "0.1.0"}

# Database sessions, their row read by SQL compiled once (makerspace/security/sessions.py).
SESSION_ENGINE = "makerspace.security.sessions"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if env_bool("DJANGO_SECURE", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes come by plain HTTP to the server's own address (also answered before the redirect by
# makerspace.core.health.HealthCheckMiddleware).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Security (docs/security.md) ------------------------------------------------------------------
# Sessions also end after SESSION_IDLE_TIMEOUT seconds without a request (IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))

# Login throttling (django-axes): five failures for one username from one address lock that pair
# out for 30 minutes. Tests switch it off in conftest.py except where they prove it.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "makerspace.security.views.lockout"
# The client's address (lockout, rate limits, audit) is read by django-ipware. X-Forwarded-For is
# believed only when TRUSTED_PROXY_COUNT (alias AXES_PROXY_COUNT) says how many proxies of ours
# stand in front (nginx alone: 1); the client is the address the outermost of them appended, so
# whatever a client writes into the header itself is ignored. Without it, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or os.environ.get("AXES_PROXY_COUNT") or 0)
# ipware counts the proxies listed in the header after the client: our outermost proxy appends the
# client and is not listed itself, hence one less; non-strict so that a longer (forged) chain
# still yields the entry our proxies wrote.
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
AXES_IPWARE_PROXY_ORDER = "left-most"
IPWARE_STRICT = False
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)
RATELIMIT_IP_META_KEY = "makerspace.security.throttle.client_ip"

# Two-factor authentication (django-otp, TOTP): every reviewing and administrating role must have
# verified a TOTP device in its session before it sees anything. Applicants may opt in.
OTP_REQUIRED_ROLES = [
    "supervisor",
    "recommender",
    "acceptance",
    "province",
    "expert",
    "ministry",
    "admin",
]
OTP_TOTP_ISSUER = "专业化众创空间备案推荐系统"
# Re-authentication (password, plus TOTP where a device exists) is valid for this many seconds
# before changing e-mail, password or two-factor settings.
RECENT_AUTH_SECONDS = 5 * 60

# Content-Security-Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Uploads: PDFs longer than this are refused; images larger than this many pixels are refused
# before they are decoded (decompression bombs).
UPLOAD_MAX_PDF_PAGES = int(os.environ.get("UPLOAD_MAX_PDF_PAGES", "200"))
# All streams of a PDF decoded together: a Flate bomb inflates a few hundred KB to gigabytes.
UPLOAD_MAX_PDF_DECOMPRESSED_BYTES = int(
    os.environ.get("UPLOAD_MAX_PDF_DECOMPRESSED_BYTES", str(100 * 1024 * 1024))
)
UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("UPLOAD_MAX_IMAGE_PIXELS", str(40_000_000)))

# Logs go to standard error: text, or with LOG_FORMAT=json one JSON object a line carrying the
# request id and user id (makerspace/core/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "makerspace.core.logs.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "makerspace.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Celery workers keep this configuration (JSON lines too) instead of replacing the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
# Prometheus scrapers from elsewhere than the server itself present this bearer token.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Security: the audit chain (issue 15, docs/security.md) --------------------------------------
# The chain's MAC key lives here, not in the database. Without DJANGO_AUDIT_KEY it is derived from
# SECRET_KEY; changing either key makes every existing row fail `verify_audit`.
AUDIT_HMAC_KEY = os.environ.get("DJANGO_AUDIT_KEY", "")
# The signed chain head is appended to this file every hour (and by `manage.py anchor_audit`):
# keep it where the database's users cannot write, e.g. another host's mount or a WORM bucket sync.
AUDIT_ANCHOR_PATH = Path(os.environ.get("AUDIT_ANCHOR_PATH", VAR_DIR / "audit" / "anchors.jsonl"))
CELERY_BEAT_SCHEDULE = {
    "audit-anchor": {"task": "audit.anchor", "schedule": 3600.0},
    # Annual report deadlines: 7, 3 and 1 days before, once each (makerspace.filed).
    "filed-report-reminders": {"task": "filed.report_reminders", "schedule": 3600.0},
    "deadline-reminders": {"task": "notifications.deadline_reminders", "schedule": 3600.0},
    # The statistics' role-wide figures, refreshed before they expire (makerspace/stats/cache.py).
    "stats-refresh": {"task": "stats.refresh", "schedule": 240.0},
    "outbox-dispatch": {"task": "core.dispatch_outbox", "schedule": 60.0},
    "documents-reap-stalled": {"task": "documents.reap_stalled_jobs", "schedule": 60.0},
}
# How long a dashboard's figures are kept (seconds; 0 computes them on every request).
STATS_CACHE_SECONDS = int(os.environ.get("STATS_CACHE_SECONDS", "300"))
# Prepared queries (makerspace/core/prepared.py) also built and compared on every call: the test
# suite's check of their contract; off in a deployment, where it would cost what they save.
PREPARED_QUERIES_CHECK = env_bool("PREPARED_QUERIES_CHECK", False)

# Security: rate limits, request size, challenge (issue 15) -----------------------------------
# Counted in the default cache; with several app servers set DJANGO_CACHE_URL to a shared Redis.
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJANGO_CACHE_URL"],
        }
    }
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATE_LIMITS = {
    "objection": "5/h",
    "password_check": "300/h",
    "password_reset": "5/h",
    "password_reset_email": "3/h",
    "register": "5/h",
    "verify_upload": "30/h",
}
# A whole request body above this is refused before it is read (uploads are ≤ MAX_UPLOAD_BYTES).
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
# Failures for one account from any address before each of its logins needs a question answered.
ACCOUNT_CHALLENGE_AFTER = 10
OBJECTION_MAX_CONTENT_CHARS = 5000
OBJECTION_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# The body-size check runs before CSRF reads the body; the debug guard sits innermost so it sees
# the view's exception first; no-store is applied on the way out to every signed-in response.
MIDDLEWARE.insert(1, "makerspace.security.middleware.RequestSizeLimitMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "makerspace.security.middleware.NoStoreMiddleware",
)
MIDDLEWARE.append("makerspace.security.middleware.LoopbackDebugMiddleware")
# Media files: readable by the service account and its group (the backup job), never by others.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Outermost: a request id for every log line, the metrics' clock, and the probes answered before
# host validation and the HTTPS redirect.
MIDDLEWARE[0:0] = [
    "makerspace.core.logs.RequestIdMiddleware",
    "makerspace.core.metrics.MetricsMiddleware",
    "makerspace.core.health.HealthCheckMiddleware",
]
