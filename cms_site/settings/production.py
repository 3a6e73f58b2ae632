"""Production: everything secret or host-specific comes from the environment.

Required: DJANGO_SECRET_KEY, ALLOWED_HOSTS. Optional: DATABASE_URL, REDIS_URL,
CERTPLATFORM_DATA_DIR, SECURE_SSL_REDIRECT (off when TLS ends at a proxy that redirects).
"""

import os

from .base import *  # noqa: F401,F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
