"""The proctor plugin's JSON API (django-ninja), mounted per program under
``/programs/<program>/proctor/api/`` behind the plugin gate (``request.program`` is set).
Schema: ``/programs/<program>/proctor/api/openapi.json``.

Two kinds of caller, two auth models, one router each:

- the candidate's browser (pre-flight steps, then the exam-room watcher; ``candidate``):
  Django session auth + CSRF; every sitting is looked up through the logged-in learner
  and the program (404 otherwise);
- the phone (second camera; ``phone``) is not logged in: it holds the QR-code token (in
  the path) and, once paired, a device key in its session (``PhoneDevice``), CSRF-checked
  like the session.

Errors are ``{"detail": "<translated message>"}`` (400 refused step, 401/403 auth,
404, 413 too large, 429 too many snapshots); ninja's validation errors stay 422.
Images travel as base64 JSON strings of at most ``MAX_IMAGE_BYTES`` bytes.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import django_auth

from cms_site.api.common import ProgramScopedAPI
from plugins.urls import program_url

from ..services import monitoring, preflight
from ..services.second_camera import PairingRefused
from . import candidate, phone
from .common import MAX_IMAGE_BASE64, MAX_IMAGE_BYTES, Refused
from .phone import PHONE_SESSION_KEY

__all__ = ["MAX_IMAGE_BASE64", "MAX_IMAGE_BYTES", "PHONE_SESSION_KEY", "api", "api_base", "phone_api_base"]


api = ProgramScopedAPI(
    segment="proctor",
    title="Proctor API",
    version="1.0",
    description="Pre-flight checks, exam-room events and snapshots of the proctor plugin; the phone's second camera.",
    urls_namespace="proctor_api",
    auth=django_auth,
    docs_url=None,
)
api.add_router("", candidate.router)
api.add_router("", phone.router)


def _detail(request, message, status):
    return api.create_response(request, {"detail": str(message)}, status=status)


@api.exception_handler(Refused)
def _refused(request, exc):
    return _detail(request, exc, exc.status)


for _error in (preflight.PreflightError, monitoring.MonitoringError, PairingRefused):
    api.add_exception_handler(_error, lambda request, exc: _detail(request, exc, 400))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _detail(request, _("Not found."), 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _detail(request, str(exc) or _("You may not do this."), 403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _detail(request, _("Please log in again."), 401)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return _detail(request, _("The request is too large."), 413)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = _("The security check failed. Reload the page and try again.") if exc.status_code == 403 else str(exc)
    return _detail(request, message, exc.status_code)


def api_base(program, ps) -> str:
    """The candidate endpoints' common prefix for one proctored sitting (ends in "/")."""
    return program_url(program, "proctor_plugin:proctor_api:get_status", sitting_id=ps.pk).removesuffix("status/")


def phone_api_base(program, token: str) -> str:
    return program_url(program, "proctor_plugin:proctor_api:phone_pair", token=token).removesuffix("pair/")
