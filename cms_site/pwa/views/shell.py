"""Views of the app shell: manifest, service worker, offline page, icons.

The device pages of web push are in ``views/push.py``, its JSON endpoints in ``api.py``.
"""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ..services import shell
from ..services.icons import icon_png

# Paths whose GET responses the worker may answer from a downloaded module's cache when offline.
OFFLINE_PREFIXES = ("/programs/", "/media/", "/documents/", "/pwa/offline-modules/", "/api/offline/")


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """``/sw.js``: revalidated on every check so a deploy is noticed at once."""
    config = {
        "version": shell.shell_version(),
        "precache": shell.precache_urls(),
        "offline_url": reverse("pwa:offline"),
        "static_prefix": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/",
        "offline_prefixes": list(OFFLINE_PREFIXES),
        "icon": reverse("pwa:icon", kwargs={"purpose": "any", "size": 192}),
        "default_title": _("Professional Skills Certification"),
        "heartbeat_url": reverse("site_api:study_heartbeats"),
        "replay_url": reverse("site_api:study_replay"),
    }
    body = render_to_string("pwa/sw.js", {"config_json": json.dumps(config, ensure_ascii=False)})
    return HttpResponse(body, content_type="application/javascript; charset=utf-8")


@require_GET
@cache_control(no_cache=True)
def manifest(request):
    """``/manifest.webmanifest`` in the request's language."""
    return JsonResponse(
        shell.manifest(get_language()),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def offline(request):
    """The page the service worker shows for anything not stored on the device."""
    return render(request, "pwa/offline.html")


@require_GET
@cache_control(public=True, max_age=86400)
def icon(request, purpose, size):
    try:
        data = icon_png(size, purpose)
    except ValueError as err:
        raise Http404(str(err)) from err
    return HttpResponse(data, content_type="image/png")



@require_GET
def offline_storage(request):
    """The list of modules stored on this device (read from the browser's caches by
    ``offline.js``); holds no user data, so the worker precaches it for offline use."""
    return render(request, "pwa/offline_storage.html")
