"""Exam pages show certificate dates only as the certificate plugin answers them
(``plugins.signals.certificate_dates``): with the plugin off for the program nobody answers,
and the exam home, the result page and the program page stop advertising certificates.
The plugin is switched through ``plugins.services`` like an admin does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cert_plugin.services import certificate_dates as cert_rules
from exam_plugin.models import Attempt, ExamSitting
from exam_plugin.services import attempts, grading, sittings
from plugins.services import disable, enable, update_settings
from plugins.urls import program_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(energy, eligible):
    """An eligible learner admitted to a formal energy sitting in a month."""
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=30)
    sitting = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.FORMAL, starts_at=start,
                                         ends_at=start + timedelta(hours=2))
    enrolment = eligible()
    sittings.admit(sitting, enrolment)
    return sitting, enrolment


def _sitting_row(html, sitting):
    row = html[html.index(f'data-sitting="{sitting.pk}"'):]
    return row[:row.index("</div>")]


def test_exam_home_shows_the_certificate_plugins_dates_only_while_it_is_on(client, energy, upcoming):
    sitting, enrolment = upcoming
    update_settings(energy, "cert_plugin", issue_lag_working_days=20, search_lag_working_days=30)
    expected = cert_rules(energy, timezone.localdate(sitting.starts_at))
    client.force_login(enrolment.learner)
    home = program_url(energy, "exam_plugin:home")

    row = _sitting_row(client.get(home, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode(), sitting)
    assert "证书颁发" in row and f"{expected.issue_date:%Y-%m-%d}" in row
    assert "证书可查询" in row and f"{expected.searchable_from:%Y-%m-%d}" in row  # the plugin's own lags, not 45/50

    disable(energy, "cert_plugin")
    row = _sitting_row(client.get(home, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode(), sitting)
    assert "证书颁发" not in row and "证书可查询" not in row
    assert f"{expected.issue_date:%Y-%m-%d}" not in row and f"{expected.searchable_from:%Y-%m-%d}" not in row
    assert "报名截止" in row  # the exam's own dates stay
    assert sittings.derived_dates(sitting)["certificate"] is None

    program_page = client.get(energy.url).content.decode()
    assert f"{expected.issue_date:%Y-%m-%d}" not in program_page

    enable(energy, "cert_plugin")
    assert sittings.derived_dates(sitting)["certificate"] == expected.issue_date
    assert f"{expected.issue_date:%Y-%m-%d}" in client.get(energy.url).content.decode()


def test_result_page_of_a_pass_shows_certificate_dates_only_while_the_plugin_is_on(client, energy, candidate):
    attempt = attempts.start_formal_attempt(candidate)
    attempts.hand_in(attempt, reason="t", forced=False)
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.GRADED, score=90, passed=True)
    grading.release_sitting(candidate.sitting)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.RELEASED and attempt.passed
    expected = cert_rules(energy, timezone.localdate(candidate.sitting.starts_at))
    client.force_login(candidate.enrolment.learner)
    url = program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="exam-certificate-dates"' in html
    assert f"issued on {expected.issue_date:%Y-%m-%d}" in html and f"from {expected.searchable_from:%Y-%m-%d}" in html

    disable(energy, "cert_plugin")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="exam-certificate-dates"' not in html and f"{expected.issue_date:%Y-%m-%d}" not in html
    assert 'id="exam-score"' in html  # the result itself is still shown


def test_no_certificate_dates_for_a_result_that_did_not_pass(client, energy, candidate):
    attempt = attempts.start_formal_attempt(candidate)
    attempts.hand_in(attempt, reason="t", forced=False)  # nothing answered: 0 points
    grading.release_sitting(candidate.sitting)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.RELEASED and attempt.passed is False
    assert sittings.result_certificate_dates(attempt) is None
    client.force_login(candidate.enrolment.learner)
    html = client.get(program_url(energy, "exam_plugin:result", attempt_id=attempt.pk)).content.decode()
    assert 'id="exam-certificate-dates"' not in html
