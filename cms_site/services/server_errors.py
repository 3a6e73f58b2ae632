"""The server's error rate: how many 5xx responses the site answered per minute.

``ServerErrorCounterMiddleware`` (``cms_site.middleware``) records every 5xx response
(including unhandled exceptions, which Django has already turned into a 500 by the time
it reaches that layer); anything may read the rate with ``server_errors`` — e.g. the exam
plugin's exam-day panel. The counter is a per-minute key in the default cache: with the
Redis cache of production it covers every worker; with the local-memory cache only the
process that serves the reader.
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
