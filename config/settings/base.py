"""Settings shared by every environment. Values come from the environment with safe defaults:
no DATABASE_URL means a SQLite file under var/, no REDIS_URL means jobs run in-process."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.apps.GuganAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "csp",
    "axes",
    "django_cas_ng",
    "core",
    "scoring",
    "teachers",
    "backbone",
    "records",
    "training",
    "contests",
    "mentoring",
    "groups",
    "assessment",
    "honours",
    "recognition",
    "documents",
    "home",
    "sso",
    "dataexport",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
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
                "core.context_processors.navigation",
            ],
        },
    },
]

_SQLITE_URL = f"sqlite:///{VAR_DIR / 'gugan.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_SQLITE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and immediate transactions let the in-process job thread write beside requests.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Argon2id (Django's parameters: 100 MiB, 2 passes) is stronger against guessing on graphics
# cards than PBKDF2 with a million rounds, for 0.5-0.7 of its CPU a login (measured side by
# side); PBKDF2 hashes made before are still checked and upgraded when their owner logs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Django's checks, in Gugan's words (core/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.password_validation.MinimumLengthValidator"},
    {"NAME": "core.password_validation.CommonPasswordValidator"},
    {"NAME": "core.password_validation.NumericPasswordValidator"},
]

# zh-hans is the default; English is the second catalogue.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package-lock.json) and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/idb", NODE_MODULES / "idb" / "build"),
]
# Attachments, job files and waiting imports go through the default storage: the file store
# under MEDIA_ROOT, or, with S3_BUCKET set, an S3-compatible object store (MinIO, Ceph, a
# cloud's) that several web and worker machines share.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            # Files are private: Gugan checks the scope and streams them, never a public URL.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Django's renderer, with menus (<select>) written in Python: core/renderers.py.
FORM_RENDERER = "core.renderers.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="gugan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Counted dashboards (the district overview) are cached. The default cache is per process; with
# several gunicorn workers set CACHE_URL to a Redis database of its own (not the broker's:
# clearing the cache empties its whole database), e.g. redis://127.0.0.1:6379/1.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Background jobs. REDIS_URL absent: jobs run in a thread of the web process (core.jobs).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or None
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True  # outcomes live in Job rows; only ping keeps a result
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="gugan")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
# Longer than the longest job, so a message is redelivered only when its worker really died.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 30 * 60,
    # Publishing to a Redis that is down gives up after one quick retry (0.1 s, not 6 s).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
}
# The web process must not hang when Redis is down: fail fast and tell the user.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_MAX_RETRIES = 1
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "files-cleanup": {"task": "core.files_cleanup", "schedule": 24 * 3600},
    "lock-expired-assessment-rounds": {
        "task": "assessment.lock_expired_rounds",
        "schedule": 24 * 3600,
    },
    "build-yearly-reports": {
        # Daily, and harmless to repeat: a school and year that have their report are skipped.
        "task": "assessment.build_yearly_reports",
        "schedule": crontab(hour=5, minute=30),
    },
    "send-duty-reminders": {"task": "assessment.send_duty_reminders", "schedule": 24 * 3600},
    "send-duty-digest": {
        "task": "assessment.send_duty_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    "send-session-reminders": {
        # The afternoon before: tomorrow's trainees are reminded once each.
        "task": "training.send_session_reminders",
        "schedule": crontab(hour=15, minute=0),
    },
    "expire-designations": {
        "task": "backbone.expire_designations",
        "schedule": 6 * 3600,
    },
}
JOBS_INLINE = False  # run jobs synchronously in the request (tests only)
JOB_MAX_ATTEMPTS = 3
# A running job's worker writes a heartbeat this often; a job silent for JOB_STALE_AFTER_SECONDS
# is shown as interrupted (its worker was killed) and may be retried.
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=10)
JOB_STALE_AFTER_SECONDS = env.float("JOB_STALE_AFTER_SECONDS", default=60)
# Attachments of professional records: what may be uploaded, checked by content, not name.
RECORD_UPLOAD_TYPES = env.list(
    "RECORD_UPLOAD_TYPES",
    default=["pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "jpg", "png"],
)
RECORD_UPLOAD_MAX_MB = env.int("RECORD_UPLOAD_MAX_MB", default=20)
# Classroom photos (课堂照片) and recordings (课堂实录) have their own types and limits.
RECORD_PHOTO_TYPES = env.list("RECORD_PHOTO_TYPES", default=["jpg", "png"])
RECORD_PHOTO_MAX_MB = env.int("RECORD_PHOTO_MAX_MB", default=10)
# The teacher's portrait printed on the dossier (embedded in every PDF: keep it small).
TEACHER_PHOTO_TYPES = env.list("TEACHER_PHOTO_TYPES", default=["jpg", "png"])
TEACHER_PHOTO_MAX_MB = env.int("TEACHER_PHOTO_MAX_MB", default=2)
RECORD_VIDEO_TYPES = env.list("RECORD_VIDEO_TYPES", default=["mp4", "mov"])
RECORD_VIDEO_MAX_MB = env.int("RECORD_VIDEO_MAX_MB", default=500)
# Files chosen at once on the entry page.
RECORD_UPLOAD_MAX_FILES = env.int("RECORD_UPLOAD_MAX_FILES", default=10)
# Spreadsheet imports (roster, designations), upload and command alike: limits that keep a
# hostile or broken file from taking the server down (README "Limits of imports").
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=5)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=1000)
# Everything inside an .xlsx file, unpacked (sheets, shared strings, styles, images).
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=50)
# Row problems listed on the error page and by the commands; all of them are counted.
IMPORT_MAX_ERRORS = env.int("IMPORT_MAX_ERRORS", default=200)
# Files with more rows are checked and imported by a background job, with a progress bar.
IMPORT_JOB_ROWS = env.int("IMPORT_JOB_ROWS", default=500)
# Mentoring: approving a mentor's pairing beyond this many current apprentices needs a
# deliberate "approve anyway".
YEARLY_REPORT_AFTER = env.str("YEARLY_REPORT_AFTER", default="09-01")  # MM-DD after a year ends
DUTY_REMINDER_WEEKS = env.int("DUTY_REMINDER_WEEKS", default=4)
MENTOR_MAX_APPRENTICES = env.int("MENTOR_MAX_APPRENTICES", default=3)
# Training (see docs): missing this share of a programme's sessions ends a trainee's place;
# the QR sign-in code changes every TRAINING_QR_STEP_SECONDS (the previous code still works).
TRAINING_ABSENCE_SHARE = env.str("TRAINING_ABSENCE_SHARE", default="0.33")
TRAINING_QR_STEP_SECONDS = env.int("TRAINING_QR_STEP_SECONDS", default=25)
# The one source of the training-hours thresholds (继续教育学时): every teacher's 72/24 meter,
# the assessment's hours rule, the data export, and the default backbone duty of a new
# district (a district may then change its own duty template).
TRAINING_HOURS_PER_YEAR = env.int("TRAINING_HOURS_PER_YEAR", default=72)
TRAINING_SCHOOL_BASED_HOURS = env.int("TRAINING_SCHOOL_BASED_HOURS", default=24)
JOB_FILE_RETENTION_DAYS = env.int("JOB_FILE_RETENTION_DAYS", default=7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint's step-by-step INFO messages make a dossier about 3 times slower.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # its banner and a line per successful login
    },
}

# -- Security -------------------------------------------------------------------------------------
# A session ends SESSION_COOKIE_AGE seconds after it was last saved.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Activity extends it: the session is saved again at most every SESSION_REFRESH_SECONDS
# (core.middleware.SlidingSessionMiddleware), not on every request.
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

# Set only when a reverse proxy in front of Gugan overwrites X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For; without such a proxy anyone could fake both headers.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused, even with the right password, for the cool-off time.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: it refuses before a password is checked
    # The Gugan password; only superusers' when PASSWORD_LOGIN is off.
    "sso.backends.PasswordBackend",
    # Single sign-on: each answers only when its protocol is switched on (sso/, README).
    "sso.backends.LDAPBackend",
    "sso.backends.CASBackend",
    "sso.backends.OIDCBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # failures are still logged; no banner per login
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_WHITELIST_CALLABLE = "sso.backends.not_a_password"  # CAS tickets, OIDC codes

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, so an
# injected <script> or on…= attribute does not run. Templates keep to it: no inline scripts,
# event handlers or style attributes (tests/core/test_security.py checks them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVG
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "worker-src": [SELF],  # the service worker at /sw.js (core.offline)
        "manifest-src": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# -- Single sign-on (README "Single sign-on"; sso/) ----------------------------------------------
# Off: only superusers sign in with a Gugan password; everyone else through CAS, OIDC or LDAP.
PASSWORD_LOGIN = env.bool("PASSWORD_LOGIN", default=True)
# Which Gugan field identifies a person signing in (staff_no, email or phone), and the attribute
# (claim) of the identity service that carries it; each protocol may name its own.
SSO_MATCH_FIELD = env.str("SSO_MATCH_FIELD", default="staff_no")
SSO_MATCH_CLAIM = env.str("SSO_MATCH_CLAIM", default="employeeNumber")
# Optional: an attribute holding the school code, for staff numbers that repeat across schools.
SSO_SCHOOL_CLAIM = env.str("SSO_SCHOOL_CLAIM", default="")
SSO_NAME_CLAIM = env.str("SSO_NAME_CLAIM", default="displayName")
SSO_EMAIL_CLAIM = env.str("SSO_EMAIL_CLAIM", default="mail")
# Unknown people get a page saying whom to ask, unless their attributes map to a school and a
# role: SSO_ROLE_CLAIM names the attribute, SSO_ROLE_MAP maps its values, e.g.
# "teacher-gl01=GL01:teacher,head-gl01=GL01:principal" (value=school code:role).
SSO_ROLE_CLAIM = env.str("SSO_ROLE_CLAIM", default="")
SSO_ROLE_MAP = env.dict("SSO_ROLE_MAP", default={})
SSO_HELP_CONTACT = env.str("SSO_HELP_CONTACT", default="")

CAS_ENABLED = env.bool("CAS_ENABLED", default=False)
CAS_SERVER_URL = env.str("CAS_SERVER_URL", default="")
CAS_VERSION = env.str("CAS_VERSION", default="3")
CAS_MATCH_CLAIM = env.str("CAS_MATCH_CLAIM", default="")  # empty: SSO_MATCH_CLAIM
CAS_BUTTON_LABEL = env.str("CAS_BUTTON_LABEL", default="")
# Logging out of Gugan also ends the CAS session (single logout at the CAS server).
CAS_LOGOUT_COMPLETELY = env.bool("CAS_LOGOUT_COMPLETELY", default=True)
CAS_CREATE_USER = False  # people are matched by sso.services, never created by the client
CAS_REDIRECT_URL = "/"
CAS_IGNORE_REFERER = True  # without ?next=, the home page (not the login page it came from)
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None

OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_ENDPOINT", default="") or None
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid profile email")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_MATCH_CLAIM = env.str("OIDC_MATCH_CLAIM", default="")
OIDC_BUTTON_LABEL = env.str("OIDC_BUTTON_LABEL", default="")
OIDC_STORE_ID_TOKEN = True  # the hint for logging out at the provider
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/sso/refused/"  # a path: the library does not reverse it

LDAP_ENABLED = env.bool("LDAP_ENABLED", default=False)
AUTH_LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
AUTH_LDAP_START_TLS = env.bool("LDAP_START_TLS", default=False)
AUTH_LDAP_BIND_DN = env.str("LDAP_BIND_DN", default="")
AUTH_LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", default="")
# Either a DN template ("uid=%(user)s,ou=people,dc=example,dc=cn") or a search base and filter.
AUTH_LDAP_USER_DN_TEMPLATE = env.str("LDAP_USER_DN_TEMPLATE", default="") or None
LDAP_USER_SEARCH_BASE = env.str("LDAP_USER_SEARCH_BASE", default="")
LDAP_USER_FILTER = env.str("LDAP_USER_FILTER", default="(uid=%(user)s)")
AUTH_LDAP_BIND_AS_AUTHENTICATING_USER = True
AUTH_LDAP_ALWAYS_UPDATE_USER = False  # Gugan's own fields stay Gugan's
LDAP_MATCH_CLAIM = env.str("LDAP_MATCH_ATTRIBUTE", default="")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Logging out posts a form whose answer redirects to the identity service (CAS logout, the
# provider's end-session page); form-action must allow that origin or the browser blocks it.
SSO_LOGOUT_ORIGINS = [
    origin
    for origin in (
        _origin(CAS_SERVER_URL) if CAS_ENABLED and CAS_LOGOUT_COMPLETELY else "",
        _origin(OIDC_OP_LOGOUT_ENDPOINT) if OIDC_ENABLED else "",
    )
    if origin
]
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += SSO_LOGOUT_ORIGINS
# -- REST API (api/) ------------------------------------------------------------------------------
# Bearer tokens only (api.authentication): no session cookies, so no CSRF on the API. The rates
# are counted in the default cache (CACHES): with several workers give it a shared Redis.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api"]
API_THROTTLE_RATES = {
    "api_read": env.str("API_RATE_READ", default="1200/hour"),
    "api_push": env.str("API_RATE_PUSH", default="120/hour"),
    "api_anon": env.str("API_RATE_ANON", default="300/hour"),  # the schema and its page
}
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=100)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
API_PUSH_MAX_ENTRIES = env.int("API_PUSH_MAX_ENTRIES", default=1000)
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=365)  # default lifetime of a new token
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gugan API",
    "DESCRIPTION": "Schools, teachers, designations, verified records, the training-hours "
    "ledger and posted assessment results, each as its user sees them; training hours pushed "
    "by the continuing-education platform.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Password reset by email (Django's views): requests are counted per email address and per client
# address in the cache, like the login's lockout (django-axes). A school's staff often share one
# address behind its router: that limit is the larger one.
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=5)
PASSWORD_RESET_IP_LIMIT = env.int("PASSWORD_RESET_IP_LIMIT", default=20)
PASSWORD_RESET_WINDOW = timedelta(minutes=env.int("PASSWORD_RESET_WINDOW_MINUTES", default=15))
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)
