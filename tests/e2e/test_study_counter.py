"""The lesson page's live study counter in Chromium: one unit (class hours with minutes),
ticking every second, reconciled with the server, always visible on a 390 px phone; and the
"still studying?" prompt that pauses counter and heartbeats until it is answered."""

import time

import pytest
from playwright.sync_api import expect

from course_content.models import Enrolment, LessonPage
from course_content.services.ledger import credited_seconds
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


def wait_until(page, condition, timeout=30):
    """Wait for a server-side condition (the ledger) without fixed sleeps."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        page.wait_for_timeout(200)


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844},
                                   device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_counter_ticks_in_class_hours_and_stays_visible_on_a_phone(phone, settings, energy, make_learner):
    settings.STUDY_HEARTBEAT_SECONDS = 3
    learner = make_learner(energy, level="junior", password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
    browser_login(phone, learner.username, PASSWORD)
    phone.goto(lesson.url)

    counter = phone.locator("#lesson-studied")
    # One unit on the page: class hours with minutes; the required hours in the same unit.
    expect(counter).to_contain_text("学时")
    expect(counter).to_contain_text("分")
    panel = phone.locator(".study-panel")
    expect(panel).to_contain_text(f"应学 {lesson.declared_class_hours.normalize():f} 学时")
    assert "0:0" not in panel.inner_text()  # no h:mm:ss clock next to class hours any more

    first = counter.inner_text()
    expect(counter).not_to_have_text(first, timeout=20_000)  # ticks without waiting for a heartbeat
    second = counter.inner_text()
    expect(counter).not_to_have_text(second, timeout=20_000)
    expect(phone.locator("#study-status")).to_have_attribute("data-state", "counting")

    # Heartbeats reach the ledger; the counter follows the server's total.
    wait_until(phone, lambda: credited_seconds(enrolment) >= 3)
    shown = int(counter.get_attribute("data-seconds"))
    assert shown >= 3

    # Visible at all times on a phone, and it does not hide the lesson's start.
    box = panel.bounding_box()
    heading = phone.locator("article.lesson h1").bounding_box()
    assert heading["y"] >= box["y"] + box["height"] - 1, (box, heading)
    for fraction in (0.5, 1.0):
        phone.evaluate(f"window.scrollTo(0, document.documentElement.scrollHeight * {fraction})")
        expect(panel).to_be_in_viewport(ratio=1)
        rect = phone.evaluate("(() => { const r = document.querySelector('.study-panel').getBoundingClientRect(); "
                              "return [r.top, r.bottom, window.innerHeight]; })()")
        assert 0 <= rect[0] and rect[1] <= rect[2], rect
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_still_studying_prompt_pauses_the_counter_until_answered(page, settings, energy, make_learner):
    n = 2
    settings.STUDY_HEARTBEAT_SECONDS = n
    settings.STUDY_HEARTBEAT_TOLERANCE_SECONDS = 1
    settings.STUDY_IDLE_SECONDS = 5  # the program's prompt time, shortened for the test
    learner = make_learner(energy, level="junior", password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
    browser_login(page, learner.username, PASSWORD)
    page.goto(lesson.url)
    opened = time.monotonic()

    dialog = page.get_by_role("dialog", name="您还在学习吗？")
    expect(dialog).to_be_visible(timeout=30_000)  # no input since the page opened
    asked = time.monotonic()
    assert asked - opened >= 5 - 1
    expect(page.locator("#study-status")).to_have_attribute("data-state", "paused")
    wait_until(page, lambda: credited_seconds(enrolment) > 0)  # what was studied before the prompt counts

    frozen_text = page.locator("#lesson-studied").inner_text()
    frozen_credit = credited_seconds(enrolment)
    page.wait_for_timeout(4 * n * 1000)  # four heartbeat intervals unanswered: nothing may move
    assert page.locator("#lesson-studied").inner_text() == frozen_text
    assert credited_seconds(enrolment) == frozen_credit
    unanswered = time.monotonic() - asked

    page.get_by_role("button", name="是的，继续学习").click()
    answered = time.monotonic()
    expect(dialog).to_be_hidden()
    expect(page.locator("#study-status")).to_have_attribute("data-state", "counting")
    expect(page.locator("#lesson-studied")).not_to_have_text(frozen_text, timeout=20_000)

    # Keep the learner active; the credit resumes but never includes the unanswered time.
    deadline = time.monotonic() + 40
    x = 10
    while credited_seconds(enrolment) < frozen_credit + 2 * n and time.monotonic() < deadline:
        x = 30 if x == 10 else 10
        page.mouse.move(x, 200)
        page.wait_for_timeout(250)
    total = credited_seconds(enrolment)
    assert total >= frozen_credit + 2 * n
    wall = time.monotonic() - opened
    assert total <= wall - unanswered + n + 2, (total, wall, unanswered)
    assert time.monotonic() - answered > 0
