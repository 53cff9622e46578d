"""Django settings for Gongkai.

Everything a deployment changes comes from the environment (see docs/deployment.md); the
defaults run the embedded demo: SQLite under ``GONGKAI_DATA_DIR`` (default ``./var``).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "var")).resolve()

DEBUG = os.environ.get("GONGKAI_DEBUG", "0") == "1"
# The demo secret is only for the embedded default; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "gongkai-demo-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "gongkai.core",
    "gongkai.agencies",
    "gongkai.catalogue",
    "gongkai.search",
    "axes",  # before gongkai.accounts: its failed-login receiver must run before our audit one
    "django_otp",
    "django_otp.plugins.otp_totp",  # before gongkai.accounts, whose admin replaces the device admin
    "gongkai.accounts",
    "gongkai.publishing",
    "gongkai.applications",
    "gongkai.reports",
    "gongkai.assessment",
    "gongkai.complaints",
    "gongkai.powers",
    "gongkai.workbench",
    "gongkai.portal",
    "gongkai.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.accounts.middleware.ReauthenticationMiddleware",  # needs request.user and messages
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with the second factor
    "gongkai.accounts.middleware.StaffGateMiddleware",  # second factor, enrolment, password age
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the login page (status 429)
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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
                "gongkai.portal.context_processors.site",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if os.environ.get("GONGKAI_TEST_DB_NAME"):
            # lets several test runs share one PostgreSQL server without colliding
            db["TEST"] = {"NAME": os.environ["GONGKAI_TEST_DB_NAME"]}
        return db
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "gongkai.sqlite3",
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
            # failing with "database is locked" half-way (index-number allocation relies on it).
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": DATA_DIR / "test-gongkai.sqlite3"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; the root must exist
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the static root and are served only through views that
# set Content-Disposition and nosniff (security.md, "Input and files").
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "/admin/login/"

# Search index (tantivy) lives beside the database; it is rebuilt from it by `gongkai reindex`.
GONGKAI_SEARCH_DIR = Path(os.environ.get("GONGKAI_SEARCH_DIR", DATA_DIR / "search"))
# Index-number format (catalogue.md): 2008 catalogue-system default.
GONGKAI_INDEX_NUMBER_FORMAT = os.environ.get("GONGKAI_INDEX_NUMBER_FORMAT", "{code}/{year}-{seq:05d}")
GONGKAI_MAX_ATTACHMENT_BYTES = int(os.environ.get("GONGKAI_MAX_ATTACHMENT_BYTES", 50 * 1024 * 1024))
GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "政府信息公开平台")
# Working days to answer a complaint or suggestion: the Regulation sets none, the local rule does.
GONGKAI_COMPLAINT_ANSWER_WORKDAYS = int(os.environ.get("GONGKAI_COMPLAINT_ANSWER_WORKDAYS", 15))
# Years personal data of closed applications and answered complaints is kept before
# `gongkai purge-personal-data` anonymises it (security.md; default and reasons: core/retention.py).
GONGKAI_PERSONAL_DATA_RETENTION_YEARS = int(os.environ.get("GONGKAI_PERSONAL_DATA_RETENTION_YEARS", 5))
# Throttles (progress lookups, submissions, page ratings) count in Django's cache. Several
# worker processes must share one: GONGKAI_REDIS_URL (e.g. redis://127.0.0.1:6379/0) selects
# Redis; without it each process counts for itself, which suits a single process (the demo).
if os.environ.get("GONGKAI_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["GONGKAI_REDIS_URL"],
            "KEY_PREFIX": "gongkai",
        }
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}

if not DEBUG and os.environ.get("GONGKAI_PRODUCTION") == "1":
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True


# --- Staff sign-in (gongkai.accounts) ---
# security.md, "Identity and access": lockout per (username, address), idle logout,
# re-authentication, password complexity. Supersedes SESSION_COOKIE_AGE and LOGIN_URL above.
GONGKAI_IDLE_MINUTES = int(os.environ.get("GONGKAI_IDLE_MINUTES", SESSION_COOKIE_AGE // 60))
GONGKAI_REAUTH_HOURS = int(os.environ.get("GONGKAI_REAUTH_HOURS", 12))
GONGKAI_LOGIN_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", 5))
GONGKAI_LOCKOUT_MINUTES = int(os.environ.get("GONGKAI_LOCKOUT_MINUTES", 15))
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none, the
# peer address is the client). Lockout and audit need the real client address.
GONGKAI_TRUSTED_PROXIES = int(os.environ.get("GONGKAI_TRUSTED_PROXIES", 0))
# Second factor (TOTP, django-otp): a staff member who has enrolled a device always needs it;
# "1" makes enrolment mandatory for every staff member. Off by default so the demo stays simple.
GONGKAI_STAFF_2FA_REQUIRED = os.environ.get("GONGKAI_STAFF_2FA_REQUIRED", "0") == "1"
# Periodic password change for staff (MLPS requires one; ASVS advises against): the days a
# password lasts before the holder must change it. 0 turns it off.
GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS", 0))

SESSION_COOKIE_AGE = GONGKAI_IDLE_MINUTES * 60  # idle logout: renewed on every request
SESSION_SAVE_EVERY_REQUEST = True
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/staff/"  # the workbench home
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "gongkai.accounts.backends.LockoutBackend",  # first: refuses a locked-out pair before any check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {"NAME": "gongkai.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# django-axes: the lockout is per (username, address) pair, so one address cannot lock every
# account and one account cannot be locked for people elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = GONGKAI_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=GONGKAI_LOCKOUT_MINUTES)
# Attempts while locked out do not restart the cool-off: it ends a fixed time after the
# failure that triggered it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.accounts.network.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.accounts.views.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# A wrong one-time code is a failed sign-in too; axes stores the form data, never the code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# django-otp: the issuer shown in authenticator apps; the device admin never shows the secret.
OTP_TOTP_ISSUER = GONGKAI_SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
