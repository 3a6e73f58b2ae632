"""Exam save tokens: the autosave request authenticated without reading the session.

An autosave arrives from every candidate every few seconds. With the session the request
costs a session-table read and a user read before the save's one statement. Instead, the
paper and clock responses (session-authenticated, ownership-checked) carry a token

    <attempt id>.<user id>.<program id>.<paper>.<expires (unix s)>.<HMAC-SHA256>

whose HMAC (``salted_hmac`` over ``SECRET_KEY``) also covers the **session cookie** of the
request that got it. The save endpoint accepts the token only

- with that same session cookie (another browser, a new login or a logged-out browser,
  whose cookie changed, cannot use it),
- with a valid CSRF cookie + header pair (checked exactly as for session requests),
- for the attempt in the URL and the program the gate resolved, before it expires.

It expires after ``TOKEN_SECONDS`` (setting ``EXAM_SAVE_TOKEN_SECONDS``; the page's 30-s
clock poll renews it) and never later
than the deadline plus the save grace. A request without a (valid) token falls back to the
session, so nothing depends on it but speed. The save's one statement also requires the
token's session row to exist unexpired, so a logout or an expired session ends saving at once.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings

from . import clock

HEADER = "X-Exam-Token"
META_KEY = "HTTP_X_EXAM_TOKEN"
TOKEN_SECONDS = 600
_SALT = "exam_plugin.save_tokens"


@dataclass(frozen=True)
class SaveClaims:
    attempt_id: int
    user_id: int
    program_id: int
    paper: int  # the attempt's start in µs: with the id, the key of the per-process paper layout
    session_key: str  # the session cookie the token was made for (still checked to exist on save)


# The lean save checks, inside its one statement, that the token's session still exists and
# has not expired (a logout or an expiry ends saving at once); that needs the session table.
SESSION_TABLE_ENGINES = frozenset({"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"})


def paper_key(attempt) -> int:
    return int(attempt.started_at.timestamp() * 1_000_000)


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    """``salted_hmac``'s key for our salt, derived once per secret (not on every save)."""
    return hashlib.sha256(f"{_SALT}{secret}".encode()).digest()


def _mac(body: str, session_cookie: str) -> str:
    """Equal to ``salted_hmac(_SALT, f"{body}|{session_cookie}", algorithm="sha256")``."""
    return hmac.new(_key(settings.SECRET_KEY), f"{body}|{session_cookie}".encode(), hashlib.sha256).hexdigest()


def _session_cookie(request) -> str | None:
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME) or None


def _lifetime() -> int:
    return int(getattr(settings, "EXAM_SAVE_TOKEN_SECONDS", TOKEN_SECONDS))


def issue(request, attempt, now=None) -> str | None:
    """A token for ``attempt`` of ``request.user`` bound to this request's session cookie;
    ``None`` when the attempt no longer takes saves or there is no session cookie."""
    cookie = _session_cookie(request)
    if cookie is None or not clock.accepts_saves(attempt, now):
        return None
    return make(attempt, request.user.pk, cookie)


def make(attempt, user_id: int, session_cookie: str) -> str:
    """The token itself (``issue`` checks the request first; benchmarks call this)."""
    until = attempt.deadline + timedelta(seconds=clock.SAVE_GRACE_SECONDS)
    expires = int(min(time.time() + _lifetime(), until.timestamp()))
    body = f"{attempt.pk}.{user_id}.{attempt.enrolment.program_id}.{paper_key(attempt)}.{expires}"
    return f"{body}.{_mac(body, session_cookie)}"


def verify(request) -> SaveClaims | None:
    """The claims of the request's token, or ``None`` (absent, malformed, forged, expired,
    or made for another session cookie). Reads no database row."""
    token = request.META.get(META_KEY, "")
    cookie = _session_cookie(request)
    if not token or cookie is None or len(token) > 200 or settings.SESSION_ENGINE not in SESSION_TABLE_ENGINES:
        return None
    body, _dot, mac = token.rpartition(".")
    parts = body.split(".")
    if len(parts) != 5 or not all(p.isdigit() for p in parts):
        return None
    if not hmac.compare_digest(mac, _mac(body, cookie)):
        return None
    attempt_id, user_id, program_id, paper, expires = (int(p) for p in parts)
    if expires < time.time():
        return None
    return SaveClaims(attempt_id=attempt_id, user_id=user_id, program_id=program_id, paper=paper, session_key=cookie)
