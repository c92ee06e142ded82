"""Settings of the Civil Society Portal, read from environment variables.

Every variable is documented in README.md and `.env.example`. Defaults are safe for local use;
with DEBUG off, a missing production setting stops the start with a one-line explanation.
"""

import datetime
import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")


# --- Core --------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-never-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    # A one-line explanation rather than a traceback: this is an operator's mistake.
    if not SECRET_KEY:
        sys.exit(
            "Configuration error: SECRET_KEY is not set. With DEBUG off, set SECRET_KEY to a "
            "long random string (see README.md, Configuration)."
        )
    if not ALLOWED_HOSTS:
        sys.exit(
            "Configuration error: ALLOWED_HOSTS is not set. With DEBUG off, list the portal's "
            "host names, comma-separated (see README.md, Configuration)."
        )

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"
SITE_ID = 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Applications ------------------------------------------------------------------------------

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Full-text search and trigram similarity in the directory (inert on SQLite).
    "django.contrib.postgres",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "simple_history",
    "portal",
    "organizations",
    "events",
    "news",
    "outbox",
    "exports",
    "logistics",
    # After the project's apps: their ready() must not freeze the user model's relations before
    # the history models are registered (an erased user must take its history authorship).
    # Failed sign-ins counted in the database (every worker and server sees them): lockout.
    "axes",
    # Two-factor authentication of staff: authenticator apps (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "organizations.origin.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a sign-in, the language cookie follows the account's language (portal/i18n.py).
    "portal.i18n.AccountLanguageMiddleware",
    # Records the signed-in person as the author of the changes a request makes.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Before anything reads the body (CSRF's check reads the form in its process_view).
    "portal.middleware.RequestSizeLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.twofactor.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.cache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a locked-out sign-in into the "locked" page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]


# --- Database ----------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE: a transaction takes the write lock when it starts, so two concurrent writers
    # wait for each other instead of failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )


# --- Cache -------------------------------------------------------------------------------------

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://portal")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that is down or slow costs a cache miss (and a warning), never a page.
    CACHES["default"]["BACKEND"] = "portal.cache_backends.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry_on_timeout": False}
    )
# Sessions in the database, read through the cache: shared by every server, and kept when the
# cache is emptied or down.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Anonymous public pages are cached this long at most (0 turns the page cache off); any change
# to the content invalidates them at once (portal/cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# Figures that several renders share (the directory's facet counts, the network's charts) are
# kept this long at most, and forgotten at the first change to what they count (0: never kept).
MEMO_CACHE_SECONDS = env.int("MEMO_CACHE_SECONDS", default=3600)


# --- Exports -----------------------------------------------------------------------------------

# The open-data files are rebuilt this many seconds after the first change to what they show
# (later changes in that time join the same rebuild).
OPEN_DATA_REBUILD_DELAY = env.int("OPEN_DATA_REBUILD_DELAY", default=5)
# How long a server trusts, per data version, that the prepared file is current before it
# checks the data again (a bulk update that sends no signal shows within this time).
OPEN_DATA_CHECK_SECONDS = env.int("OPEN_DATA_CHECK_SECONDS", default=60)
# An organizer's export of more rows than this is prepared in the background (about a second).
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=2000)
# Prepared organizer exports are deleted after this many days.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)


# --- Forum logistics (logistics/) -------------------------------------------------------------

# Passport data entered for invitation letters is erased this many days after the event ends.
PASSPORT_DATA_RETENTION_DAYS = env.int("PASSPORT_DATA_RETENTION_DAYS", default=30)


# --- Email -------------------------------------------------------------------------------------

# EMAIL_URL expands to EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ...
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="EU–Central Asia CSO Portal <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP connection may block (Django's default is forever).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=20)

