"""The exam plugin's candidate JSON API object and the value types its operations share.

The operations live beside it: ``attempts`` (paper, clock, autosave, offline replay, hand-in,
result) and ``practice`` (practice questions and offline practice); the package's
``__init__`` imports both, so importing ``exam_plugin.api`` registers every operation.
"""

from datetime import UTC, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from ninja.security import django_auth
from pydantic import AfterValidator

from cms_site.api.common import ProgramScopedAPI, install_error_handlers

api = ProgramScopedAPI(
    segment="exam",
    title="Exam API",
    version="1.0",
    description="Candidate API of the exam plugin: paper, autosave, clock, hand-in, result, practice.",
    urls_namespace="exam_api",
    auth=django_auth,
    docs_url=None,  # Swagger UI loads from a CDN; the schema itself is served at openapi.json
)
install_error_handlers(api)  # the project's one error shape: {"detail": "<translated>"}


class Message(Schema):
    detail: str


# Bounds keep every value inside what the database stores (32-bit integers, text
# without NUL) so a malformed client gets a 422, never a server error.
Position = Annotated[int, Field(ge=0, le=10_000)]
OptionIndex = Annotated[int, Field(ge=0, le=100)]
AnswerText = Annotated[str, Field(max_length=20_000, pattern=r"^[^\x00]*$")]


_EARLIEST, _LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _sane_time(value: datetime) -> datetime:
    """Device times: naive means UTC; outside 2000–2100 is refused (422)."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    if not _EARLIEST <= value < _LATEST:
        raise ValueError("time out of range")
    return value


DeviceTime = Annotated[datetime, AfterValidator(_sane_time)]


class QuestionAnswer(Schema):
    """An answer to a question of the bank by its id (practice, offline practice)."""

    question_id: Annotated[int, Field(ge=1, le=2**62)]
    value: Annotated[list[OptionIndex], Field(max_length=100)] | OptionIndex | AnswerText | None = (
        None
    )
