"""An expired session mid-exam (Chromium): the exam page keeps the answer in its
journal, says so and offers a new login; after logging in (another tab, same browser)
the journal sends the answer by itself."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


@pytest.fixture
def formal_exam(energy, make_learner, grant_hours):
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    learner = make_learner(energy, real_name="李考生", password=PASSWORD)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    return learner, admit(sitting, enrolment)


def test_expired_session_keeps_answers_offers_login_and_flushes_after_it(page, live_server, formal_exam):
    from django.contrib.sessions.models import Session

    from exam_plugin.models import Attempt

    learner, candidate = formal_exam
    browser_login(page, learner.document_number, PASSWORD)
    page.goto("/programs/energy/exam/")
    page.click("button.enter-exam")
    expect(page.locator(".exam-question")).to_have_count(64)
    state = page.locator("#exam-save-state")
    page.locator("#q-0 input").first.check()
    expect(state).to_have_attribute("data-state", "saved")

    Session.objects.all().delete()  # the session expires server-side mid-exam
    page.locator("#q-1 input").nth(1).check()
    expect(state).to_have_attribute("data-state", "auth", timeout=15_000)
    relogin = page.locator("#exam-relogin")
    expect(relogin).to_be_visible()
    assert "/accounts/login/" in relogin.get_attribute("href")
    attempt = Attempt.objects.get(candidate=candidate)
    assert attempt.items.get(position=1).response is None  # not on the server yet…
    pending = page.evaluate("window.examJournal.pending().then(function (p) { return p.map(function (e) { return e.position; }); })")
    assert 1 in pending  # …but kept in the journal

    other = page.context.new_page()
    browser_login(other, learner.document_number, PASSWORD)
    other.close()
    expect(state).to_have_attribute("data-state", "saved", timeout=20_000)
    expect(relogin).to_have_count(0)
    item = attempt.items.get(position=1)
    assert item.response == [item.option_order[1]] and item.seq == 1
