"""What every django-ninja API of the project shares: one error shape and bounded types.

Error contract (site API, exam API, proctor API, any plugin API):

- every 4xx answer is ``{"detail": "<translated message>"}``;
- ninja's own request validation errors stay ``422 {"detail": [<pydantic errors>]}``;
- 5xx are never produced on purpose: an unexpected exception is re-raised to Django
  (logged as an error with its traceback, answered by the 500 page).

A plugin API calls ``install_error_handlers(api)`` right after creating its ``NinjaAPI``
(plugins may import core; this module imports no plugin).

The ``Annotated`` types below keep values inside what the database columns store, so a
malformed client gets a 422 and never reaches the database with, say, an integer of 2**63.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from pydantic import AfterValidator


class AppAPI(NinjaAPI):
    """A NinjaAPI whose published operation ids are ``<app>_api_<view>``, whether the app's
    API is one ``api.py`` or an ``api/`` package (ninja's default names the operation's
    module, so splitting a grown API into modules would rename every published operation id).
    The site API and every program-scoped plugin API are built on it."""

    def get_openapi_operation_id(self, operation) -> str:
        module = operation.view_func.__module__
        head, inside_package, _ = module.partition(".api.")
        api_module = f"{head}.api" if inside_package else module
        return f"{api_module.replace('.', '_')}_{operation.view_func.__name__}"


class ProgramScopedAPI(AppAPI):
    """A plugin's API, mounted under every program at ``/programs/<program>/<segment>/api/``
    behind the plugin gate: its published schema documents paths with a ``{program}``
    placeholder."""

    def __init__(self, *, segment: str, **kwargs):
        self.schema_path_prefix = f"/programs/{{program}}/{segment}/api/"
        super().__init__(**kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return super().get_openapi_schema(path_prefix=path_prefix or self.schema_path_prefix)


# -- bounded types ------------------------------------------------------------------------

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

#: A primary key of an ``AutoField`` / integer column (Wagtail pages, most models).
Id32 = Annotated[int, Field(ge=1, le=INT32_MAX)]
#: A primary key of a ``BigAutoField`` (the project's DEFAULT_AUTO_FIELD).
Id64 = Annotated[int, Field(ge=1, le=INT64_MAX)]
#: A ``PositiveIntegerField`` value.
UInt32 = Annotated[int, Field(ge=0, le=INT32_MAX)]
#: A ``BigIntegerField`` value that must be positive (sequence numbers).
PositiveInt64 = Annotated[int, Field(ge=1, le=INT64_MAX)]

NO_NUL = r"^[^\x00]*$"


def text(max_length: int, min_length: int = 0):
    """A string type without NUL characters and with a maximum length."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=NO_NUL)]


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _sane_moment(value: datetime) -> datetime:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not EARLIEST <= aware < LATEST:
        raise ValueError(_("The time must lie between the years 2000 and 2099."))
    return value


#: A datetime between 2000 and 2099 (year 0 or 10000 is a 422, not a database error).
SaneDatetime = Annotated[datetime, AfterValidator(_sane_moment)]
#: Milliseconds since the epoch (what browsers send) within the same range.
EpochMillis = Annotated[
    float, Field(ge=EARLIEST.timestamp() * 1000, lt=LATEST.timestamp() * 1000, allow_inf_nan=False)
]


# -- one error shape ----------------------------------------------------------------------


def _answer(api: NinjaAPI, request, status: int, message: str):
    return api.create_response(request, {"detail": message}, status=status)


def _not_found(request, exc, api):
    return _answer(api, request, 404, _("Not found."))


def _unauthenticated(request, exc, api):
    return _answer(api, request, 401, _("Please log in."))


def _forbidden(request, exc, api):
    return _answer(api, request, 403, _("You do not have permission to do this."))


def _throttled(request, exc, api):
    return _answer(api, request, 429, _("Too many requests. Please try again later."))


def _http_error(request, exc: HttpError, api):
    # ninja's own refusals carry English text: translate the ones it raises.
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _answer(api, request, 403, _("The security token of the page is missing or expired. Please reload the page."))
    if exc.status_code == 400 and exc.message.startswith("Cannot parse request body"):
        return _answer(api, request, 400, _("The request body is not valid JSON."))
    return _answer(api, request, exc.status_code, str(exc.message))


def _too_big(request, exc, api):
    return _answer(api, request, 413, _("The request body is too large."))


def _suspicious(request, exc, api):
    return _answer(api, request, 400, _("The request could not be understood."))


def install_error_handlers(api: NinjaAPI) -> NinjaAPI:
    """Give ``api`` the project's error shape (see the module docstring). Returns ``api``."""
    handlers = [
        (Http404, _not_found),
        # A row the request names was deleted while it ran (checked, then gone at its lock).
        (ObjectDoesNotExist, _not_found),
        (HttpError, _http_error),
        (AuthenticationError, _unauthenticated),
        (AuthorizationError, _forbidden),
        (PermissionDenied, _forbidden),
        (Throttled, _throttled),
        (SuspiciousOperation, _suspicious),
        (RequestDataTooBig, _too_big),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, partial(handler, api=api))
    return api
