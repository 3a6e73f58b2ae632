"""Candidate operations on an attempt: the paper, the server clock, the autosave (the exam
day's hot path), the replay after an offline spell, hand-in and the released result."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyHeader, django_auth
from pydantic import BaseModel

from ..models import Attempt
from ..services import attempts as attempt_services
from ..services import clock, lean_save, offline, payloads, save_tokens
from .base import AnswerText, DeviceTime, Message, OptionIndex, Position, api


class ExamSaveToken(APIKeyHeader):
    """The lean autosave's authentication (``services.save_tokens``): a valid token bound to
    the session cookie, plus the CSRF cookie/header pair. No token, or an invalid one: the
    next authentication (the session) decides."""

    param_name = save_tokens.HEADER

    def _get_key(self, request):
        # The header from the WSGI environ: ninja's reads ``request.headers``, which builds
        # a dict of every header of the request on each save for this one.
        return request.META.get(save_tokens.META_KEY)

    def authenticate(self, request, key):
        claims = save_tokens.verify(request) if key else None
        if claims is None:
            return None
        if _csrf_refused(request):
            raise HttpError(403, "CSRF check Failed")
        return claims


# ninja's ``check_csrf`` builds a CsrfViewMiddleware per request; the handler keeps one per
# process, and so does the hot path (the same checks, without rebuilding it every save).
_csrf_middleware = CsrfViewMiddleware(lambda request: None)


def _csrf_refused(request) -> bool:
    """Django's CSRF check of a view that is not exempt, as ``ninja.utils.check_csrf`` runs it."""
    request.csrf_processing_done = False
    _csrf_middleware.process_request(request)
    return _csrf_middleware.process_view(request, None, (), {}) is not None


exam_save_token = ExamSaveToken()


class Item(Schema):
    position: int
    kind: str
    stem: str
    options: list[str]
    points: float
    value: list[int] | str | None = None
    seq: int


class Paper(Schema):
    attempt_id: int
    mode: str
    status: str
    server_now: datetime
    started_at: datetime
    deadline: datetime
    earliest_hand_in: datetime
    answered: int
    items: list[Item]
    save_token: str | None = None  # send as X-Exam-Token with saves (services/save_tokens.py)


class Clock(Schema):
    status: str
    server_now: datetime
    deadline: datetime
    earliest_hand_in: datetime
    seconds_left: int
    save_token: str | None = None  # renewed with every clock poll


# The autosave's input models are plain pydantic models: ninja's ``Schema`` adds ORM
# attribute lookup (for output built from model instances), which input never needs and which
# costs a measurable share of every save.
class AnswerIn(BaseModel):
    position: Position
    seq: Annotated[int, Field(ge=0, le=2**31 - 1)]  # AttemptItem.seq is a PositiveIntegerField
    value: Annotated[list[OptionIndex], Field(max_length=100)] | OptionIndex | AnswerText | None = (
        None
    )
    client_written_at: DeviceTime | None = None


class ProctoringEventIn(Schema):
    """A leave or return the exam room's watcher journaled while offline."""

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\w-]+$")]
    type: Literal["leave", "back"]
    kind: Literal["fullscreen", "visibility", "focus"] = "fullscreen"
    at: DeviceTime


class ReplayIn(Schema):
    answers: Annotated[list[AnswerIn], Field(max_length=500)] = []
    events: Annotated[list[ProctoringEventIn], Field(max_length=200)] = []
    sent_at: DeviceTime | None = None  # the device's clock when sending: its offset is corrected


class AnswersIn(BaseModel):
    answers: Annotated[list[AnswerIn], Field(max_length=500)]


class SaveOut(Schema):
    saved: list[int]
    stale: list[int]
    errors: dict[str, str]
    acked: dict[str, int]
    server_now: datetime
    deadline: datetime


class ReplayOut(SaveOut):
    spell: int
    late: int
    status: str
    hand_in_reason: str


class ReviewItem(Schema):
    position: int
    kind: str
    stem: str
    options: list[str]
    value: list[int] | str | None = None
    key_withheld: bool = False
    correct: list[int]
    reference_answer: str
    points: float
    score: float | None = None


class Result(Schema):
    attempt_id: int
    status: str
    released: bool
    scored: bool
    score: float | None = None
    max_score: float | None = None
    passed: bool | None = None
    invalidated: bool
    invalid_reason: str
    review: list[ReviewItem] | None = None


def _attempt(request, attempt_id) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("enrolment__program", "enrolment__level", "sitting"),
        pk=attempt_id,
        enrolment__learner=request.user,
        enrolment__program=request.program,
    )
    return attempt_services.refresh(attempt)


