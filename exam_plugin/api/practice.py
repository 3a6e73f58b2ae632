"""Practice for enrolled learners: knowledge points, questions with immediate feedback, and
sets taken offline (``services.offline_practice``) whose results sync back."""

from typing import Annotated

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from ..models import KnowledgePoint, Question
from ..services import offline_practice, practice
from .base import QuestionAnswer, api


class PracticePoint(Schema):
    code: str
    name: str
    questions: int


class PracticeQuestion(Schema):
    id: int
    kind: str
    stem: str
    options: list[str]


class PracticeFeedback(Schema):
    correct: bool | None = None
    correct_options: list[int]
    reference_answer: str


def _enrolment(request):
    enrolment = practice.enrolment_for(request.user, request.program)
    if enrolment is None:
        raise Http404
    return enrolment


@api.get(
    "practice/points",
    response=list[PracticePoint],
    summary="Knowledge points with practice questions",
)
def practice_points(request):
    return practice.points_with_questions(_enrolment(request))


@api.get(
    "practice/questions",
    response=list[PracticeQuestion],
    summary="Practice questions of a knowledge point",
)
def practice_questions(
    request, point: Annotated[str, Query(max_length=40, pattern=r"^[\w.\-]+$")], count: int = 10
):
    enrolment = _enrolment(request)
    kp = get_object_or_404(KnowledgePoint, program=request.program, code=point)
    return practice.questions_for(enrolment, kp, min(max(count, 1), 50))


@api.post(
    "practice/check", response=PracticeFeedback, summary="Immediate feedback on a practice answer"
)
def practice_check(request, payload: QuestionAnswer):
    enrolment = _enrolment(request)
    question = get_object_or_404(Question, pk=payload.question_id, program=request.program)
    if not practice.may_check(enrolment, question):
        raise Http404  # the same answer as an unknown id: no signal about formal questions
    return practice.check(enrolment, question, payload.value)


# Offline practice (``exam_plugin.services.offline_practice``): a set to take on the device, results
# synced back. The set holds practice-pool questions only (``services.exposure``, bulk rule).


class OfflinePracticeItem(Schema):
    id: int
    kind: str
    stem: str
    options: list[str]
    correct_options: list[int]
    reference_answer: str


class OfflinePracticeSet(Schema):
    program: str
    level: str
    released_at: str
    questions: list[OfflinePracticeItem]


class OfflineResultIn(Schema):
    # Kept lenient (a string) on purpose: a result with a bad id or time is refused or
    # stored without a time *on its own*, so one bad entry never blocks a device's queue.
    client_uuid: Annotated[str, Field(max_length=64, pattern=r"^[^\x00]*$")]
    taken_at: Annotated[str, Field(max_length=64, pattern=r"^[^\x00]*$")] | None = None
    answers: Annotated[list[QuestionAnswer], Field(max_length=200)]


class OfflineResultsIn(Schema):
    results: Annotated[list[OfflineResultIn], Field(min_length=1, max_length=50)]


class OfflineOutcome(Schema):
    client_uuid: str | None = None
    status: str
    score: int | None = None
    max_score: int | None = None
    detail: str | None = None


class OfflineOutcomes(Schema):
    results: list[OfflineOutcome]


@api.get(
    "practice/offline/set",
    response=OfflinePracticeSet,
    summary="A practice set to take offline (practice pool, with keys)",
)
def offline_practice_set(
    request, response: HttpResponse, count: Annotated[int, Query(ge=1, le=100)] = 20
):
    response["Cache-Control"] = "private, no-store"
    return offline_practice.practice_set(_enrolment(request), count)


@api.post(
    "practice/offline/results",
    response=OfflineOutcomes,
    summary="Sync results taken offline (idempotent by client_uuid, scored again here)",
)
def offline_practice_results(request, payload: OfflineResultsIn):
    enrolment = _enrolment(request)
    results = [r.dict() for r in payload.results]
    return {"results": offline_practice.record_practice_results(enrolment, results)}
