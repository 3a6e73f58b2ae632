"""Counting server errors (the counter and its reader are ``cms_site.services.server_errors``),
and the request body guard (below)."""

import contextvars
import re

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .services.server_errors import record_server_error


class ServerErrorCounterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500:
            record_server_error()
        return response


# -- request body guard -------------------------------------------------------------------

#: Deepest nesting of ``[`` / ``{`` accepted in a request body (our payloads need < 10).
MAX_BODY_DEPTH = 20
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# A JSON string (with escapes) or one bracket; brackets inside strings are not structure.
_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.S)


def nesting_depth_exceeds(body: bytes, limit: int = MAX_BODY_DEPTH) -> bool:
    """True when ``body`` nests ``[``/``{`` deeper than ``limit``, counting only brackets
    outside JSON strings. Works on bytes, before (and instead of) parsing: a body of tens
    of thousands of ``[`` never reaches ``json.loads`` and its recursion limit."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth = max(depth - 1, 0)
    return False


def _refusal(request, status: int, message, **params) -> JsonResponse:
    # LocaleMiddleware has not run yet: translate for the request's language here.
    with translation.override(translation.get_language_from_request(request)):
        return JsonResponse({"detail": str(message) % params if params else str(message)}, status=status)


class RequestBodyGuardMiddleware:
    """Refuses unusable request bodies before any view (or ninja) parses them.

    For every body that is not a form (forms are parsed by Django with its own field and
    size limits): a ``Content-Length`` above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413, a body
    nested deeper than ``MAX_BODY_DEPTH`` → 400, a malformed ``Content-Length`` → 400;
    always ``{"detail": "<translated>"}``. Runs right after ``SecurityMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.check(request)
        return refusal if refusal is not None else self.get_response(request)

    def check(self, request):
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw_length)
            if length < 0:
                raise ValueError
        except ValueError:
            return _refusal(request, 400, _("The request has an invalid Content-Length header."))
        if not length or request.content_type in FORM_TYPES:
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return _refusal(request, 413, _("The request body is too large."))
        if nesting_depth_exceeds(request.body):
            return _refusal(request, 400, _("The request body is nested too deeply (at most %(n)d levels)."), n=MAX_BODY_DEPTH)
        return None


# --- CSP nonce for templates rendered without the request ------------------------------

_current_csp_nonce = contextvars.ContextVar("current_csp_nonce", default=None)


def current_csp_nonce():
    """The CSP nonce of the request being served (django-csp's ``request.csp_nonce``), for
    templates rendered without the request: Wagtail's panel and form-widget templates that
    carry inline scripts (overridden under cms_site/templates/wagtailadmin/ to add
    ``nonce="{% csp_nonce %}"``). Reading it puts the nonce into the CSP header. ``""``
    outside a request."""
    nonce = _current_csp_nonce.get()
    return str(nonce) if nonce is not None else ""


class CspNonceContextMiddleware:
    """Makes ``request.csp_nonce`` available to ``current_csp_nonce`` for the duration of the
    request. Must come after ``csp.middleware.CSPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_csp_nonce.set(getattr(request, "csp_nonce", None))
        try:
            return self.get_response(request)
        finally:
            _current_csp_nonce.reset(token)
