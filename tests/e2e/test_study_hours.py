"""Measured study hours in Chromium: heartbeats from a real lesson page reach the ledger,
the dashboard shows them, and a second simultaneous tab does not double the credit."""

import time

import pytest
from playwright.sync_api import expect

from course_content.models import Enrolment, LessonPage
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"
N = 2  # heartbeat seconds in this test
SLACK = 2  # request latency on a loaded machine and whole-second rounding


def credited_on_dashboard(dashboard, enrolment) -> int:
    dashboard.goto("/dashboard/")
    card = dashboard.locator(f"section.enrolment[data-enrolment='{enrolment.pk}']")
    return int(card.get_attribute("data-credited-seconds"))


def keep_active_until(pages, condition, timeout):
    """Move the mouse on every page (learner activity) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    x = 10
    while time.monotonic() < deadline:
        for pg in pages:
            x = 30 if x == 10 else 10
            pg.mouse.move(x, 200)
        if condition():
            return
        pages[0].wait_for_timeout(250)
    raise AssertionError("condition not reached in time")


def test_studying_a_lesson_increases_dashboard_hours_without_double_counting(
    page, settings, energy, make_learner
):
    settings.STUDY_HEARTBEAT_SECONDS = N
    settings.STUDY_IDLE_SECONDS = 60  # the "still studying?" prompt stays away while the test moves the mouse
    settings.STUDY_HEARTBEAT_TOLERANCE_SECONDS = 1
    learner = make_learner(energy, level="junior", password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    lesson_a = LessonPage.objects.descendant_of(energy).get(slug="comprehensive-energy-service-talent")
    lesson_b = LessonPage.objects.descendant_of(energy).get(slug="market-size")

    browser_login(page, learner.username, PASSWORD)
    dashboard = page.context.new_page()
    assert credited_on_dashboard(dashboard, enrolment) == 0

    # One tab studies lesson A for about five heartbeats.
    page.goto(lesson_a.url)
    started = time.monotonic()
    from course_content.services.ledger import credited_seconds

    keep_active_until([page], lambda: credited_seconds(enrolment) >= 5 * N, timeout=90)
    studied = time.monotonic() - started
    shown = credited_on_dashboard(dashboard, enrolment)
    assert studied - N - SLACK <= shown <= studied + SLACK, (shown, studied)
    assert page.locator("#study-status").get_attribute("data-state") == "counting"
    assert int(page.locator("#lesson-studied").get_attribute("data-seconds")) > 0

    # A second tab on another lesson at the same time: the learner's time counts once.
    second = page.context.new_page()
    second.goto(lesson_b.url)
    before = credited_on_dashboard(dashboard, enrolment)
    both_from = time.monotonic()
    keep_active_until([page, second], lambda: time.monotonic() - both_from >= 6 * N, timeout=60)
    elapsed = time.monotonic() - both_from
    gained = credited_on_dashboard(dashboard, enrolment) - before
    assert gained <= elapsed + N + SLACK, (gained, elapsed)  # double counting would be ≈ 2 × elapsed
    assert gained >= elapsed - 2 * N - SLACK, (gained, elapsed)
    lessons_credited = {row.lesson_id for row in enrolment.study_intervals.all()}
    assert lesson_a.pk in lessons_credited


def test_idle_learner_is_asked_and_gets_no_credit_while_asked(page, settings, energy, make_learner):
    settings.STUDY_HEARTBEAT_SECONDS = 1
    settings.STUDY_IDLE_SECONDS = 1
    from course_content.services.ledger import credited_seconds

    learner = make_learner(energy, level="junior", password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
    browser_login(page, learner.username, PASSWORD)
    page.goto(lesson.url)
    # Without any input the page asks "still studying?" and stops sending heartbeats.
    expect(page.locator("#study-status")).to_have_attribute("data-state", "paused", timeout=15_000)
    expect(page.locator("#still-studying")).to_be_visible()
    frozen = credited_seconds(enrolment)
    assert frozen <= 3  # at most the prompt time (plus a heartbeat's rounding) before it was asked
    page.wait_for_timeout(3000)  # three heartbeat intervals unanswered: none may credit anything
    assert credited_seconds(enrolment) == frozen


def test_lesson_and_policy_pages_fit_a_phone(chromium, live_server, energy):
    """No sideways scrolling at 390 px, readable body text, wide tables scroll in their box."""
    from course_content.models import PolicyPage

    context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844},
                                   device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        lesson = LessonPage.objects.descendant_of(energy).get(slug="market-size")
        policy = PolicyPage.objects.descendant_of(energy).get(slug="provincial-14th-fyp-energy-plans")
        for url in (lesson.url, policy.url):
            phone.goto(url)
            overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (url, overflow)
            size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.lesson-body p, .lesson-body td, td')).fontSize)")
            assert size >= 15, (url, size)
    finally:
        context.close()


def _webm(path, seconds=60, fps=10):
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"VP80"), fps, (160, 120))
    for frame_no in range(seconds * fps):
        frame = np.full((120, 160, 3), frame_no % 255, np.uint8)
        writer.write(frame)
    writer.release()
    return path


def test_a_playing_video_counts_but_seeking_ahead_adds_nothing(page, settings, energy, make_learner, tmp_path):
    import json

    from django.core.files import File
    from wagtail.documents.models import Document

    from course_content.services.ledger import credited_seconds

    settings.STUDY_HEARTBEAT_SECONDS = N
    settings.STUDY_IDLE_SECONDS = 10 * N  # the "still studying?" prompt; a playing video holds it off
    settings.STUDY_HEARTBEAT_TOLERANCE_SECONDS = 1
    with open(_webm(tmp_path / "lesson.webm"), "rb") as fh:
        video = Document.objects.create(title="课程视频", file=File(fh, name="lesson.webm"))
    lesson = LessonPage.objects.descendant_of(energy).get(slug="employment-outlook")
    lesson.body = json.dumps([{"type": "video", "value": {"video": video.pk, "poster": None, "caption": "视频"}}])
    lesson.save_revision().publish()
    learner = make_learner(energy, level="junior", password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)

    browser_login(page, learner.username, PASSWORD)
    page.goto(lesson.url)
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    # No mouse or keys from here on: only the playing video keeps the learner active.
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    started = time.monotonic()
    deadline = started + 60

    def counted_continuously():
        # Consecutive on-time heartbeats extend one interval. On a loaded machine a late timer
        # may start a new interval instead; wait until two beats in a row were on time.
        return credited_seconds(enrolment) >= 3 * N and enrolment.study_intervals.filter(heartbeats__gte=2).exists()

    while not counted_continuously() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert credited_seconds(enrolment) >= 3 * N
    assert enrolment.study_intervals.filter(heartbeats__gte=2).exists()

    # Jump 30 s ahead in the video: recorded as skipped, never credited.
    page.evaluate("() => { const v = document.querySelector('video'); v.currentTime = v.currentTime + 30; }")
    deadline = time.monotonic() + 30
    while not enrolment.study_intervals.filter(video_skipped_seconds__gte=25).exists() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert enrolment.study_intervals.filter(video_skipped_seconds__gte=25).exists()
    elapsed = time.monotonic() - started
    assert credited_seconds(enrolment) <= elapsed + SLACK

    # Paused video and no input: the page stops counting.
    page.evaluate("() => document.querySelector('video').pause()")
    expect(page.locator("#study-status")).to_have_attribute("data-state", "paused", timeout=15_000)
    frozen = credited_seconds(enrolment)
    page.wait_for_timeout(int(2.5 * N * 1000))  # two more ticks: neither may credit anything
    assert page.locator("#study-status").get_attribute("data-state") == "paused"
    assert credited_seconds(enrolment) <= frozen + N
