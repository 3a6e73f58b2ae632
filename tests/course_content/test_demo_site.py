"""What ./scripts/run.sh shows: all five programs with content, and demo accounts that
include a dual-carbon learner logging in as the pre-read says."""

import pytest

from course_content.models import LessonPage, ProgramPage
from course_content.services.demo import create_demo_accounts
from exam_plugin.models import ExamSitting, Question

pytestmark = pytest.mark.django_db


def test_all_five_programs_have_lessons_questions_and_sittings(site_data):
    programs = list(ProgramPage.objects.live())
    assert len(programs) == 5
    for program in programs:
        assert LessonPage.objects.live().descendant_of(program).count() >= 10, program.slug
        assert Question.objects.filter(program=program, is_current=True).count() >= 60, program.slug
        assert ExamSitting.objects.filter(program=program, kind="formal").exists(), program.slug


def test_demo_accounts_include_a_dual_carbon_learner_who_logs_in_with_the_phone(client, site_data):
    lines = create_demo_accounts()
    assert create_demo_accounts() == lines  # idempotent
    line = next(line for line in lines if line.startswith("dual-carbon"))
    phone, password = line.split()[1], line.split()[3]
    assert password == ProgramPage.objects.get(slug="emission").initial_password == "Abcd@1234"
    response = client.post("/accounts/login/", {"username": phone, "password": password})
    assert response.status_code == 302
    # The initial password must be changed first: every page leads to the change form.
    assert "password" in client.get("/", follow=False).get("Location", "")
