# Over 400 lines: every setting in one place, each with the reason for its default.
"""Settings, read from the environment.

Development works with no configuration at all (SQLite under ``var/``, console email).
Production (``DJANGO_ENV=production``) refuses to start without a secret key and allowed
hosts, because a default in either place would be a silent security hole.
"""

import hashlib
from datetime import time
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from babysteps.core.languages import PORTAL_LANGUAGES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("BABYSTEPS_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables set: "
            + ", ".join(missing)
            + ". Refusing to start with a default."
        )
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    # Development only: a fixed key so sessions survive restarts. Never used in production.
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# The key of the audit trail's hash chain (an HMAC: without it the chain cannot be rebuilt
# to hide a change). Derived from SECRET_KEY unless set; set it so that rotating SECRET_KEY
# leaves the chain verifiable, and keep it out of the database and its backups.
AUDIT_CHAIN_KEY = (
    env.str("AUDIT_CHAIN_KEY", default="")
    or hashlib.sha256(f"babysteps.audit.chain:{SECRET_KEY}".encode()).hexdigest()
)
DEBUG = env.bool("DEBUG", default=False)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "babysteps.accounts.apps.BabyStepsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "ninja",
    # Before django-tasks: its db_worker command is the one that survives a lost database.
    "babysteps.core",
    "django_tasks",
    "django_tasks_db",
    "babysteps.accounts",
    "babysteps.licensing",
    "babysteps.staff",
    "babysteps.programme",
    "babysteps.families",
    "babysteps.cohorts",
    "babysteps.bookings",
    "babysteps.delivery",
    "babysteps.audit",
    "babysteps.notifications",
    "babysteps.measures",
    "babysteps.alerts",
    "babysteps.evaluation",
    "babysteps.api",
    "babysteps.home",
    "babysteps.videos",
    "babysteps.portal",
    "babysteps.safeguarding",
    "babysteps.campaigns",
    "babysteps.privacy",
    "babysteps.demo",
    "babysteps.imports",
    "babysteps.national",
    "babysteps.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "babysteps.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "babysteps.core.middleware.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "babysteps.portal.middleware.PortalLanguageMiddleware",
    "babysteps.accounts.sessions.StaffSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "babysteps.audit.middleware.AuditChannelMiddleware",
]

ROOT_URLCONF = "babysteps.urls"
WSGI_APPLICATION = "babysteps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "babysteps" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "babysteps.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set -------------
# WAL lets the web server read while the task worker writes; IMMEDIATE takes the write lock
# at BEGIN so concurrent writers queue instead of failing. Kept for SQLite however it is
# named (the default file or a sqlite:/// DATABASE_URL).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {
            **SQLITE_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
    elif env.bool("DATABASE_POOL", default=True):
        # Django's psycopg pool: each process keeps a few connections open and lends one to
        # each request or thread (persistent connections are the pool's job, not Django's).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
        # A connection cut while idle in the pool is replaced, not lent out.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    else:
        DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "babysteps.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }

