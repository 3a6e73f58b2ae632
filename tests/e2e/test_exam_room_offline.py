"""Exam-room rules hold offline and on the way out, in Chromium with a fake camera:
leaves made while the network is cut are journaled with their times and judged by the
server on reconnect exactly as live ones (past the limit → handed in with the reason;
within it → counted, nothing forced); leaving the exam page through the site header is
confirmed first and counted as a leave."""
# ruff: noqa: F811 - the camera fixtures are imported from test_proctor_flow and requested by name

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_proctor_flow import (  # noqa: F401 - fixtures
    _astronaut,
    _into_exam,
    _to_preflight,
    cam_page,
    camera_browser,
    candidate_with_face,
)
from tests.helpers import wait_for_js

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _until(check, timeout=60.0, page=None):
    """Poll server-side state until ``check()`` is truthy."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        if page is not None:
            page.wait_for_timeout(200)
        else:
            time.sleep(0.2)


def _start(cam_page, candidate_with_face, energy, **rules):
    from plugins.services import update_settings
    from proctor_plugin.models import ProctoredSitting

    update_settings(energy, "proctor_plugin", **rules)
    learner, candidate = candidate_with_face(_astronaut())
    _to_preflight(cam_page, learner)
    cam_page.click("#proctor-face-verify")
    _into_exam(cam_page)
    # the server has heard from the page (its last contact before the network goes)
    _until(lambda: ProctoredSitting.objects.get(candidate=candidate).last_seen_at is not None, page=cam_page)
    return candidate


def _leave_and_return_offline(page, wait_for_countdown_end=False):
    page.context.set_offline(True)
    page.evaluate("document.exitFullscreen()")
    expect(page.locator("#proctor-countdown")).to_be_visible()
    wait_for_js(page, "window.examJournal.pendingEvents().some((e) => e.type === 'leave')")
    if wait_for_countdown_end:
        expect(page.locator("#proctor-countdown")).to_have_text("0 s", timeout=20_000)
    page.click("#proctor-overlay-button")
    expect(page.locator("#proctor-overlay")).to_be_hidden()
    # journaled in time order: the leave, then the return (a report still queued when the
    # network went may come before them; the server ignores a return with nothing open)
    wait_for_js(page, "window.examJournal.pendingEvents().map((e) => e.type).join(',').endsWith('leave,back')")


def test_offline_leave_past_the_limit_is_handed_in_on_reconnect(cam_page, candidate_with_face, energy):
    from exam_plugin.models import Attempt, OfflineSpell
    from proctor_plugin.models import LeaveEvent

    candidate = _start(cam_page, candidate_with_face, energy, leave_return_seconds=3, leave_limit=10)
    _leave_and_return_offline(cam_page, wait_for_countdown_end=True)
    assert not LeaveEvent.objects.filter(sitting__candidate=candidate).exists()  # the server heard nothing
    assert Attempt.objects.get(candidate=candidate).is_open

    cam_page.context.set_offline(False)
    expect(cam_page).to_have_url(re.compile(r"/exam/attempts/\d+/result/$"), timeout=30_000)
    attempt = Attempt.objects.get(candidate=candidate)
    assert attempt.forced and not attempt.is_open
    assert attempt.hand_in_reason.startswith("涉嫌作弊") and "离线期间记录" in attempt.hand_in_reason
    leave = LeaveEvent.objects.get(sitting__candidate=candidate)
    assert leave.outcome == LeaveEvent.Outcome.FORCED_TIMEOUT and leave.kind == "fullscreen"
    assert (leave.returned_at - leave.left_at).total_seconds() > 3
    assert OfflineSpell.objects.filter(attempt=attempt).exists()


def test_offline_leave_within_the_limit_is_recorded_and_nothing_forced(cam_page, candidate_with_face, energy):
    from exam_plugin.models import Attempt, OfflineSpell
    from proctor_plugin.models import LeaveEvent

    candidate = _start(cam_page, candidate_with_face, energy, leave_return_seconds=120, leave_limit=10)
    _leave_and_return_offline(cam_page)
    assert not LeaveEvent.objects.filter(sitting__candidate=candidate).exists()

    cam_page.context.set_offline(False)
    _until(lambda: LeaveEvent.objects.filter(sitting__candidate=candidate, outcome="counted").exists(), page=cam_page)
    wait_for_js(cam_page, "!window.examJournal.inSpell() && window.examJournal.pendingEvents().length === 0")
    expect(cam_page.locator("#proctor-overlay-leaves")).to_contain_text("1 / 10", timeout=20_000)
    attempt = Attempt.objects.get(candidate=candidate)
    assert attempt.is_open and not attempt.forced
    assert LeaveEvent.objects.filter(sitting__candidate=candidate).count() == 1
    assert OfflineSpell.objects.filter(attempt=attempt).exists()
    assert re.search(r"/exam/attempts/\d+/$", cam_page.url)


def test_header_click_during_the_exam_is_confirmed_and_counted_as_a_leave(cam_page, candidate_with_face, energy):
    from exam_plugin.models import Attempt
    from proctor_plugin.models import LeaveEvent

    candidate = _start(cam_page, candidate_with_face, energy, leave_return_seconds=120, leave_limit=10)
    exam_url = cam_page.url
    my_learning = cam_page.locator(".site-nav a", has_text="我的学习")
    my_learning.click()
    expect(cam_page.locator("#exam-leave")).to_be_visible()
    cam_page.click("#exam-leave-stay")  # changed their mind: nothing recorded
    expect(cam_page.locator("#exam-leave")).to_be_hidden()
    assert cam_page.url == exam_url
    assert not LeaveEvent.objects.filter(sitting__candidate=candidate).exists()

    my_learning.click()
    cam_page.click("#exam-leave-yes")
    expect(cam_page).to_have_url(re.compile(r"/dashboard/$"))
    _until(lambda: LeaveEvent.objects.filter(sitting__candidate=candidate).exists(), page=cam_page)
    assert Attempt.objects.get(candidate=candidate).is_open

    # back to the exam within the allowed time: the leave is counted, the exam goes on
    cam_page.goto(exam_url)
    expect(cam_page.locator("#proctor-overlay")).to_be_visible()
    cam_page.click("#proctor-overlay-button")
    expect(cam_page.locator("#proctor-overlay")).to_be_hidden()
    _until(lambda: LeaveEvent.objects.get(sitting__candidate=candidate).outcome == "counted", page=cam_page)
    expect(cam_page.locator("#proctor-overlay-leaves")).to_contain_text("1 / 10", timeout=20_000)
    assert Attempt.objects.get(candidate=candidate).is_open
