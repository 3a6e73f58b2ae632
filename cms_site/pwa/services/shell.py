"""The app shell: what the service worker precaches, its version, and the manifest.

The version is a digest of everything the service worker and its precached shell are
made of (the worker template, the offline page template, every precached static file)
plus ``settings.PWA_RELEASE``. A deploy that changes any of them changes the bytes of
``/sw.js``; the browser installs the new worker next to the old one and the page offers
"update available" (see ``static/pwa/pwa.js``). Caches are named after the version, so
the new worker deletes the old shell and static caches when it activates, while the
caches of downloaded modules (``pwa-module-*``) survive updates.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

THEME_COLOR = "#0b6e4f"
BACKGROUND_COLOR = "#ffffff"
ICON_SIZES = (192, 512)

# Static files every page needs; fetched into the versioned shell cache at install.
SHELL_STATIC_FILES = ("cms_site/site.css", "pwa/pwa.css", "pwa/pwa.js", "pwa/offline.js")

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "pwa"


def icon_urls():
    """``[(url, size, purpose)]`` of the generated home-screen icons."""
    return [
        (reverse("pwa:icon", kwargs={"purpose": purpose, "size": size}), size, purpose)
        for purpose in ("any", "maskable")
        for size in ICON_SIZES
    ]


def precache_urls():
    """Same-origin URLs the service worker stores in the shell cache when it installs."""
    return [
        reverse("pwa:offline"),
        reverse("pwa:offline_storage"),
        reverse("pwa:manifest"),
        *(static(path) for path in SHELL_STATIC_FILES),
        *(url for url, _size, _purpose in icon_urls()),
    ]


def _compute_version():
    digest = hashlib.sha256()
    digest.update(str(getattr(settings, "PWA_RELEASE", "")).encode())
    for name in ("sw.js", "shell_base.html", "head.html", "body.html", "offline.html", "offline_storage.html"):
        digest.update((TEMPLATE_DIR / name).read_bytes())
    for path in SHELL_STATIC_FILES:
        found = finders.find(path)
        digest.update(path.encode())
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _cached_version(release):
    return _compute_version()


def shell_version():
    """The current shell version (12 hex characters).

    Computed once per process and per ``PWA_RELEASE`` value; with ``DEBUG`` on it is
    recomputed on each call so edited files show up as an update at once.
    """
    if settings.DEBUG:
        return _compute_version()
    return _cached_version(str(getattr(settings, "PWA_RELEASE", "")))


def manifest(language_code):
    """The web app manifest as a dict, in the request's language."""
    return {
        "id": "/",
        "name": _("Professional Skills Certification"),
        "short_name": _("Certification"),
        "description": _("Study class hours, take mock and formal exams, and get verifiable certificates."),
        "lang": language_code,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": url, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for url, size, purpose in icon_urls()
        ],
    }
