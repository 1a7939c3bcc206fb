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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
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
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@makerspace.example.cn")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {"TITLE": "专业化众创空间备案推荐系统 API", "VERSION": "0.1.0"}

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
# X-Forwarded-For is believed only when AXES_PROXY_COUNT says how many proxies stand in front;
# otherwise a client could pick a new address for every guess.
AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"]) if os.environ.get("AXES_PROXY_COUNT") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Security: the audit chain (issue 15, docs/security.md) --------------------------------------
# The chain's MAC key lives here, not in the database. Without DJANGO_AUDIT_KEY it is derived from
# SECRET_KEY; changing either key makes every existing row fail `verify_audit`.
AUDIT_HMAC_KEY = os.environ.get("DJANGO_AUDIT_KEY", "")
# The signed chain head is appended to this file every hour (and by `manage.py anchor_audit`):
# keep it where the database's users cannot write, e.g. another host's mount or a WORM bucket sync.
AUDIT_ANCHOR_PATH = Path(os.environ.get("AUDIT_ANCHOR_PATH", VAR_DIR / "audit" / "anchors.jsonl"))
CELERY_BEAT_SCHEDULE = {
    "audit-anchor": {"task": "audit.anchor", "schedule": 3600.0},
    "deadline-reminders": {"task": "notifications.deadline_reminders", "schedule": 3600.0},
}

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
