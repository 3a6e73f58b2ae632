"""The formal exam page as candidates expect it, in Chromium (proctoring off; the
proctored departures are in test_exam_room_offline.py): warnings at 15 and 5 minutes
left on the server's clock, and links/forms that would leave the page ask first."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


@pytest.fixture
def open_attempt(energy, make_learner, grant_hours):
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.attempts import start_formal_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    learner = make_learner(energy, password=PASSWORD)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    return learner, start_formal_attempt(admit(sitting, enrolment))


def _deadline_in(attempt, **delta):
    from django.utils import timezone

    type(attempt).objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(**delta))


def test_time_warnings_follow_the_server_clock(page, open_attempt):
    learner, attempt = open_attempt
    browser_login(page, learner.username, PASSWORD)
    url = f"/programs/energy/exam/attempts/{attempt.pk}/"
    page.goto(url)
    expect(page.locator(".exam-question")).to_have_count(64)
    expect(page.locator("#exam-time-warning")).to_be_hidden()  # almost two hours left

    _deadline_in(attempt, minutes=10)  # the server's deadline moves; the page follows it
    page.reload()
    expect(page.locator("#exam-time-warning")).to_be_visible()
    expect(page.locator("#exam-time-warning")).to_contain_text("15 分钟")
    expect(page.locator("#exam-countdown")).to_have_text(re.compile(r"^(09|10):\d\d$"))

    _deadline_in(attempt, minutes=4)
    page.reload()
    expect(page.locator("#exam-time-warning")).to_contain_text("5 分钟")


def test_leaving_a_formal_exam_through_the_header_asks_first(page, open_attempt):
    from exam_plugin.models import Attempt

    learner, attempt = open_attempt
    browser_login(page, learner.username, PASSWORD)
    url = f"/programs/energy/exam/attempts/{attempt.pk}/"
    page.goto(url)
    expect(page.locator(".exam-question")).to_have_count(64)
    expect(page.locator("#lang-select")).to_be_disabled()  # it submits itself: off during the exam

    my_learning = page.locator(".site-nav a", has_text="我的学习")
    my_learning.click()
    expect(page.locator("#exam-leave")).to_be_visible()
    page.click("#exam-leave-stay")
    expect(page.locator("#exam-leave")).to_be_hidden()
    assert page.url.endswith(url)

    # the logout form asks too
    page.locator(".site-nav form button").first.click()
    expect(page.locator("#exam-leave")).to_be_visible()
    page.click("#exam-leave-stay")
    assert page.url.endswith(url)

    my_learning.click()
    page.click("#exam-leave-yes")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert Attempt.objects.get(pk=attempt.pk).is_open  # leaving the page hands nothing in
