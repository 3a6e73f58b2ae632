"""Settings shared by every environment.

Environment-specific modules (dev, test, production) import * from here and override.
Secrets come from the environment; see ``cms_site.settings.secrets``.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from plugins.apps import discover_plugin_apps

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "cms_site"

# Everything the site writes that must never be committed: the SQLite database, uploads,
# private files (ID photos), generated keys. Override with CERTPLATFORM_DATA_DIR.
DATA_DIR = Path(os.environ.get("CERTPLATFORM_DATA_DIR", BASE_DIR / "var")).resolve()

DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

# Our own plugins, listed so they load even before the project is pip-installed; the
# entry-point group adds third-party plugins without code changes.
FIRST_PARTY_PLUGINS = ["exam_plugin", "proctor_plugin", "cert_plugin"]

CORE_APPS = [
    "cms_site",
    "cms_site.accounts",
    "plugins",
    "course_content",
    "course_content.registration",
    "cms_site.pwa",
    "packs",
]

# The program model of the plugin framework: plugins are switched on per program of this
# model (see plugins.services.programs for what it must provide).
PLUGINS_PROGRAM_MODEL = "course_content.ProgramPage"

INSTALLED_APPS = [
    *CORE_APPS,
    *discover_plugin_apps(FIRST_PARTY_PLUGINS),
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "cms_site.middleware.ServerErrorCounterMiddleware",  # counts 5xx for the exam-day panel
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversized / deeply nested non-form bodies before anything parses them.
    "cms_site.middleware.RequestBodyGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms_site.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Hot paths (the exam autosave) are answered here, past the middleware below that only
    # HTML pages and logins need (plugins/services/hot_paths.py).
    "plugins.middleware.HotPathMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms_site.middleware.CspNonceContextMiddleware",  # request.csp_nonce for Wagtail's widget templates
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms_site.wsgi.application"


# Persistent database connections (issue 16): a connection lives up to this many seconds and
# is reused by the requests its thread serves (gunicorn gthread: one connection per thread);
# Django checks it before reuse (CONN_HEALTH_CHECKS) and closes it at the end of a request
# once it is older. Opening a SQLite connection and running its PRAGMAs cost ≈ 5 ms, i.e.
# most of a bare request. Long-running loops (``db_worker``, ``run_periodic``) call
# ``close_old_connections`` between jobs. 0 restores a connection per request.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", 600))


def sqlite_database(path):
    """SQLite tuned for concurrent use: WAL journal, busy timeout, IMMEDIATE transactions.

    IMMEDIATE makes a writer take the lock at BEGIN, so two writers queue on the busy
    timeout instead of failing with "database is locked" on lock upgrade. The PRAGMAs are
    Django's ``init_command``: run once per new connection, so with persistent connections
    once per thread and connection lifetime, not per request.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "CONN_MAX_AGE": DB_CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=30000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)}
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out attempts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "cms_site.accounts.backends.IdentityBackend",
]
# Argon2id with OWASP's minimum parameters first (cms_site/accounts/hashers.py); PBKDF2 after
# it so existing hashes still verify and are re-hashed with Argon2id at the next login.
# (The test settings use MD5 for speed; tests/accounts/test_password_hashing.py uses these.)
PASSWORD_HASHERS = [
    "cms_site.accounts.hashers.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]  # not Django's Argon2PasswordHasher too: same algorithm name, and the last one listed would win
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# request.META keys of headers carrying a signed request token that authenticates instead of
# the session (exam_plugin/services/save_tokens.py): PasswordChangeRequiredMiddleware does not
# load the user for them.
SESSIONLESS_TOKEN_HEADERS = ["HTTP_X_EXAM_TOKEN"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"  # "my learning", unless the login URL carries ?next=
# Password-reset mail (cms_site/accounts/services/recovery.py). Console by default: production sets
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST etc. (docs/deploy.md).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # an emailed reset link works once, for three days
LOGOUT_REDIRECT_URL = "/"

# Login throttling (django-axes), one lockout per account whatever spelling was typed; see
# cms_site/accounts/services/lockout.py for the contract (README "Identity and login").
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_HANDLER = "cms_site.accounts.services.lockout.AccountLockoutHandler"
AXES_USERNAME_CALLABLE = "cms_site.accounts.services.lockout.account_key"
AXES_LOCKOUT_PARAMETERS = "cms_site.accounts.services.lockout.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "cms_site.accounts.services.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cms_site.services.client_address.client_ip"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # refused tries do not extend a lockout
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Failures with identifiers that match no account, per client address, before every login
# from that address pauses for AXES_COOLOFF_TIME.
LOGIN_UNKNOWN_IDENTIFIER_LIMIT = 10

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Files only the owner and reviewers may read (ID photos, registration materials, exam
# snapshots). Never under MEDIA_ROOT, never served by the web server directly.
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Largest non-file request body (JSON bodies, form fields): beyond it 413 (see
# cms_site.middleware.RequestBodyGuardMiddleware and cms_site.views.errors.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "certplatform",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# The client address for lockouts and rate limits: REMOTE_ADDR, or the one header a trusted
# reverse proxy sets (see cms_site/services/client_address.py and docs/deploy.md).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or None
RATELIMIT_IP_META_KEY = "cms_site.services.client_address.client_ip"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the offline journal posts with the CSRF token from the cookie
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview uses same-origin frames

# Scripts: our own files and inline scripts carrying this response's nonce, nothing else
# (no 'unsafe-inline', no 'unsafe-eval'): an injected <script> or on*= handler does not run.
# Templates add nonce="{{ request.csp_nonce }}" (or {% csp_nonce %} from site_csp where the
# request is not in the context); JSON data blocks (<script type="application/json">) are not
# executed and need none. Styles keep 'unsafe-inline': Wagtail's admin and our templates use
# style attributes, and an injected style cannot run code. tests/security/test_headers.py
# and tests/e2e/test_csp.py hold this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "style-src": [SELF, UNSAFE_INLINE],
        "script-src": [SELF, NONCE],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

WAGTAIL_SITE_NAME = _("Professional Skills Certification")
# The site's public address (scheme + host, no path): certificate QR codes and verify links,
# links in Wagtail's emails. Required in production (cms_site.checks, docs/deploy.md).
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or SITE_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# course_content.services.search = the database backend plus Chinese bigram matching (see its docstring).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "course_content.services.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "mp4", "odt", "pdf", "pptx", "txt", "webm", "xlsx", "zip"]  # mp4/webm: lesson videos
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Uploaded images at or above this many pixels are refused from the header, before decoding
# (cms_site/services/images.py; Pillow's bomb guard is set to the same value). Wagtail refuses above its own.
MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS - 1
WAGTAIL_USER_EDIT_FORM = "cms_site.accounts.forms.AdminUserEditForm"
WAGTAIL_USER_CREATION_FORM = "cms_site.accounts.forms.AdminUserCreationForm"
WAGTAIL_USER_CUSTOM_FIELDS = ["real_name", "document_type", "document_number", "phone"]
WAGTAIL_PASSWORD_RESET_ENABLED = False
# The admin's browsers fetch nothing from third parties (the CSP's connect-src/img-src are 'self'):
# no release check against releases.wagtail.org, no Gravatar avatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Client errors (4xx, SuspiciousOperation such as DisallowedHost or RequestDataTooBig) are
# warnings without a traceback; 5xx stay errors with one. The filter sits on the loggers
# that create the records (django.request here, django.security.* from CmsSiteConfig.ready).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "cms_site.services.log_filters.ClientErrorsAsWarnings"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "plugins": {"level": "INFO"},
        "django.request": {"filters": ["client_errors"]},
        "django.security": {"filters": ["client_errors"]},
    },
}