# Every email goes through the outbox (outbox/): written in the transaction of the change that
# causes it, then delivered by a task through the backend from EMAIL_URL, with retries.
OUTBOX_DELIVERY_BACKEND = EMAIL_BACKEND  # noqa: F821 (set from EMAIL_URL above)
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
# A claimed mail is another worker's after this many seconds (a worker that died mid-batch);
# at least 10 times EMAIL_TIMEOUT, so that a slow mail server never makes two workers send it.
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=300)
# Retries: after 1, 2, 4 ... minutes (at most an hour apart), OUTBOX_MAX_ATTEMPTS in all.
OUTBOX_RETRY_SECONDS = env.float("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
# Sent mail (its text holds links with tokens) is deleted after this many days.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)


# --- Background tasks (Celery) -----------------------------------------------------------------

# Without a broker, tasks run in the process that queues them, right after the commit.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="portal")
# A broker that is down must cost a request milliseconds, not seconds: no retries when
# publishing (the outbox's sweep sends what could not be queued), short connection timeouts.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# The outbox's sweep: mail whose task was lost (broker down at commit, worker killed) or
# whose retry is due.
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=60)
# Newsletters (news/sending.py): mails a second a sending task hands to the mail server (0: as
# fast as it takes them), the lease of a claimed batch, and how often the sweep starts scheduled
# newsletters and resumes those of a worker that died.
NEWSLETTER_RATE = env.float("NEWSLETTER_RATE", default=10)
# Sending tasks side by side for one newsletter (each takes its share of the rate).
NEWSLETTER_TASKS = env.int("NEWSLETTER_TASKS", default=2)
NEWSLETTER_LEASE_SECONDS = env.float("NEWSLETTER_LEASE_SECONDS", default=OUTBOX_LEASE_SECONDS)
NEWSLETTER_SWEEP_SECONDS = env.float("NEWSLETTER_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "outbox.sweep", "schedule": OUTBOX_SWEEP_SECONDS},
    # Passport data of past events (logistics/): erased once the retention period is over.
    "erase-passport-data": {"task": "logistics.erase_passport_data", "schedule": 3600},
    "newsletter-sweep": {"task": "news.sweep", "schedule": NEWSLETTER_SWEEP_SECONDS},
}


# --- Authentication ----------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Members sign in with their email address (organizers may still use their user name).
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in (site or admin) of a locked-out account or address.
    "axes.backends.AxesStandaloneBackend",
    "organizations.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/my/"
LOGOUT_REDIRECT_URL = "/"

# Lockout after failed sign-ins (django-axes), on the site's and the admin's login alike: an
# account, or an address, with LOGIN_FAILURE_LIMIT failures is locked for LOGIN_LOCKOUT_MINUTES
# (counted from the last failure). Organizers unlock earlier in the admin (Axes › Access
# attempts: delete the rows) or with `manage.py axes_reset_username` / `axes_reset_ip`.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "portal.security.login_username"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.security.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Keep only failures (successful sign-ins are not logged by axes).
AXES_DISABLE_ACCESS_LOG = True

# Client addresses: how many reverse proxies of our own stand in front of gunicorn, each
# appending to X-Forwarded-For (nginx: 1; a load balancer in front of nginx: 2). With 0 the
# address is the connection's own, and any X-Forwarded-For is ignored.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

