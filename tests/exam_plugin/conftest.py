"""Fixtures for the exam plugin: an eligible energy learner, a sitting happening now."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def eligible(energy, make_learner, grant_hours):
    """``eligible(level="junior")``: a learner enrolled in energy with the hours met."""
    from course_content.models import Enrolment

    def factory(level="junior", **fields):
        user = make_learner(energy, level=level, **fields)
        enrolment = Enrolment.objects.get(learner=user, program=energy, level__code=level)
        grant_hours(enrolment, float(enrolment.level.required_hours))
        return enrolment

    return factory


@pytest.fixture
def sitting_now(energy):
    """``sitting_now(minutes_since_start=5)``: a formal energy sitting that started that
    many minutes ago and lasts two hours."""
    from exam_plugin.models import ExamSitting

    def factory(minutes_since_start=5, **fields):
        start = timezone.now() - timedelta(minutes=minutes_since_start)
        return ExamSitting.objects.create(
            program=energy, kind=fields.pop("kind", ExamSitting.Kind.FORMAL), starts_at=start,
            ends_at=start + timedelta(hours=2), **fields,
        )

    return factory


@pytest.fixture
def without_proctoring(energy):
    """The exam plugin alone (the proctor plugin's pre-flight checks are its own tests')."""
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    return energy


@pytest.fixture
def candidate(eligible, sitting_now):
    from exam_plugin.services.sittings import admit

    return admit(sitting_now(), eligible())


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def api_url(program, suffix=""):
    from plugins.urls import program_url

    return program_url(program, "exam_plugin:home") + "api/" + suffix
