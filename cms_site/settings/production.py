"""Production: everything secret or host-specific comes from the environment.

Required: DJANGO_SECRET_KEY, ALLOWED_HOSTS, SITE_BASE_URL. Optional: DATABASE_URL, REDIS_URL,
WEB_CONCURRENCY (web worker processes, default 2), CLIENT_IP_HEADER (the header a trusted
reverse proxy sets to the client address), LOCAL_MEMORY_CACHE=1 (one worker only),
CERTPLATFORM_DATA_DIR, SECURE_SSL_REDIRECT (off when TLS ends at a proxy that redirects),
CERTPLATFORM_SHARED_DIR (several app nodes: the files and keys every node must see).
System checks (cms_site/checks.py) refuse to start without a shared cache for several
workers or without the public base URL; see docs/deploy.md.
"""

import os
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import CACHES, STORAGES

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

# System check errors stop the WSGI application from loading (cms_site/wsgi.py).
CHECK_AT_STARTUP = True

# The public base URL is printed on every certificate: no default in production.
SITE_BASE_URL = (os.environ.get("SITE_BASE_URL") or "").rstrip("/")
SITE_BASE_URL_REQUIRED = True
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or SITE_BASE_URL

# Lockouts and rate limits must be shared by all workers: Redis with REDIS_URL (set in base),
# else the database cache (`manage.py createcachetable`, run by scripts/serve-production.sh).
# The per-process local-memory cache only with LOCAL_MEMORY_CACHE=1 and a single worker.
WEB_WORKERS = int(os.environ.get("WEB_CONCURRENCY") or 2)
if not os.environ.get("REDIS_URL") and os.environ.get("LOCAL_MEMORY_CACHE") != "1":
    CACHES = {
        **CACHES,
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "certplatform_cache"},
    }

# Several app nodes (docs/deploy.md, "Several nodes"): CERTPLATFORM_SHARED_DIR is storage every
# node mounts (NFS, a cluster file system). Uploads, private files (ID photos, exam snapshots,
# certificate PDFs) and the signing keys live there; CERTPLATFORM_DATA_DIR stays node-local
# (caches such as the repaired face models). tests/cms_site/test_multi_node.py holds this.
if os.environ.get("CERTPLATFORM_SHARED_DIR"):
    SHARED_DIR = Path(os.environ["CERTPLATFORM_SHARED_DIR"]).resolve()
    MEDIA_ROOT = SHARED_DIR / "media"
    PRIVATE_MEDIA_ROOT = SHARED_DIR / "private"
    STORAGES["private"] = {**STORAGES["private"], "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}}
    CERT_PLUGIN_KEY_DIR = SHARED_DIR / "keys"
    PWA_VAPID_KEY_FILE = SHARED_DIR / "keys" / "vapid_private.pem"
    PACK_KEY_DIR = SHARED_DIR / "pack_keys"
