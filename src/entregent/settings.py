"""Entregent settings: every knob comes from the environment (django-environ), with defaults
that let `entregent demo` run on a fresh machine with nothing configured.

See docs/configuration.md for the list of variables.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

ENTREGENT_ENV = env.str("ENTREGENT_ENV", default="development")
PRODUCTION = ENTREGENT_ENV == "production"
TESTING = bool(os.environ.get("PYTEST_VERSION")) or env.bool("ENTREGENT_TESTING", default=False)

DATA_DIR = Path(env.str("ENTREGENT_DATA_DIR", default=str(Path.cwd() / ".entregent"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from SECRET_KEY, else one generated once and kept in the data directory."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "entregent.core",
    "entregent.accounts",
    "entregent.profiles",
    "entregent.network",
    "entregent.plans",
    "entregent.trust",
    "entregent.messaging",
    "entregent.api",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "entregent.plans.engine.RequestStandingsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "entregent.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "entregent.urls"
WSGI_APPLICATION = "entregent.wsgi.application"
ASGI_APPLICATION = "entregent.asgi.application"

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
                "entregent.core.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'entregent.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection pool per process; off under tests, where threads share the test database.
    if env.bool("DATABASE_POOL", default=not TESTING):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache, throttles ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "entregent",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks ----------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django_tasks.backends.immediate.ImmediateBackend"
                if TESTING
                else "django_tasks_db.DatabaseBackend"
            ),
        )
    }
}

# --- Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "entregent.accounts.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "entregent.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[{}] ".format(env.str("SITE_NAME", default="Entregent"))
# Tell members by mail when their password, email addresses or two-step settings change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("SITE_NAME", default="Entregent")
# Accept the code of the previous and next 30-second step too: phones' clocks drift (RFC 6238 §6).
MFA_TOTP_TOLERANCE = 1
# Behind N reverse proxies, the client's IP (for rate limits and the sessions page) is the Nth
# address from the right of X-Forwarded-For. 0 = use the socket's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
USERSESSIONS_TRACK_ACTIVITY = True

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Mail ----------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Entregent <no-reply@entregent.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "EMAIL_URL" in os.environ:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Mails are written to the data directory; the demo shows them at /outbox/.
    EMAIL_BACKEND = "entregent.core.mail.OutboxBackend"
EMAIL_OUTBOX_DIR = DATA_DIR / "outbox"

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING").upper()},
}

# --- Entregent -----------------------------------------------------------------------------------
SITE_NAME = env.str("SITE_NAME", default="Entregent")
# Absolute links in mails sent outside a request (daily jobs), e.g. https://network.example.org
SITE_URL = env.str("SITE_URL", default="")
# Payment providers members may choose (see docs/payments.md); "test" pays instantly and never runs in production.
PAYMENT_PROVIDERS = env.list("PAYMENT_PROVIDERS", default=["manual"] if PRODUCTION else ["manual", "test"])
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
# The demo mode shows the mail outbox and demo logins; never on with ENTREGENT_ENV=production.
DEMO = env.bool("ENTREGENT_DEMO", default=False) and not PRODUCTION
SHOW_OUTBOX = not PRODUCTION and EMAIL_BACKEND == "entregent.core.mail.OutboxBackend"

# --- The network and trust (docs/configuration.md, docs/moderation.md) ---------------------------
# How often each process reads the graph's change log (seconds): an accepted invitation shows in every
# process's degrees within this time plus one request.
GRAPH_POLL_SECONDS = env.float("GRAPH_POLL_SECONDS", default=0.25)
# The web server builds the graph index in the background at start instead of on the first page.
GRAPH_WARM_AT_START = env.bool("GRAPH_WARM_AT_START", default=True)
ENTREGENT_MAX_CONNECTIONS = env.int("ENTREGENT_MAX_CONNECTIONS", default=30_000)
TRUST_RISK_MEDIUM = env.int("TRUST_RISK_MEDIUM", default=30)
TRUST_RISK_HIGH = env.int("TRUST_RISK_HIGH", default=60)
TRUST_RESTRICT_DAYS = env.int("TRUST_RESTRICT_DAYS", default=14)
TRUST_AUTO_RESTRICT_WINDOW_DAYS = env.int("TRUST_AUTO_RESTRICT_WINDOW_DAYS", default=30)
TRUST_AUTO_RESTRICT_MIN_INVITATIONS = env.int("TRUST_AUTO_RESTRICT_MIN_INVITATIONS", default=20)
TRUST_AUTO_RESTRICT_RATE = env.float("TRUST_AUTO_RESTRICT_RATE", default=0.5)
TRUST_AUTO_RESTRICT_REPORTS = env.int("TRUST_AUTO_RESTRICT_REPORTS", default=3)
TRUST_AUTO_RESTRICT_DAYS = env.int("TRUST_AUTO_RESTRICT_DAYS", default=14)

# --- Messaging (docs/configuration.md) -----------------------------------------------------------------
# Unread messages are mailed after this many seconds (at most one mail per conversation an hour).
MESSAGING_MAIL_DELAY = env.int("MESSAGING_MAIL_DELAY", default=600)
# Redis channel prefix of live updates (several instances may share one Redis).
MESSAGING_LIVE_PREFIX = env.str("MESSAGING_LIVE_PREFIX", default="entregent:live:")
