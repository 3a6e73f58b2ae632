"""System checks that keep a production deployment from starting half-configured.

They run with every ``manage.py`` command that checks (``check``, ``check --deploy``,
``migrate``, ``runserver``) and when the WSGI application loads with ``CHECK_AT_STARTUP``
(production), so gunicorn refuses to boot a worker on an error.

- ``cms_site.E001`` — **shared limits.** Rate limits, the 5xx counter and the plugin-gate
  version live in caches (login lockouts in the database); a per-process cache (``LocMemCache``) gives every worker its own counters,
  so N workers allow N times every limit. With more than one worker (``WEB_WORKERS``, read
  from ``WEB_CONCURRENCY`` — the variable gunicorn and ``scripts/serve-production.sh`` use for
  ``--workers``) every configured cache must be shared: Redis (``REDIS_URL``) or the database
  cache (production's default).
- ``cms_site.E002`` — **public base URL.** Certificates print ``SITE_BASE_URL`` in their QR
  code and verify link; where ``SITE_BASE_URL_REQUIRED`` is on (production) it must be an
  absolute ``http(s)://host`` URL without path, query or fragment, and not a loopback host.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


@register()
def shared_cache_for_several_workers(app_configs, **kwargs):
    workers = getattr(settings, "WEB_WORKERS", 1)
    if workers <= 1:
        return []
    return [
        Error(
            f"The cache {alias!r} uses {config['BACKEND']}, which is per process, but {workers} web workers are configured.",
            hint="Set REDIS_URL, or use the database cache (the production default), or run one worker (WEB_CONCURRENCY=1).",
            id="cms_site.E001",
        )
        for alias, config in settings.CACHES.items()
        if config.get("BACKEND") in PER_PROCESS_CACHES
    ]


def _base_url_problem(url):
    if not url:
        return "is not set"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return f"{url!r} is not an absolute http(s) URL"
    if parts.path.strip("/") or parts.query or parts.fragment:
        return f"{url!r} must be the site's root, without a path, query or fragment"
    host = parts.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    if loopback:
        return f"{url!r} points at this machine; printed certificates would carry a dead link"
    return None


@register()
def public_base_url(app_configs, **kwargs):
    if not getattr(settings, "SITE_BASE_URL_REQUIRED", False):
        return []
    problem = _base_url_problem(getattr(settings, "SITE_BASE_URL", ""))
    if problem is None:
        return []
    return [
        Error(
            f"SITE_BASE_URL {problem}.",
            hint="Set SITE_BASE_URL to the public address of the site, e.g. https://cert.example.org (docs/deploy.md).",
            id="cms_site.E002",
        )
    ]