# Reports read from a replica when one is named (babysteps/core/replica.py); tests run it
# as a mirror of the primary. Its connections are pooled like the primary's.
if env.str("DATABASE_REPLICA_URL", default=""):
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL.")
    _replica = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"] = {
        **_replica,
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["babysteps.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "babysteps.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock the (username, IP) pair, never the username alone, so that nobody can
# lock a practitioner out of their account from one address with a list of usernames.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Case variants and spaces of one email are one account (babysteps/accounts/lockout.py).
AXES_USERNAME_CALLABLE = "babysteps.accounts.lockout.axes_username"
# Failures against one account from any addresses before its password is checked only
# together with a code from its second factor (the real person still signs in).
SIGN_IN_STEP_UP_FAILURES = env.int("SIGN_IN_STEP_UP_FAILURES", default=10)
SIGN_IN_STEP_UP_WINDOW_SECONDS = env.int("SIGN_IN_STEP_UP_WINDOW_SECONDS", default=3600)
# The client's address for every limit: see babysteps/core/ratelimit.py. Behind a TLS
# proxy (nginx, a load balancer) set TRUSTED_PROXY_COUNT to the number of proxies in front.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "babysteps.core.ratelimit.client_address"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# A staff session ends after this long without a request, and this long after sign-in
# whatever happens (babysteps/accounts/sessions.py).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_ABSOLUTE_HOURS = env.float("SESSION_ABSOLUTE_HOURS", default=8)
# An invitation to a new member of staff works once, for this long.
STAFF_INVITATION_DAYS = env.int("STAFF_INVITATION_DAYS", default=7)
# API tokens for integrations expire after this many days unless created with --days.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = 366
# A staff password-reset link works once, for this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation ----------------------------------------------------------------
# Staff pages are in English; the parent portal and every message to parents are in the
# parent's language (babysteps/locale: Welsh, Polish and Urdu, drafts for a translator's
# review; see docs/languages.md).
LANGUAGE_CODE = "en-gb"
LANGUAGES = list(PORTAL_LANGUAGES)
LOCALE_PATHS = [BASE_DIR / "babysteps" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Cache: the rate limits (sign-in, the portal, password resets) must be shared by every
# process, or each web worker would allow the limit again. The database by default (no
# extra service; ``migrate`` creates the table), Redis with CACHE_URL=redis://host:6379/1.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://babysteps_cache")}
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if PRODUCTION and CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL points at a per-process cache: rate limits would not hold across web "
        "processes. Leave CACHE_URL unset (the database) or use Redis (redis://host:6379/1)."
    )

# --- Static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    # Production: hashed, compressed copies made by collectstatic (start-up refuses without
    # their manifest). Development: the apps' files as they are, no collectstatic needed.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded files are private: there is deliberately no MEDIA_URL route; views stream them.
# MEDIA_STORAGE=s3 keeps them in object storage instead (the optional extra ``[s3]``:
# django-storages), in a private bucket; with VIDEO_SERVE=redirect a player is sent to a
# signed URL that works for VIDEO_SIGNED_URL_SECONDS. Credentials come from the usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role), never from a file here.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
VIDEO_SIGNED_URL_SECONDS = env.int("VIDEO_SIGNED_URL_SECONDS", default=900)
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="eu-west-2"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": VIDEO_SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be filesystem or s3.")

# --- Background tasks ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# --- Email ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Baby Steps <no-reply@babysteps.local>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# --- Text messages: console by default; GOV.UK Notify in production ----------------------
SMS_BACKEND = env.str("SMS_BACKEND", default="babysteps.notifications.sms.ConsoleSmsBackend")
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
# No message reaches a parent between these times (local), whatever else applies.
MESSAGE_QUIET_HOURS = (
    time.fromisoformat(env.str("MESSAGE_QUIET_FROM", default="21:00")),
    time.fromisoformat(env.str("MESSAGE_QUIET_TO", default="08:00")),
)

# Weekly programme tips (for parents who opted in) go from this weekday (0 = Monday) and time.
WEEKLY_TIPS_WEEKDAY = env.int("WEEKLY_TIPS_WEEKDAY", default=0)
WEEKLY_TIPS_AT = time.fromisoformat(env.str("WEEKLY_TIPS_AT", default="10:00"))

# A home visit at least this many minutes shorter than planned counts as shortened, and
# (like one made by the health practitioner alone) gets a follow-up call within this many
# working days from the children's services co-facilitator.
HOME_VISIT_SHORTENED_BY_MINUTES = env.int("HOME_VISIT_SHORTENED_BY_MINUTES", default=10)
# A call with an interpreter takes longer: its booking holds this many minutes more than
# the slot it starts in (the next slot is then taken too, if it overlaps).
INTERPRETED_CALL_EXTRA_MINUTES = env.int("INTERPRETED_CALL_EXTRA_MINUTES", default=15)
# The national dashboard's figures are recomputed at most this often (seconds; 0: always).
NATIONAL_SNAPSHOT_SECONDS = env.int("NATIONAL_SNAPSHOT_SECONDS", default=600)
# A facilitator's training is refreshed within this many years of completing it.
TRAINING_REFRESHER_YEARS = env.int("TRAINING_REFRESHER_YEARS", default=3)
FOLLOW_UP_WORKING_DAYS = env.int("FOLLOW_UP_WORKING_DAYS", default=2)

