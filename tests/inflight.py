"""Requests the live server is still handling (test settings put this middleware first).

A browser context closed at the end of a test may leave a request (a study heartbeat, a
service-worker replay) running in the live server's thread; the transactional test's database
flush must not start until it is done, or the flush and that request's writes collide
(FOREIGN KEY failures, rows left for the next test). ``tests/conftest.py`` waits for this."""

import threading

_changed = threading.Condition()
_active = 0


class InFlightMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _active
        with _changed:
            _active += 1
        try:
            return self.get_response(request)
        finally:
            with _changed:
                _active -= 1
                _changed.notify_all()


def wait_until_idle(timeout: float = 30) -> bool:
    with _changed:
        return _changed.wait_for(lambda: _active == 0, timeout)
