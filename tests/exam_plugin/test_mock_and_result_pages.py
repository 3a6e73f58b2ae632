"""Mock paper instructions before starting, the pass line on a mock result, and the release
date on a formal result that is not released yet."""

from datetime import timedelta

from django.utils import timezone

from exam_plugin.models import Attempt, ExamSitting
from exam_plugin.services import attempts
from exam_plugin.services.sittings import admit, derived_dates
from plugins.services import update_settings
from plugins.urls import program_url


def test_mock_instructions_state_duration_questions_pass_line_and_that_it_does_not_count(eligible, logged_in, energy):
    enrolment = eligible()
    update_settings(energy, "exam_plugin", mock_minutes=90, pass_points=72)
    client = logged_in(enrolment.learner)
    home = client.get(program_url(energy, "exam_plugin:home")).content.decode()
    assert program_url(energy, "exam_plugin:mock") in home  # the home's button leads to the instructions

    response = client.get(program_url(energy, "exam_plugin:mock"), {"enrolment": enrolment.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "考试时长：90 分钟" in body
    assert "题目数量：64 道（共 100 分）" in body  # the energy blueprint: 40 + 20 + 4 questions
    assert "及格线：72 分（满分 100 分）" in body
    assert "模拟考试不计入成绩" in body
    assert program_url(energy, "exam_plugin:start_mock") in body
    assert not Attempt.objects.filter(enrolment=enrolment).exists()  # reading starts nothing


def test_mock_instructions_of_someone_else_are_404(eligible, logged_in, energy, make_learner):
    mine, theirs = eligible(), eligible()
    client = logged_in(mine.learner)
    assert client.get(program_url(energy, "exam_plugin:mock"), {"enrolment": theirs.pk}).status_code == 404
    assert client.get(program_url(energy, "exam_plugin:mock"), {"enrolment": "x"}).status_code == 404
    assert logged_in(make_learner()).get(program_url(energy, "exam_plugin:mock")).status_code == 404  # not enrolled


def test_a_mock_result_shows_the_pass_line(eligible, logged_in, energy):
    enrolment = eligible()
    attempt = attempts.hand_in(attempts.start_mock_attempt(enrolment), reason="done", forced=False)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.RELEASED
    body = logged_in(enrolment.learner).get(
        program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)).content.decode()
    assert 'id="exam-pass-line"' in body and "及格线：60 分（满分 100 分）" in body
    assert "您尚未达到及格线" in body  # nothing answered
    assert "模拟考试成绩不作为发证依据" in body


def _handed_in_formal(eligible, energy, **sitting_fields):
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    start = timezone.now() - timedelta(minutes=10)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2), **sitting_fields)
    attempt = attempts.start_formal_attempt(admit(sitting, eligible()))
    return attempts.hand_in(attempt, reason="done", forced=False)


def test_a_pending_result_shows_the_release_date_set_by_the_exam_office(eligible, logged_in, energy):
    release = timezone.now() + timedelta(days=12)
    attempt = _handed_in_formal(eligible, energy, results_released_at=release)
    body = logged_in(attempt.enrolment.learner).get(
        program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)).content.decode()
    assert 'id="exam-pending"' in body
    assert f"成绩将于 {timezone.localtime(release):%Y-%m-%d} 发布" in body


def test_a_pending_result_without_a_set_date_shows_the_date_the_rules_give(eligible, logged_in, energy):
    attempt = _handed_in_formal(eligible, energy)
    expected = derived_dates(attempt.sitting)["results"]
    assert expected is not None
    body = logged_in(attempt.enrolment.learner).get(
        program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)).content.decode()
    assert 'id="exam-release-date"' in body and f"{expected:%Y-%m-%d}" in body