# --- Security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Extra frame sources for embedded private video links, e.g. "https://player.vimeo.com".
CSP_FRAME_SRC = env.list("CSP_FRAME_SRC", default=[])
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Error reports mask every local variable and POST value (see babysteps/core/errors.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "babysteps.core.errors.PrivateExceptionReporterFilter"

# --- Logging: no personal data or free text; errors name the view, never the payload -----
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query": {"()": "babysteps.core.logging.DropQueryStrings"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Request lines (runserver's, Django's "Not Found: ..."): no query strings.
        "requests": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One line per task run is noise; failures are still logged.
        "django_tasks": {"level": "WARNING"},
        "django.server": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["requests"], "level": "WARNING", "propagate": False},
    },
}

# --- Programme settings -------------------------------------------------------------------
# Page size for caseload and other lists.
PAGE_SIZE = env.int("PAGE_SIZE", default=25)
# How far ahead and behind an estimated due date may be when a family is recorded.
EDD_MAX_MONTHS_AHEAD = 10
EDD_MAX_MONTHS_BEHIND = 12
# Where staff reach the site: links in staff emails (which never carry family details).
# Set it in production; failing that, the first allowed host over HTTPS.
SITE_URL = env.str(
    "SITE_URL",
    default=f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
# Safe-and-well check: failed call attempts before "not reached" may be recorded.
SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED = env.int(
    "SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED", default=3
)
# Password of every demo account (``manage.py demo``; refused in production).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="babysteps-demo")
# Every demo staff account's authenticator app (base32): add it to an app to sign in.
DEMO_TOTP_SECRET = env.str("DEMO_TOTP_SECRET", default="BABYSTEPSDEMOTOTPSECRETKEY234567")

# --- The second factor every member of staff passes (django-otp, passkeys) -----------------
OTP_TOTP_ISSUER = "Baby Steps"
OTP_WEBAUTHN_RP_NAME = "Baby Steps"
# Passkeys belong to the site's domain and need https (or http://localhost): in
# development, open http://localhost:8000 rather than 127.0.0.1 to add one.
_localhost_url = SITE_URL.replace("://127.0.0.1", "://localhost")
OTP_WEBAUTHN_RP_ID = env.str(
    "OTP_WEBAUTHN_RP_ID", default=_localhost_url.split("://", 1)[1].split("/")[0].split(":")[0]
)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "OTP_WEBAUTHN_ALLOWED_ORIGINS",
    default=[_localhost_url.split("/", 3)[0] + "//" + _localhost_url.split("/", 3)[2]],
)
# A passkey is a second factor here, never a way round the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# --- Questionnaires, safety alerts and the evaluation ----------------------------------------
# A content file (YAML or JSON) with the licensed full wording of copyrighted instruments
# (EPDS, WEMWBS), supplied by the deploying organisation under its own permission. Without it
# the questionnaire pages show short item labels and say why. ``load_instruments`` reads it.
MEASURES_WORDING_FILE = env.str("MEASURES_WORDING_FILE", default="")
# Unacknowledged safety alerts go to the site manager after this many working hours.
ALERT_ESCALATION_WORKING_HOURS = env.float("ALERT_ESCALATION_WORKING_HOURS", default=4.0)
# Evaluation figures from fewer completers than this are suppressed on pages and exports.
EVALUATION_MIN_CELL = env.int("EVALUATION_MIN_CELL", default=5)
# A participant's delivered mode, from the share of what they attended that was remote
# (phone or video call): face-to-face up to the first, remote from the second, else blended.
DELIVERED_MODE_FACE_TO_FACE_MAX = env.float("DELIVERED_MODE_FACE_TO_FACE_MAX", default=0.2)
DELIVERED_MODE_REMOTE_MIN = env.float("DELIVERED_MODE_REMOTE_MIN", default=0.8)

# --- Data protection (docs/data-protection.md) ------------------------------------------
# Subject access: withhold free text the NSPCC team wrote about a referral (outcome notes,
# call notes, onward references), which may be about other people. The organisation's
# choice; the export says what was withheld.
SUBJECT_ACCESS_REDACT_THIRD_PARTIES = env.bool("SUBJECT_ACCESS_REDACT_THIRD_PARTIES", default=True)
# When the daily retention job runs (local time, hour of the day); it runs once a day.
RETENTION_HOUR = env.int("RETENTION_HOUR", default=2)
# Key for the stable pseudonyms in evaluation exports. Defaults to one derived from
# SECRET_KEY; set it explicitly so that rotating SECRET_KEY keeps pseudonyms stable.
PSEUDONYM_KEY = env.str("PSEUDONYM_KEY", default="")