# Staff (organizers, coordinators, check-in staff) confirm their sign-in with a code from an
# authenticator app or a recovery code; required in production.
STAFF_TWO_FACTOR_REQUIRED = env.bool("STAFF_TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "EU–Central Asia CSO Portal"


# --- Internationalization ----------------------------------------------------------------------

LANGUAGE_CODE = "en"
# One date and time style per language (portal/formats): "13 January 2027, 18:00".
FORMAT_MODULE_PATH = ["portal.formats"]
# The network's languages. The switcher names each in itself (portal/i18n.py: LOCAL_NAMES).
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("tk", _("Turkmen")),
    ("uz", _("Uzbek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Asia/Almaty")
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# Content (events, sessions, speakers, focus areas, reason templates) left empty in a language is
# shown in the first of these languages that has it: the language itself, then Russian, then
# English by default. The page marks such text with its own lang attribute (portal/i18n.py).
CONTENT_FALLBACK_LANGUAGES = env.list("CONTENT_FALLBACK_LANGUAGES", default=["ru", "en"])
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": tuple(CONTENT_FALLBACK_LANGUAGES),
    **{
        code: tuple(other for other in CONTENT_FALLBACK_LANGUAGES if other != code)
        for code, _name in LANGUAGES
        if code in CONTENT_FALLBACK_LANGUAGES
    },
}

# The network's five countries first; "other" for partners from elsewhere.
NETWORK_COUNTRIES = ["KZ", "KG", "TJ", "TM", "UZ"]
COUNTRIES_FIRST = NETWORK_COUNTRIES
COUNTRIES_FIRST_REPEAT = False
# The network's own name for the country, as in the forum's documents; the five countries'
# names also in the portal's catalogues (django-countries has none in Kazakh, Kyrgyz, Tajik,
# Turkmen or Uzbek).
COUNTRIES_OVERRIDE = {
    "KZ": _("Kazakhstan"),
    "KG": _("Kyrgyz Republic"),
    "TJ": _("Tajikistan"),
    "TM": _("Turkmenistan"),
    "UZ": _("Uzbekistan"),
}


# --- Static and media files --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Organizers' exports (personal data): never under MEDIA_ROOT, downloaded only through the admin.
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage (shared by every server) when a bucket is configured.
S3_BUCKET = env("S3_BUCKET", default="")
MEDIA_ORIGIN = ""
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env("S3_ENDPOINT_URL", default=None),
        "region_name": env("S3_REGION", default=None),
        "access_key": env("S3_ACCESS_KEY_ID", default=None),
        "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
        "file_overwrite": False,
    }
    _s3_domain = env("S3_CUSTOM_DOMAIN", default=None)
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Public files (logos, photos, open data) under media/, read by visitors directly.
        "OPTIONS": {
            **_s3,
            "location": "media",
            "querystring_auth": False,
            "custom_domain": _s3_domain,
        },
    }
    STORAGES["exports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Private files under private/: only the portal reads them, with its own keys.
        "OPTIONS": {**_s3, "location": "private", "default_acl": "private"},
    }
    if _s3_domain:
        MEDIA_ORIGIN = f"https://{_s3_domain}"
    elif _s3["endpoint_url"]:
        MEDIA_ORIGIN = _s3["endpoint_url"].rstrip("/")
    else:
        MEDIA_ORIGIN = f"https://{S3_BUCKET}.s3.amazonaws.com"
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Form fields without files; and a whole request, files included (413 beyond it), matching the
# proxy's client_max_body_size (README.md, Deployment).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=6 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


# --- Security ----------------------------------------------------------------------------------

# Behind a reverse proxy that terminates TLS (see README.md, Deployment).
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz(?:/live|/ready)?$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Browser features the portal never uses, switched off for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}


# --- Logging -----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own messages go to the root's console handler only, so that each line is
        # written once (Django's default adds a second console handler while DEBUG is on).
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
    },
}


# --- Portal ------------------------------------------------------------------------------------

PORTAL_NAME = _("EU–Central Asia Civil Society Portal")
# Size of the wider network, shown on the home page (article: "over 7,000 CSOs").
NETWORK_SIZE = env.int("NETWORK_SIZE", default=7000)
# During the forum (events/forum.py): slides uploaded to a session, and how long a delegate may
# change the feedback they gave on a session.
SESSION_MATERIALS_MAX_BYTES = env.int("SESSION_MATERIALS_MAX_BYTES", default=5 * 1024 * 1024)
FEEDBACK_EDIT_HOURS = env.int("FEEDBACK_EDIT_HOURS", default=48)
# Where links in emails point (organizations/origin.py): PORTAL_URL when set; otherwise the address
# the request came in on, and outside a request the first of ALLOWED_HOSTS.
_PORTAL_HOST = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "127.0.0.1")
PORTAL_URL = env("PORTAL_URL", default="").rstrip("/")
PORTAL_DEFAULT_URL = (
    f"{'https' if HTTPS_ONLY else 'http'}://{_PORTAL_HOST}{':8000' if DEBUG else ''}"
)
