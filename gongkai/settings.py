"""Django settings for Gongkai.

Everything a deployment changes comes from the environment (see docs/deployment.md); the
defaults run the embedded demo: SQLite under ``GONGKAI_DATA_DIR`` (default ``./var``).
"""

import json
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
    "gongkai.keyareas",
    "gongkai.consultations",
    "gongkai.questions",
    "gongkai.casework",  # 交办/协办 and internal notes: above applications, below the pages
    "gongkai.workbench",
    "gongkai.portal",
    "gongkai.api",
    "gongkai.operations",  # composition above the domain apps: demo, serve, scan, restore, purge
]

MIDDLEWARE = [
    "gongkai.core.http.SecurityHeadersMiddleware",  # CSP on every page (its own 413s too), sandbox on downloads
    "gongkai.core.http.RequestLimitMiddleware",  # before anything reads the body: 413 at once
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
    # Ours: Django's message for this one is untranslated in zh-hans.
    {"NAME": "gongkai.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
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
STORAGES = {
    "default": {"BACKEND": "gongkai.core.storage.FileSystemStorage"},  # no partial files on a full disk
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
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
# Several nodes (docs/search.md): an index not heard from for this long is not live; the change
# log is pruned past it, and it rebuilds itself from the database when its node starts again.
GONGKAI_SEARCH_INDEX_TTL = timedelta(hours=float(os.environ.get("GONGKAI_SEARCH_INDEX_TTL_HOURS", 7 * 24)))
# Index-number format (catalogue.md): 2008 catalogue-system default.
GONGKAI_INDEX_NUMBER_FORMAT = os.environ.get("GONGKAI_INDEX_NUMBER_FORMAT", "{code}/{year}-{seq:05d}")
GONGKAI_MAX_ATTACHMENT_BYTES = int(os.environ.get("GONGKAI_MAX_ATTACHMENT_BYTES", 50 * 1024 * 1024))
GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "政府信息公开平台")
# Working days to answer a complaint or suggestion: the Regulation sets none, the local rule does.
GONGKAI_COMPLAINT_ANSWER_WORKDAYS = int(os.environ.get("GONGKAI_COMPLAINT_ANSWER_WORKDAYS", 15))
# When townships and street offices publish their annual report ("MM-DD" of the next year): the
# Regulation (Art. 49-50) leaves it to the province; default 31 January (reports/annual.py).
GONGKAI_TOWNSHIP_REPORT_DUE = os.environ.get("GONGKAI_TOWNSHIP_REPORT_DUE", "01-31")
# A correction notice after Art. 30's 7-working-day window: refused by default; where a local
# rule allows it, sent without touching the original reply deadline (regulation.md, Clocks).
GONGKAI_ALLOW_LATE_CORRECTION = os.environ.get("GONGKAI_ALLOW_LATE_CORRECTION", "0") == "1"
# Local policy the regulation leaves open (issues 16, 18): who signs a reply off before it is
# issued (JSON, e.g. {"reply": ["office_head"], "reply:withheld": ["office_head", "leader"]};
# none by default) and the working days an office has to answer a public question.
GONGKAI_LETTER_SIGNOFF = json.loads(os.environ.get("GONGKAI_LETTER_SIGNOFF") or "{}")
GONGKAI_QUESTION_ANSWER_WORKDAYS = int(os.environ.get("GONGKAI_QUESTION_ANSWER_WORKDAYS", 5))
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
# Public pages (core/pagecache.py): Cache-Control max-age for browsers and proxies, and how long
# the server keeps its copy of a page or search result (each audited change invalidates them
# all at once; 0 turns the server-side copy off).
GONGKAI_PUBLIC_MAX_AGE = int(os.environ.get("GONGKAI_PUBLIC_MAX_AGE", 60))
GONGKAI_PAGE_CACHE_SECONDS = int(os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", 300))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Mail (`gongkai remind`, and the e-mail that delivers a notice to an online applicant) uses
# Django's EMAIL_* settings; a mail server that does not answer must not hold a request (and the
# application's row lock) for long: the notice then stays "回执未登记" (docs/applications.md).
EMAIL_TIMEOUT = int(os.environ.get("GONGKAI_EMAIL_TIMEOUT", 10))
# OCR of scanned pages and pictures before publication (publishing/ocr.py): the tesseract
# program (Debian's tesseract-ocr with tesseract-ocr-chi-sim) and the rendering resolution.
GONGKAI_TESSERACT = os.environ.get("GONGKAI_TESSERACT", "tesseract")
GONGKAI_OCR_DPI = int(os.environ.get("GONGKAI_OCR_DPI", 200))
# Uploads over 256 KB go to a temporary file as they arrive (TemporaryFileUploadHandler) and are
# inspected, hashed and stored from there in chunks (catalogue/uploads.py): no upload is held
# whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# Request bodies are refused with 413 past their URL's limit before they are read
# (gongkai/core/http.py; docs/deployment.md gives the matching nginx client_max_body_size).
# First matching prefix wins; uploads happen only on staff pages, the admin and /apply/.
GONGKAI_MAX_IDENTITY_PROOF_BYTES = int(os.environ.get("GONGKAI_MAX_IDENTITY_PROOF_BYTES", 10 * 1024 * 1024))
_UPLOAD_OVERHEAD = 1024 * 1024  # the form's other fields and the multipart framing
GONGKAI_REQUEST_BODY_LIMITS = [
    ("/staff/", GONGKAI_MAX_ATTACHMENT_BYTES + _UPLOAD_OVERHEAD),
    ("/admin/", GONGKAI_MAX_ATTACHMENT_BYTES + _UPLOAD_OVERHEAD),
    ("/apply/", GONGKAI_MAX_IDENTITY_PROOF_BYTES + _UPLOAD_OVERHEAD),
]
GONGKAI_REQUEST_BODY_DEFAULT_LIMIT = int(os.environ.get("GONGKAI_MAX_FORM_BYTES", 1024 * 1024))
# Content-Security-Policy (core/http.py): no inline script on any page; inline styles stay
# allowed (the annual report's table widths). Downloads get a sandbox and nothing else.
GONGKAI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
GONGKAI_DOWNLOAD_CSP = "default-src 'none'; sandbox"
CSRF_FAILURE_VIEW = "gongkai.core.http.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Query codes never reach a log, even from the older GET ...?code= API (gongkai/core/log_redaction.py).
    "filters": {"redact_query_codes": {"()": "gongkai.core.log_redaction.RedactQueryCodes"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_query_codes"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_query_codes"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["redact_query_codes"]},
    },
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
# Failures from one address across all usernames before that address is locked out for every
# account (password spraying); 0 turns it off. Above the per-account limit so that an office
# behind one address is not locked out by ordinary typing errors (accounts/lockout.py).
GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT", 10))
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
AXES_HANDLER = "gongkai.accounts.lockout.AddressAwareHandler"  # also counts per address
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

# --- Audit trail (issue 10, §2; gongkai/core/audit.py, docs/security.md section 2) ---
# The HMAC key of the audit hash chain, kept out of the database and its backups. The demo
# default is public: check --deploy refuses it in production. Never change it once events
# exist (they would no longer verify).
GONGKAI_AUDIT_KEY = os.environ.get("GONGKAI_AUDIT_KEY", "gongkai-demo-audit-key-not-for-production")
# Where `gongkai audit-anchor` and `gongkai backup` append the chain head (one JSON line each);
# put it on other storage than the database, append-only (chattr +a) or shipped to a log host.
GONGKAI_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("GONGKAI_AUDIT_ANCHOR_FILE", str(DATA_DIR / "audit-anchors.jsonl"))
).resolve()

# --- Secrets and the reverse proxy (issue 10, §5; gongkai/core/checks.py) ---
# The key of the query codes' HMAC (gongkai/core/query_codes.py); kept out of the database.
# Unset: derived from SECRET_KEY (development only; check --deploy refuses it in production).
GONGKAI_QUERY_CODE_KEY = os.environ.get("GONGKAI_QUERY_CODE_KEY", "")
# Addresses (or networks) of the TLS-terminating reverse proxies: the only peers whose
# X-Forwarded-Proto is believed (by Django and by gunicorn's --forwarded-allow-ips).
GONGKAI_TRUSTED_PROXY_ADDRESSES = [
    a.strip() for a in os.environ.get("GONGKAI_TRUSTED_PROXY_ADDRESSES", "").split(",") if a.strip()
]
if not DEBUG and os.environ.get("GONGKAI_PRODUCTION") == "1" and GONGKAI_TRUSTED_PROXY_ADDRESSES:
    # Without this, SECURE_SSL_REDIRECT answers the proxy's plain-HTTP request with a 301 to
    # https, which the proxy forwards as plain HTTP again: a redirect loop.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    MIDDLEWARE.insert(0, "gongkai.core.proxy.ForwardedProtoFromTrustedProxiesOnly")