# --- Video library and parent portal -------------------------------------------------------
# Links in messages to parents (sign-in links, released videos) use SITE_URL (above).
VIDEO_MAX_UPLOAD_MB = env.int("VIDEO_MAX_UPLOAD_MB", default=500)
# A video counts as watched once this share of its length has really been played.
VIDEO_WATCHED_FRACTION = env.float("VIDEO_WATCHED_FRACTION", default=0.9)
# A component's videos open to a family this many days before its call or session.
VIDEO_RELEASE_DAYS_BEFORE = env.int("VIDEO_RELEASE_DAYS_BEFORE", default=3)
# A family that has not watched them this many days before the call gets one reminder.
VIDEO_REMINDER_DAYS_BEFORE = env.int("VIDEO_REMINDER_DAYS_BEFORE", default=2)
# Families see videos in their language where a component has some, else in this one.
VIDEO_DEFAULT_LANGUAGE = env.str("VIDEO_DEFAULT_LANGUAGE", default="English")
# Who sends the bytes once the app has allowed a request: app, x-accel-redirect (nginx),
# x-sendfile (Apache, lighttpd) or redirect (signed object-storage URLs). See README.
VIDEO_SERVE = env.str("VIDEO_SERVE", default="app")
VIDEO_ACCEL_PREFIX = env.str("VIDEO_ACCEL_PREFIX", default="/protected-media/")
if VIDEO_SERVE not in ("app", "x-accel-redirect", "x-sendfile", "redirect"):
    raise ImproperlyConfigured("VIDEO_SERVE must be app, x-accel-redirect, x-sendfile or redirect.")
if VIDEO_SERVE == "redirect" and MEDIA_STORAGE != "s3":
    raise ImproperlyConfigured(
        "VIDEO_SERVE=redirect sends players to signed object-storage URLs: it needs "
        "MEDIA_STORAGE=s3 (or serve with app, x-accel-redirect or x-sendfile)."
    )
# Passwordless sign-in for parents: one-time link or 6-digit code.
PORTAL_CODE_MINUTES = env.int("PORTAL_CODE_MINUTES", default=15)
# A message claimed by a worker that has not said how the sending went after this long is
# "unknown" (shown to NSPCC admins, never re-sent blindly).
MESSAGE_SENDING_TIMEOUT_MINUTES = env.int("MESSAGE_SENDING_TIMEOUT_MINUTES", default=10)
# Workers claim due messages this many at a time (one statement), then send and mark each
# sent one by one: a worker that stops mid-batch leaves at most one message unaccounted for.
MESSAGE_BATCH_SIZE = env.int("MESSAGE_BATCH_SIZE", default=100)
# A task "running" this long belonged to a worker that stopped: the periodic sweeper queues
# it again, or fails it once this many workers have each claimed it.
TASK_RUNNING_TIMEOUT_MINUTES = env.int("TASK_RUNNING_TIMEOUT_MINUTES", default=10)
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=3)
# A worker that loses the database waits 1 s, 2 s, 4 s... up to this, then keeps trying.
TASK_WORKER_RECONNECT_MAX_SECONDS = env.int("TASK_WORKER_RECONNECT_MAX_SECONDS", default=60)
PORTAL_CODE_ATTEMPTS = env.int("PORTAL_CODE_ATTEMPTS", default=5)  # guesses per code
PORTAL_REQUESTS_PER_ADDRESS = env.int("PORTAL_REQUESTS_PER_ADDRESS", default=3)  # per 15 min
PORTAL_REQUESTS_PER_IP = env.int("PORTAL_REQUESTS_PER_IP", default=20)  # per hour
PORTAL_GUESSES_PER_IP = env.int("PORTAL_GUESSES_PER_IP", default=30)  # per hour
PORTAL_SESSION_DAYS = env.int("PORTAL_SESSION_DAYS", default=14)
# A player's burst of range requests for one video re-uses the access decision this long
# (per session and parent); 0 checks every request in full.
PORTAL_STREAM_GRANT_SECONDS = env.int("PORTAL_STREAM_GRANT_SECONDS", default=30)
# Questionnaires parents answer in the portal (instrument codes); empty: every active one
# whose full wording is loaded.
PORTAL_QUESTIONNAIRES = env.list("PORTAL_QUESTIONNAIRES", default=[])
