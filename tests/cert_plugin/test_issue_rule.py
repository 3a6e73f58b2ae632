"""The issue rule: passed with a valid result AND hours met, whichever comes last."""

from datetime import date

import pytest
from django.dispatch import receiver
from django_tasks.signals import task_enqueued

from cert_plugin import services
from cert_plugin.models import Certificate, ExamPass
from cert_plugin.services import triggers
from cert_plugin.signals import certificate_issued


@pytest.fixture
def enqueued():
    names = []

    @receiver(task_enqueued, weak=False, dispatch_uid="test_cert_enqueued")
    def collect(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    yield names
    task_enqueued.disconnect(dispatch_uid="test_cert_enqueued")


def test_pass_then_hours_issues_when_hours_are_met(energy, make_learner, grant_hours, send_pass, enqueued):
    enrolment = make_learner(energy).enrolments.get()
    grant_hours(enrolment, 20)
    send_pass(enrolment, result_id="R-1")
    assert not Certificate.objects.exists()
    assert ExamPass.objects.filter(enrolment=enrolment).count() == 1
    grant_hours(enrolment, 15.9)  # 35.9 < 36
    assert not Certificate.objects.exists()
    grant_hours(enrolment, 0.1)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.exam_pass.result_id == "R-1"
    assert certificate.class_hours >= 36
    assert [n for n in enqueued if n.startswith("issue_certificate")] == ["issue_certificate_task"]  # via the queue


def test_hours_then_pass_issues_on_the_pass(energy, make_learner, grant_hours, send_pass):
    enrolment = make_learner(energy, level="intermediate").enrolments.get()
    grant_hours(enrolment, 40)
    assert not Certificate.objects.exists()
    send_pass(enrolment, result_id="R-2", passed_on=date(2026, 6, 20))
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.title == "综合能源服务专业技能人才（中级）"
    assert certificate.issuer == "中国节能协会"
    assert certificate.passed_on == date(2026, 6, 20)
    assert certificate.pdf_path and certificate.pdf_sha256


def test_invalidated_result_never_gets_a_certificate(energy, make_learner, grant_hours, send_pass, send_invalidation):
    enrolment = make_learner(energy).enrolments.get()
    send_pass(enrolment, result_id="R-3")
    send_invalidation(enrolment, "R-3", reason="考试违纪")
    grant_hours(enrolment, 36)
    assert not Certificate.objects.exists()
    assert services.eligible_pass(enrolment) is None
    # Even a batch issue for the program leaves it out.
    assert triggers.batch_issue(energy, background=False) == 0


def test_invalidation_after_issue_revokes(issued_certificate, send_invalidation):
    send_invalidation(issued_certificate.enrolment, "R-1", reason="替考")
    issued_certificate.refresh_from_db()
    assert issued_certificate.status == Certificate.Status.REVOKED
    assert "替考" in issued_certificate.revoke_reason
    assert issued_certificate.revoked_at is not None


def test_repeated_signals_and_tasks_issue_one_certificate(issued_certificate, send_pass, grant_hours):
    enrolment = issued_certificate.enrolment
    send_pass(enrolment, result_id="R-1")  # the same result announced again
    grant_hours(enrolment, 1)
    assert services.issue_certificate(issued_certificate.exam_pass_id) is None
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_programs_with_the_plugin_off_get_nothing(asset, make_learner, grant_hours, send_pass):
    from plugins import services

    services.disable(asset, "cert_plugin")
    enrolment = make_learner(asset).enrolments.get()
    grant_hours(enrolment, 36)
    send_pass(enrolment, result_id="DC-1")
    assert not ExamPass.objects.exists()
    assert not Certificate.objects.exists()


def test_certificate_issued_signal_carries_the_certificate(energy, make_learner, grant_hours, send_pass):
    seen = []

    @receiver(certificate_issued, weak=False, dispatch_uid="test_cert_issued_listener")
    def listen(sender, certificate, **kwargs):
        seen.append((sender.pk, certificate.number))

    try:
        enrolment = make_learner(energy).enrolments.get()
        grant_hours(enrolment, 36)
        send_pass(enrolment)
    finally:
        certificate_issued.disconnect(dispatch_uid="test_cert_issued_listener")
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert seen == [(energy.pk, certificate.number)]


def test_batch_issue_for_a_sitting_catches_missed_triggers(energy, make_learner, grant_hours):
    """Passes recorded while issuing was not triggered (e.g. a failed task) are issued in batch."""
    sitting, other = date(2026, 8, 15), date(2026, 10, 17)
    enrolments = []
    for passed_on in (sitting, sitting, other):
        enrolment = make_learner(energy).enrolments.get()
        grant_hours(enrolment, 36)
        ExamPass.objects.create(enrolment=enrolment, result_id=f"B-{enrolment.pk}", score=70, passed_on=passed_on)
        enrolments.append(enrolment)
    assert triggers.batch_issue(energy, passed_on=sitting) == 2
    assert Certificate.objects.filter(passed_on=sitting).count() == 2
    assert not Certificate.objects.filter(passed_on=other).exists()
    assert triggers.batch_issue(energy, passed_on=sitting) == 0  # nothing left to do


def test_an_invalidation_that_overtakes_its_pass_still_wins(energy, make_learner, grant_hours, send_pass, send_invalidation):
    enrolment = make_learner(energy).enrolments.get()
    grant_hours(enrolment, 36)
    send_invalidation(enrolment, "R-9", reason="成绩作废")
    send_pass(enrolment, result_id="R-9")
    assert not Certificate.objects.exists()
    # A later, valid pass (a re-sit) is certified.
    send_pass(enrolment, result_id="R-10")
    assert Certificate.objects.get(enrolment=enrolment).exam_pass.result_id == "R-10"
