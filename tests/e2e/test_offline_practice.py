"""An offline mock test in Debian's Chromium: download a practice set, go offline, reload
the page from the device, take and score the set there; back online the result syncs."""

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login
from tests.pwa.browser import (
    wagtail_root,  # noqa: F401 - autouse fixture
    wait_for_js,
    wait_until_controlled,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_take_a_practice_set_offline_and_sync_the_result(page, energy, make_learner):
    from exam_plugin.models import PracticeResult

    learner = make_learner(energy, password="Study-2026!")
    browser_login(page, learner.username, "Study-2026!")
    page.goto("/programs/energy/exam/practice/offline/")
    wait_until_controlled(page)
    wait_for_js(page, "caches.open('pwa-keep-practice-energy').then((c) => c.keys()).then((k) => k.length >= 2)")
    page.click("#offline-practice-download")
    expect(page.locator(".offline-practice-question")).to_have_count(20)

    page.context.set_offline(True)
    page.reload()
    questions = page.locator(".offline-practice-question")
    expect(questions).to_have_count(20)
    first = questions.first
    if first.locator("input").count():
        first.locator("input").first.check()
    page.click("#offline-practice-score")
    expect(page.locator("#offline-practice-result")).to_be_visible()
    expect(page.locator("#offline-practice-result")).to_contain_text("得分")
    expect(page.locator("#offline-practice")).to_have_attribute("data-waiting", "1")
    assert not PracticeResult.objects.exists()

    page.context.set_offline(False)
    expect(page.locator("#offline-practice")).to_have_attribute("data-waiting", "0", timeout=15_000)
    result = PracticeResult.objects.get()
    assert result.enrolment.learner_id == learner.pk and result.max_score >= 1
