"""Fixtures of the certificate plugin tests.

A pass is simulated exactly as the exam plugin announces one: the core ``exam_passed``
signal sent with the program as sender.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _signing_key_dir(settings, tmp_path_factory):
    """One throwaway signing key for the whole session (never the developer's)."""
    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path_factory.getbasetemp() / "cert-keys")


@pytest.fixture
def send_pass():
    """``send_pass(enrolment, passed_on=..., result_id=..., score=...)`` as the exam plugin does."""
    from course_content.signals import exam_passed

    counter = {"n": 0}

    def send(enrolment, passed_on=None, result_id=None, score=Decimal("78")):
        counter["n"] += 1
        exam_passed.send(
            sender=enrolment.program,
            enrolment=enrolment,
            result_id=result_id or f"result-{enrolment.pk}-{counter['n']}",
            score=score,
            passed_on=passed_on or long_ago(),
        )

    return send


@pytest.fixture
def send_invalidation():
    from course_content.signals import exam_result_invalidated

    def send(enrolment, result_id, reason="作弊"):
        exam_result_invalidated.send(sender=enrolment.program, enrolment=enrolment, result_id=result_id, reason=reason)

    return send


def long_ago() -> date:
    """A pass date whose issue and search dates (45/50 working days) are long past."""
    from django.utils import timezone

    return timezone.localdate() - timedelta(days=150)


@pytest.fixture
def issued_certificate(energy, make_learner, grant_hours, send_pass):
    """A learner of the energy program (junior) with a valid, issued, searchable certificate."""
    from cert_plugin.models import Certificate

    learner = make_learner(energy, real_name="张三丰", phone="13812345678")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    send_pass(enrolment, result_id="R-1")
    return Certificate.objects.get(enrolment=enrolment)
