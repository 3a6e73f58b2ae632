"""Inviting learners, answering and reading surveys (views and receivers only call these)."""

from django.utils import timezone

from plugins.services import get_settings

from ..models import SurveyAnswer


def invite(attempt) -> SurveyAnswer | None:
    """Open a survey for a handed-in formal ``attempt`` (idempotent); mock tests get none."""
    if attempt.mode != "formal":
        return None
    answer, _created = SurveyAnswer.objects.get_or_create(
        attempt=attempt,
        defaults={"program": attempt.enrolment.program, "learner": attempt.enrolment.learner},
    )
    return answer


def pending(program, learner) -> SurveyAnswer | None:
    """The learner's oldest unanswered survey in ``program``, if any."""
    return (
        SurveyAnswer.objects.filter(program=program, learner=learner, answered_at__isnull=True)
        .order_by("invited_at", "pk")
        .first()
    )


def answer(survey: SurveyAnswer, *, rating: int, comment: str, now=None) -> SurveyAnswer:
    survey.rating, survey.comment = rating, comment
    survey.answered_at = now or timezone.now()
    survey.save(update_fields=["rating", "comment", "answered_at"])
    return survey


def question(program) -> str:
    return get_settings(program, "survey_plugin")["question"]


def answers(program):
    return SurveyAnswer.objects.filter(program=program, answered_at__isnull=False).order_by("-answered_at")
