"""The push notices plugins send through ``cms_site.pwa.services.push.notify``: exam tomorrow (a
periodic job), result released and certificate issued. Each is delivered for real —
VAPID-signed, RFC 8291-encrypted — to the local receiver and decrypted there."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cms_site.management.commands.run_periodic import declared_jobs
from cms_site.pwa.models import PushNotice
from exam_plugin.models import Attempt, ExamSitting
from exam_plugin.services import attempts, grading, sittings
from exam_plugin.services.notices import remind_exam_tomorrow
from plugins.services import disable
from plugins.urls import program_url
from tests.pwa.conftest import allow_test_receiver
from tests.pwa.push_receiver import PushReceiver
from tests.pwa.test_push import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible(energy, make_learner, grant_hours):
    """``eligible()``: an energy (junior) enrolment with its hours met."""

    def factory():
        enrolment = make_learner(energy).enrolments.get()
        grant_hours(enrolment, float(enrolment.level.required_hours))
        return enrolment

    return factory


@pytest.fixture
def receivers(settings):
    """``receivers(n)``: n running local push receivers, allowed for this test."""
    opened = []

    def factory(n):
        for _ in range(n):
            receiver = PushReceiver().__enter__()
            allow_test_receiver(settings, receiver)
            opened.append(receiver)
        return opened[-n:]

    yield factory
    for receiver in opened:
        receiver.__exit__(None, None, None)


def with_device(client, user, receiver, language="zh-hans"):
    client.force_login(user)
    assert subscribe(client, receiver, language=language).status_code == 201
    client.logout()


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- exam tomorrow ---------------------------------------------------------------------


def test_exam_tomorrow_is_pushed_once_to_each_candidate_the_day_before(
    client, energy, eligible, receivers, django_capture_on_commit_callbacks
):
    today = timezone.localdate() + timedelta(days=20)  # "now" in the test: any day will do
    tomorrow_9 = local(today + timedelta(days=1), 9)
    exam = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.FORMAL, starts_at=tomorrow_9,
                                      ends_at=tomorrow_9 + timedelta(hours=2))
    later = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.FORMAL, starts_at=tomorrow_9 + timedelta(days=1),
                                       ends_at=tomorrow_9 + timedelta(days=1, hours=2))
    mock = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.MOCK, scored=False,
                                      starts_at=tomorrow_9, ends_at=tomorrow_9 + timedelta(hours=9))
    first, second, no_device = eligible(), eligible(), eligible()
    for enrolment in (first, second, no_device):
        sittings.admit(exam, enrolment)
    sittings.admit(later, first)
    sittings.admit(mock, second)
    zh, en = receivers(2)
    with_device(client, first.learner, zh, "zh-hans")
    with_device(client, second.learner, en, "en")

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_exam_tomorrow(now=local(today, 8, 59)) == 0  # not before 09:00
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_exam_tomorrow(now=local(today, 10)) == 2
    [request] = zh.wait_for(1)
    message = zh.message(request)
    assert message == {
        "kind": "exam_tomorrow", "title": "明天考试",
        "body": f"您的{energy.display_name}考试将于明天09:00开始。",
        "url": program_url(energy, "exam_plugin:home"), "tag": "exam_tomorrow", "lang": "zh-hans",
    }
    [english] = en.wait_for(1)
    assert en.message(english)["body"] == f"Your {energy.display_name} exam starts tomorrow at 09:00."

    with django_capture_on_commit_callbacks(execute=True):  # the next runs that day: nothing again
        assert remind_exam_tomorrow(now=local(today, 10, 15)) == 0
        assert remind_exam_tomorrow(now=local(today, 23, 45)) == 0
    assert len(zh.requests) == 1 and len(en.requests) == 1  # not for the mock, not for the day after

    late, = receivers(1)  # a candidate who subscribes a device later that day is still reminded
    with_device(client, no_device.learner, late)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_exam_tomorrow(now=local(today, 18)) == 1
    assert late.message(late.wait_for(1)[0])["kind"] == "exam_tomorrow"
    assert PushNotice.objects.filter(kind="exam_tomorrow").count() == 3


def test_exam_tomorrow_only_where_the_exam_plugin_is_on(client, energy, eligible, receivers,
                                                        django_capture_on_commit_callbacks):
    today = timezone.localdate() + timedelta(days=20)
    start = local(today + timedelta(days=1), 9)
    exam = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.FORMAL, starts_at=start,
                                      ends_at=start + timedelta(hours=2))
    enrolment = eligible()
    sittings.admit(exam, enrolment)
    receiver, = receivers(1)
    with_device(client, enrolment.learner, receiver)
    disable(energy, "proctor_plugin")
    disable(energy, "exam_plugin")
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_exam_tomorrow(now=local(today, 10)) == 0
    assert receiver.requests == [] and not PushNotice.objects.exists()


def test_reminders_and_certificate_notices_are_periodic_jobs():
    jobs = {(label, command): seconds for label, seconds, command, _options in declared_jobs()}
    assert jobs[("exam_plugin", "exam_reminders")] <= 3600  # several offers on the day before
    assert jobs[("cert_plugin", "cert_issue_notices")] <= 3600


# --- result released -------------------------------------------------------------------


def test_released_formal_results_are_pushed_pass_with_score_and_fail_without(
    client, energy, eligible, receivers, django_capture_on_commit_callbacks
):
    start = timezone.now() - timedelta(minutes=5)
    exam = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.FORMAL, starts_at=start,
                                      ends_at=start + timedelta(hours=2))
    passing, failing = eligible(), eligible()
    passed_attempt = attempts.start_formal_attempt(sittings.admit(exam, passing))
    failed_attempt = attempts.start_formal_attempt(sittings.admit(exam, failing))
    for attempt in (passed_attempt, failed_attempt):
        attempts.hand_in(attempt, reason="t", forced=False)
    Attempt.objects.filter(pk=passed_attempt.pk).update(status=Attempt.Status.GRADED, score=86.5, passed=True)
    pass_device, fail_device = receivers(2)
    with_device(client, passing.learner, pass_device)
    with_device(client, failing.learner, fail_device, "en")
    mock_enrolment = eligible()  # a mock paper is scored and released at once: no push
    mock_device, = receivers(1)
    with_device(client, mock_enrolment.learner, mock_device)

    with django_capture_on_commit_callbacks(execute=True):
        attempts.hand_in(attempts.start_mock_attempt(mock_enrolment), reason="t", forced=False)
        assert grading.release_sitting(exam) == 2

    passed = pass_device.message(pass_device.wait_for(1)[0])
    assert passed["kind"] == "exam_passed"
    assert passed["body"] == f"您以86.5分通过了{energy.display_name}考试。"
    assert passed["url"] == program_url(energy, "exam_plugin:result", attempt_id=passed_attempt.pk)
    failed = fail_device.message(fail_device.wait_for(1)[0])
    assert failed["kind"] == "results_released"
    assert failed["body"] == f"Your {energy.display_name} exam result has been released."
    assert failed["url"] == program_url(energy, "exam_plugin:result", attempt_id=failed_attempt.pk)
    assert "86.5" not in failed["body"]

    with django_capture_on_commit_callbacks(execute=True):
        assert grading.release_due() == 0
    assert len(pass_device.requests) == 1 and len(fail_device.requests) == 1 and mock_device.requests == []


# --- certificate issued ----------------------------------------------------------------


@pytest.fixture
def signing_keys(settings, tmp_path_factory):
    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path_factory.getbasetemp() / "cert-keys")


def _pass(enrolment, passed_on, result_id):
    from course_content.signals import exam_passed

    exam_passed.send(sender=enrolment.program, enrolment=enrolment, result_id=result_id, score=78, passed_on=passed_on)


def test_certificate_issued_is_pushed_on_its_issue_date(client, energy, eligible, receivers, signing_keys,
                                                        django_capture_on_commit_callbacks):
    from cert_plugin.models import Certificate
    from cert_plugin.services.notices import announce_due

    late, fresh = eligible(), eligible()
    late_device, fresh_device = receivers(2)
    with_device(client, late.learner, late_device)
    with_device(client, fresh.learner, fresh_device, "en")

    # A pass long ago: the certificate's issue date has passed when it is made: pushed at once.
    with django_capture_on_commit_callbacks(execute=True):
        _pass(late, timezone.localdate() - timedelta(days=150), "R-late")
    certificate = Certificate.objects.get(enrolment=late)
    message = late_device.message(late_device.wait_for(1)[0])
    assert message["kind"] == "certificate_issued" and message["title"] == "证书已颁发"
    assert message["body"] == f"您的{certificate.program_name}证书（编号{certificate.number}）已颁发。"
    assert message["url"] == program_url(energy, "cert_plugin:mine")

    # A pass today: the record exists at once, the holder sees it (and hears of it) on the issue date.
    with django_capture_on_commit_callbacks(execute=True):
        _pass(fresh, timezone.localdate(), "R-fresh")
    upcoming = Certificate.objects.get(enrolment=fresh)
    assert upcoming.issue_date > timezone.localdate() and fresh_device.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_due(now=local(upcoming.issue_date - timedelta(days=1), 12)) == 0
        assert announce_due(now=local(upcoming.issue_date, 8)) == 0  # not before 09:00
        assert announce_due(now=local(upcoming.issue_date, 9, 30)) == 1
        assert announce_due(now=local(upcoming.issue_date, 10, 30)) == 0  # once
    english = fresh_device.message(fresh_device.wait_for(1)[0])
    assert english["body"] == f"Your {upcoming.program_name} certificate {upcoming.number} has been issued."
    assert len(late_device.requests) == 1  # the job does not repeat the first notice


def test_no_certificate_notice_where_the_certificate_plugin_is_off(client, energy, eligible, receivers, signing_keys,
                                                                   django_capture_on_commit_callbacks):
    from cert_plugin.models import Certificate
    from cert_plugin.services.notices import announce_due

    enrolment = eligible()
    device, = receivers(1)
    with_device(client, enrolment.learner, device)
    with django_capture_on_commit_callbacks(execute=True):
        _pass(enrolment, timezone.localdate(), "R-off")
    certificate = Certificate.objects.get(enrolment=enrolment)
    disable(energy, "cert_plugin")
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_due(now=local(certificate.issue_date, 12)) == 0
    assert device.requests == []
