from datetime import timedelta

import pytest
from django.utils import timezone

from course_content.models import Enrolment, LessonPage
from course_content.services.ledger import Heartbeat


@pytest.fixture
def t0():
    """A fixed past moment on whole seconds; tests pass explicit server times."""
    return timezone.now().replace(microsecond=0) - timedelta(days=1)


@pytest.fixture
def lesson_a(energy):
    return LessonPage.objects.descendant_of(energy).get(slug="comprehensive-energy-service-talent")


@pytest.fixture
def lesson_b(energy):
    return LessonPage.objects.descendant_of(energy).get(slug="market-size")


@pytest.fixture
def senior_only_lesson(energy):
    return LessonPage.objects.descendant_of(energy).get(slug="smart-energy-evaluation")


@pytest.fixture
def learner(energy, make_learner):
    return make_learner(energy, level="junior")


@pytest.fixture
def enrolment(learner, energy):
    return Enrolment.objects.get(learner=learner, program=energy)


@pytest.fixture
def beat():
    """``beat(lesson, seq, end, seconds=30, device="tab-1", **fields)`` → Heartbeat."""

    def make(lesson, seq, end, seconds=30, device="tab-1", **fields):
        return Heartbeat(
            lesson_id=lesson.pk, device_id=device, seq=seq,
            started_at=end - timedelta(seconds=seconds), ended_at=end, **fields,
        )

    return make
