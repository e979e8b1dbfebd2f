"""Django settings for grassroots: SQLite with zero set-up, PostgreSQL when DATABASE_URL is set.

Everything comes from the environment (docs/deploy.md lists it). ``GRASSROOTS_DEMO=1`` (set by
``grassroots demo`` and the test suite) is a demo on one machine: a fixed development key,
plain HTTP, mail printed to the console. Without it the settings are production's and fail
closed (``site/environment.py``): no key unless ``GRASSROOTS_SECRET_KEY`` gives one, HTTPS
only, mail never written to the log.
"""

from __future__ import annotations

import datetime
import os

import dj_database_url

from grassroots.site import environment as env
from grassroots.site.paths import REPORT_STATIC, data_dir

DATA_DIR = data_dir()
GRASSROOTS_DEMO = env.flag(os.environ, "GRASSROOTS_DEMO", False)
PRODUCTION = not GRASSROOTS_DEMO

SECRET_KEY = env.secret_key(os.environ, GRASSROOTS_DEMO)
DEBUG = env.flag(os.environ, "GRASSROOTS_DEBUG", False)
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("GRASSROOTS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h
]

# HTTPS: on by default outside the demo, each switched off only by name.
SECURE_SSL_REDIRECT = env.flag(os.environ, "GRASSROOTS_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env.flag(os.environ, "GRASSROOTS_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.whole_number(
    os.environ, "GRASSROOTS_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.flag(
    os.environ, "GRASSROOTS_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION
)
SECURE_HSTS_PRELOAD = env.flag(os.environ, "GRASSROOTS_HSTS_PRELOAD", False)
if env.flag(os.environ, "GRASSROOTS_BEHIND_PROXY", False):
    # The proxy in front terminates TLS and says so; Django then sees https requests as such.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's two-factor pages load its template tags
    "django_tasks",
    "django_tasks_db",
    "grassroots.audit",
    "grassroots.members",
    "grassroots.elections",
    "grassroots.meetings",
    "grassroots.finance",
    "grassroots.network",
    "grassroots.jobs",
    "grassroots.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files from the app server itself, compressed and cached (docs/deploy.md)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before the CSRF check reads a POST body: one over the view's limit is refused unread
    "grassroots.site.uploads.BodyLimitMiddleware",
    # a NUL in a query or form field is refused (400): PostgreSQL takes none in any text
    "grassroots.site.uploads.NulRefusingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the signed-in person's roles and membership record: read once per request, not per check
    "grassroots.members.requester.RequesterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "grassroots.site.csp.StrictCSPMiddleware",
]

# Django's database sessions, read in one plain SQL statement (site/sessions.py)
SESSION_ENGINE = "grassroots.site.sessions"

