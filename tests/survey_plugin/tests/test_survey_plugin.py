"""The example plugin of docs/plugins.md: off → 404 and no signals; on → a survey appears
after a formal hand-in, its answer is stored, and the exam office can read it."""


from cms_site.accounts.services import roles
from exam_plugin.services import attempts
from plugins.services import is_enabled
from plugins.urls import program_url
from tests.survey_plugin.models import SurveyAnswer


def hand_in_formal(candidate):
    attempt = attempts.start_formal_attempt(candidate)
    return attempts.hand_in(attempt, reason="done", forced=False)


def test_off_by_default_gives_404_and_no_survey(without_proctoring, candidate, client):
    energy = without_proctoring
    assert not is_enabled(energy, "survey_plugin")
    hand_in_formal(candidate)
    assert not SurveyAnswer.objects.exists()  # the receiver was not called
    client.force_login(candidate.enrolment.learner)
    assert client.get(program_url(energy, "survey_plugin:survey")).status_code == 404
    assert client.get(program_url(energy, "survey_plugin:results")).status_code == 404


def test_on_survey_appears_after_hand_in_and_the_answer_is_stored(survey_on, candidate, client):
    learner = candidate.enrolment.learner
    client.force_login(learner)
    url = program_url(survey_on, "survey_plugin:survey")
    before = client.get(url)
    assert before.status_code == 200 and 'id="survey-none"' in before.content.decode()

    attempt = hand_in_formal(candidate)
    page = client.get(url).content.decode()
    assert 'id="survey-form"' in page and "本次考试内容与培训大纲是否相符？" in page
    assert "考后问卷" in page  # zh-hans first: the plugin's own catalogue is used

    bad = client.post(url, {"rating": "9", "comment": "x"})
    assert bad.status_code == 400 and SurveyAnswer.objects.get(attempt=attempt).answered_at is None

    assert client.post(url, {"rating": "4", "comment": "清楚。"}).status_code == 302
    stored = SurveyAnswer.objects.get(attempt=attempt)
    assert (stored.rating, stored.comment, stored.learner) == (4, "清楚。", learner)
    assert stored.answered_at is not None
    assert 'id="survey-none"' in client.get(url).content.decode()


def test_mock_tests_get_no_survey(survey_on, eligible, client):  # noqa: F811
    attempt = attempts.hand_in(attempts.start_mock_attempt(eligible()), reason="done", forced=False)
    assert attempt.status != "in_progress"
    assert not SurveyAnswer.objects.exists()


def test_results_are_for_the_exam_office_only(survey_on, candidate, client, make_learner):
    attempt = hand_in_formal(candidate)
    SurveyAnswer.objects.filter(attempt=attempt).update(rating=5, comment="很好", answered_at=attempt.submitted_at)
    url = program_url(survey_on, "survey_plugin:results")

    client.force_login(candidate.enrolment.learner)
    assert client.get(url).status_code == 403

    office = make_learner()
    office.groups.add(roles.group(roles.PROGRAM_ADMIN))  # granted by installed()
    client.force_login(office)
    body = client.get(url).content.decode()
    assert "很好" in body and candidate.enrolment.learner.real_name in body
