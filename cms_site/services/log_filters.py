"""Client errors are the client's problem: log them as warnings, without a traceback.

Django logs a ``SuspiciousOperation`` (``DisallowedHost``, ``RequestDataTooBig``,
``TooManyFieldsSent``, a bad session, ...) as an ERROR with its traceback on the logger
``django.security.<ExceptionName>``, although the answer is a 400/413. A filter only sees
records created on the logger it is attached to (not those propagated from children), so
``install()`` (called from ``CmsSiteConfig.ready``) attaches ``ClientErrorsAsWarnings`` to
the logger of every ``SuspiciousOperation`` subclass; LOGGING attaches it to
``django.request`` and ``django.security``. Records with ``status_code >= 500`` and every
other error are left untouched, traceback included.
"""

import logging

from django.core.exceptions import SuspiciousOperation


class ClientErrorsAsWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = (status is not None and status < 500) or (
            status is None and record.name.startswith("django.security.")
        )
        if client_error and record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        if client_error:
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def install() -> None:
    """Attach the filter to ``django.security.<Name>`` for every SuspiciousOperation known now."""
    import django.contrib.sessions.exceptions  # noqa: F401 - SuspiciousSession and friends
    import django.http.response  # noqa: F401 - DisallowedRedirect

    names = {"SuspiciousOperation", "csrf"} | {cls.__name__ for cls in _subclasses(SuspiciousOperation)}
    for name in sorted(names):
        logger = logging.getLogger(f"django.security.{name}")
        if not any(isinstance(f, ClientErrorsAsWarnings) for f in logger.filters):
            logger.addFilter(ClientErrorsAsWarnings())