ROOT_URLCONF = "grassroots.site.urls"
WSGI_APPLICATION = "grassroots.site.wsgi.application"

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
                "grassroots.site.context_processors.nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'grassroots.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; a longer wait instead of "database is locked".
    # IMMEDIATE: every transaction takes the write lock when it begins, so overlapping writers
    # queue for it (up to "timeout" seconds) instead of failing when a read turns into a write.
    # secure_delete: deleted rows are overwritten with zeros, so the ballots' copies as cast
    # (deleted by the close's shuffle) leave nothing behind in free pages.
    # page_size (first: it only takes effect on a database not yet written, and not once it is
    # in WAL mode): 16 KiB pages keep the large tables' indexes shallower, so a month of
    # 500,000 payments is written in about three quarters of the time of 4 KiB pages.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA secure_delete=ON;"
            ),
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Mail: SMTP when GRASSROOTS_EMAIL_HOST is set; printed to the console only in the demo;
# otherwise nothing is sent (a warning without the message is logged).
EMAIL_BACKEND = env.mail_backend(os.environ, GRASSROOTS_DEMO)
EMAIL_HOST = os.environ.get("GRASSROOTS_EMAIL_HOST", "localhost")
EMAIL_PORT = env.whole_number(os.environ, "GRASSROOTS_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("GRASSROOTS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GRASSROOTS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.flag(os.environ, "GRASSROOTS_EMAIL_STARTTLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("GRASSROOTS_FROM_EMAIL", "grassroots@localhost")

LANGUAGE_CODE = "en-gb"
# dates read "5 December 2026" everywhere (site/formats, grassroots.dates)
FORMAT_MODULE_PATH = ["grassroots.site.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# the result report's stylesheet, from the counting package (the CLI inlines it in its reports)
STATICFILES_DIRS = [("report", REPORT_STATIC)]
# Production serves what `grassroots serve` collected (`collectstatic`): hashed names, cached
# for a year, gzip and Brotli copies made once. The demo serves the files where they lie.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if GRASSROOTS_DEMO
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = GRASSROOTS_DEMO
WHITENOISE_AUTOREFRESH = GRASSROOTS_DEMO
# the health check answers over plain HTTP too (a load balancer's probe inside the network)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Long work (mail-outs, imports) runs as jobs on a queue kept in the database: `grassroots
# worker` runs them. Tests run them inline (tests/settings.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# a running job that has shown no progress for this long has lost its worker: it may be retried
GRASSROOTS_JOB_STALLED_SECONDS = env.whole_number(os.environ, "GRASSROOTS_JOB_STALLED_SECONDS", 300)

# Meeting papers, as published (each also recorded with its SHA-256).
MEDIA_ROOT = DATA_DIR / "media"

# Uploaded register files wait here between the error report and "import the valid rows".
IMPORT_STAGING_DIR = DATA_DIR / "imports"
# a staged file nobody confirmed is removed once older than this (swept at the next upload, or
# by `python -m django sweep_imports` from cron); a confirmed one is removed at once
IMPORT_STAGING_MAX_AGE_HOURS = int(os.environ.get("GRASSROOTS_IMPORT_STAGING_HOURS", "24"))
# a register file larger than this is refused before it is read (500,000 members fit)
IMPORT_MAX_BYTES = int(os.environ.get("GRASSROOTS_IMPORT_MAX_MB", "100")) * 1024 * 1024
# a register file up to both of these is checked in the request (about a second); a larger one
# by a job whose page shows its progress and then the report (docs/web.md, "Importing")
IMPORT_CHECK_IN_REQUEST_ROWS = int(
    os.environ.get("GRASSROOTS_IMPORT_CHECK_IN_REQUEST_ROWS", "5000")
)
IMPORT_CHECK_IN_REQUEST_BYTES = int(
    os.environ.get("GRASSROOTS_IMPORT_CHECK_IN_REQUEST_BYTES", str(1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Signing in (docs/deploy.md, "Signing in"): django-allauth, its MFA and django-axes -------
INSTALLED_APPS += [
    "grassroots.signin",  # before allauth: its templates replace allauth's
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    # officers who see personal data set up a second factor before anything else
    "grassroots.signin.middleware.OfficerSecondFactorMiddleware",
    # last: turns a locked-out sign-in into the page that explains it
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    # Django's and allauth's, reading the signed-in user in plain SQL (signin/backends.py)
    "grassroots.signin.backends.ModelBackend",
    "grassroots.signin.backends.AccountBackend",
]
ACCOUNT_ADAPTER = "grassroots.signin.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # the register's address is the member's; links prove it
ACCOUNT_LOGIN_BY_CODE_ENABLED = True  # "e-mail me a code" on the login page
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_PREVENT_ENUMERATION = True
# django-axes counts failed sign-ins and explains its lock-out; allauth's own limit on them off
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = os.environ.get("GRASSROOTS_MFA_ISSUER", "grassroots")
# an authenticator code read in the last seconds of its 30 reaches the server in the next
# ones: the step just gone and the next are accepted too (RFC 6238's allowance for delay)
MFA_TOTP_TOLERANCE = 1
# WebAuthn needs HTTPS except on localhost; the demo runs on plain HTTP
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = GRASSROOTS_DEMO
# Officers whose roles see personal data must have a second factor (on unless switched off)
GRASSROOTS_OFFICER_MFA = env.flag(os.environ, "GRASSROOTS_OFFICER_MFA", True)
# An invitation's sign-in link works once, for this many days
GRASSROOTS_INVITATION_DAYS = env.whole_number(os.environ, "GRASSROOTS_INVITATION_DAYS", 7)
AXES_FAILURE_LIMIT = env.whole_number(os.environ, "GRASSROOTS_SIGNIN_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.whole_number(os.environ, "GRASSROOTS_SIGNIN_LOCKOUT_MINUTES", 15)
)
# one count per account and another per address: either reaching the limit locks
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "grassroots.signin.lockout.username_tried"
AXES_LOCKOUT_TEMPLATE = "signin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# the connection's address, or behind a proxy the one it forwarded (grassroots.signin.lockout)
AXES_CLIENT_IP_CALLABLE = "grassroots.signin.lockout.client_address"
GRASSROOTS_BEHIND_PROXY = env.flag(os.environ, "GRASSROOTS_BEHIND_PROXY", False)
# --- end of signing in -----------------------------------------------------------------------
