"""The candidate JSON API (django-ninja), mounted per program under
``/programs/<program>/exam/api/`` behind the plugin gate (``request.program`` is set).

Every endpoint checks that the attempt belongs to the logged-in learner and to the
program (404 otherwise). Session auth; ninja enforces CSRF on unsafe methods.
"""

from datetime import datetime
from typing import Annotated

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.security import django_auth

from .models import Attempt, KnowledgePoint, Question
from .services import attempts as attempt_services
from .services import clock, payloads, practice


class ExamAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Mounted under every program: document paths with a {program} placeholder.
        return super().get_openapi_schema(path_prefix=path_prefix or "/programs/{program}/exam/api/")


api = ExamAPI(
    title="Exam API",
    version="1.0",
    description="Candidate API of the exam plugin: paper, autosave, clock, hand-in, result, practice.",
    urls_namespace="exam_api",
    auth=django_auth,
    docs_url=None,  # Swagger UI loads from a CDN; the schema itself is served at openapi.json
)


class Message(Schema):
    detail: str


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


class Clock(Schema):
    status: str
    server_now: datetime
    deadline: datetime
    earliest_hand_in: datetime
    seconds_left: int


# Bounds keep every value inside what the database stores (32-bit integers, text
# without NUL) so a malformed client gets a 422, never a server error.
Position = Annotated[int, Field(ge=0, le=10_000)]
OptionIndex = Annotated[int, Field(ge=0, le=100)]
AnswerText = Annotated[str, Field(max_length=20_000, pattern=r"^[^\x00]*$")]


class AnswerIn(Schema):
    position: Position
    seq: Annotated[int, Field(ge=0, le=2**31 - 1)]  # AttemptItem.seq is a PositiveIntegerField
    value: Annotated[list[OptionIndex], Field(max_length=100)] | OptionIndex | AnswerText | None = None
    client_written_at: datetime | None = None


class AnswersIn(Schema):
    answers: Annotated[list[AnswerIn], Field(max_length=500)]


class SaveOut(Schema):
    saved: list[int]
    stale: list[int]
    errors: dict[str, str]
    acked: dict[str, int]
    server_now: datetime
    deadline: datetime


class ReviewItem(Schema):
    position: int
    kind: str
    stem: str
    options: list[str]
    value: list[int] | str | None = None
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


class PracticePoint(Schema):
    code: str
    name: str
    questions: int


class PracticeQuestion(Schema):
    id: int
    kind: str
    stem: str
    options: list[str]


class PracticeAnswer(Schema):
    question_id: Annotated[int, Field(ge=1, le=2**62)]
    value: Annotated[list[OptionIndex], Field(max_length=100)] | OptionIndex | AnswerText | None = None


class PracticeFeedback(Schema):
    correct: bool | None = None
    correct_options: list[int]
    reference_answer: str


def _attempt(request, attempt_id) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("enrolment__program", "enrolment__level", "sitting"),
        pk=attempt_id, enrolment__learner=request.user, enrolment__program=request.program,
    )
    return attempt_services.refresh(attempt)


@api.get("attempts/{attempt_id}", response=Paper, summary="The paper of an attempt with the saved answers")
def get_paper(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    return payloads.paper_payload(attempt)


@api.get("attempts/{attempt_id}/clock", response=Clock, summary="Server time and the deadline")
def get_clock(request, attempt_id: int):
    return payloads.clock_payload(_attempt(request, attempt_id))


@api.post("attempts/{attempt_id}/answers", response={200: SaveOut, 409: Message},
          summary="Save answers (idempotent upsert; stale sequence numbers are ignored)")
def save_answers(request, attempt_id: int, payload: AnswersIn):
    # The hot path (every candidate, every few seconds): a narrow query, no joins.
    attempt = get_object_or_404(
        Attempt.objects.only("id", "status", "deadline", "enrolment_id", "sitting_id"),
        pk=attempt_id, enrolment__learner_id=request.user.pk, enrolment__program_id=request.program.pk,
    )
    try:
        result = attempt_services.save_answers(attempt, [a.dict() for a in payload.answers])
    except attempt_services.AttemptError as err:
        return Status(409, {"detail": str(err)})
    return Status(200, {**result, "server_now": clock.timezone.now(), "deadline": attempt.deadline})


@api.post("attempts/{attempt_id}/hand-in", response={200: Clock, 409: Message}, summary="Hand in the paper")
def hand_in(request, attempt_id: int):
    attempt = _attempt(request, attempt_id)
    try:
        attempt = attempt_services.candidate_hand_in(attempt)
    except (attempt_services.AttemptError, clock.ClockRefusal) as err:
        return Status(409, {"detail": str(err)})
    return Status(200, payloads.clock_payload(attempt))


@api.get("attempts/{attempt_id}/result", response=Result, summary="Score, pass/fail and review once released")
def get_result(request, attempt_id: int):
    return payloads.result_payload(_attempt(request, attempt_id))


def _enrolment(request):
    enrolment = practice.enrolment_for(request.user, request.program)
    if enrolment is None:
        raise Http404
    return enrolment


@api.get("practice/points", response=list[PracticePoint], summary="Knowledge points with practice questions")
def practice_points(request):
    return practice.points_with_questions(_enrolment(request))


@api.get("practice/questions", response=list[PracticeQuestion], summary="Practice questions of a knowledge point")
def practice_questions(
    request, point: Annotated[str, Query(max_length=40, pattern=r"^[\w.\-]+$")], count: int = 10
):
    enrolment = _enrolment(request)
    kp = get_object_or_404(KnowledgePoint, program=request.program, code=point)
    return practice.questions_for(enrolment, kp, min(max(count, 1), 50))


@api.post("practice/check", response=PracticeFeedback, summary="Immediate feedback on a practice answer")
def practice_check(request, payload: PracticeAnswer):
    enrolment = _enrolment(request)
    question = get_object_or_404(Question, pk=payload.question_id, program=request.program)
    if not question.allowed_in(formal=False):
        raise Http404
    return practice.check(enrolment, question, payload.value)
