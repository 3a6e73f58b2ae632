"""Counting server errors for the exam-day panel.

Every 5xx response (including unhandled exceptions, which Django has already turned
into a 500 by the time it reaches this layer) increments a per-minute counter in the
default cache. With the Redis cache of production the count covers every worker; with
the local-memory cache it covers the process that serves the panel only.
"""

import time

from django.core.cache import cache

KEY = "cms_site:5xx:{minute}"
KEEP_SECONDS = 2 * 3600


def _minute(ts: float) -> int:
    return int(ts // 60)


def record_server_error(now: float | None = None) -> None:
    key = KEY.format(minute=_minute(time.time() if now is None else now))
    try:
        cache.incr(key)
    except ValueError:  # first error of this minute
        if not cache.add(key, 1, KEEP_SECONDS):
            cache.incr(key)


def server_errors(minutes: int = 1, now: float | None = None) -> int:
    """5xx responses in the last ``minutes`` whole minutes plus the current one."""
    current = _minute(time.time() if now is None else now)
    keys = [KEY.format(minute=m) for m in range(current - minutes, current + 1)]
    return sum(v for v in cache.get_many(keys).values() if isinstance(v, int))


class ServerErrorCounterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            record_server_error()
        return response