@api.get(
    "attempts/{attempt_id}",
    response=Paper,
    summary="The paper of an attempt with the saved answers",
)
def get_paper(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    offline.touch(attempt.pk)
    return {**payloads.paper_payload(attempt), "save_token": save_tokens.issue(request, attempt)}


@api.get("attempts/{attempt_id}/clock", response=Clock, summary="Server time and the deadline")
def get_clock(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    offline.touch(attempt.pk)
    return {**payloads.clock_payload(attempt), "save_token": save_tokens.issue(request, attempt)}


@api.post(
    "attempts/{attempt_id}/answers",
    response={200: SaveOut, 403: Message, 409: Message},
    auth=[exam_save_token, django_auth],
    summary="Save answers (idempotent upsert; stale sequence numbers are ignored)",
)
def save_answers(request, attempt_id: int, payload: AnswersIn):
    """The hot path (every candidate, every few seconds). With a save token: no session or
    user read and one statement per answer (``lean_save.save_answers``); what
    that statement does not take (stale, closed, not the candidate's) and requests without
    a token go through the session path below, whose checks and messages decide."""
    answers = [a.model_dump() for a in payload.answers]
    claims = request.auth if isinstance(request.auth, save_tokens.SaveClaims) else None
    lean = None
    if claims is not None:
        if claims.attempt_id != attempt_id or claims.program_id != request.program.pk:
            raise Http404
        lean, answers = lean_save.save_answers(claims, answers)
        if not answers and lean["deadline"] is not None:
            # Rendered as ninja renders SaveOut, without re-validating what the statement
            # returned (every save pays for that validation otherwise).
            return api.create_response(request, {**lean, "server_now": timezone.now()}, status=200)
        # The rest goes through the session path: the token's session must still be signed in
        # as the token's learner (a logout or an expired session ends saving: 401).
        if not request.user.is_authenticated or request.user.pk != claims.user_id:
            raise AuthenticationError()
    if request.user.must_change_password:  # the middleware lets token-carrying requests through
        return Status(403, {"detail": "password_change_required"})
    learner_id = request.user.pk
    attempt = get_object_or_404(
        Attempt.objects.only("id", "status", "deadline", "enrolment_id", "sitting_id"),
        pk=attempt_id,
        enrolment__learner_id=learner_id,
        enrolment__program_id=request.program.pk,
    )
    try:
        result = attempt_services.save_answers(attempt, answers)
    except attempt_services.AttemptError as err:
        return Status(409, {"detail": str(err)})
    if lean is not None:
        result = {
            "saved": lean["saved"] + result["saved"],
            "stale": lean["stale"] + result["stale"],
            "errors": {**lean["errors"], **result["errors"]},
            "acked": {**lean["acked"], **result["acked"]},
        }
    # No ``offline.touch`` here: a save is a contact through the items' ``saved_at``.
    return Status(200, {**result, "server_now": clock.timezone.now(), "deadline": attempt.deadline})


@api.post(
    "attempts/{attempt_id}/offline-replay",
    response={200: ReplayOut, 409: Message},
    summary="Replay the device's journal after an offline spell (answers and proctoring events)",
)
def offline_replay(request, attempt_id: int, payload: ReplayIn):
    """Records the spell from the server's last contact, applies the program's rules to
    the journaled events (``exam_plugin.services.offline``); 409 when the paper is closed."""
    # Not ``_attempt``: its lazy hand-in must not pre-empt the reconnect window.
    attempt = get_object_or_404(
        Attempt.objects.select_related("enrolment__program", "sitting"),
        pk=attempt_id,
        enrolment__learner=request.user,
        enrolment__program=request.program,
    )
    try:
        result = offline.replay_answers(
            attempt,
            [a.model_dump() for a in payload.answers],
            events=[e.dict() for e in payload.events],
            sent_at=payload.sent_at,
        )
    except attempt_services.AttemptError as err:
        return Status(409, {"detail": str(err)})
    attempt.refresh_from_db(fields=["deadline", "status"])
    return Status(
        200,
        {
            **result,
            "status": attempt.status,
            "server_now": timezone.now(),
            "deadline": attempt.deadline,
        },
    )


@api.post(
    "attempts/{attempt_id}/hand-in",
    response={200: Clock, 409: Message},
    summary="Hand in the paper",
)
def hand_in(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    try:
        attempt = attempt_services.candidate_hand_in(attempt)
    except (attempt_services.AttemptError, clock.ClockRefusal) as err:
        return Status(409, {"detail": str(err)})
    return Status(200, payloads.clock_payload(attempt))


@api.get(
    "attempts/{attempt_id}/result",
    response=Result,
    summary="Score, pass/fail and review once released",
)
def get_result(request, attempt_id: int):
    return payloads.result_payload(_attempt(request, attempt_id))
