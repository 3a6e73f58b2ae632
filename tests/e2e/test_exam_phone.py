"""The exam page on a 390 × 844 phone and on a desktop, in Chromium: the question navigator
is collapsed behind a button showing answered/total and opens as an opaque panel under the
bar; nothing overlaps (bar vs questions, navigator vs bar, offline notice vs the bar's
controls), touch targets are at least 44 px and nothing scrolls sideways."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"
PHONE = {"width": 390, "height": 844}
WAIT = 30_000


@pytest.fixture
def open_attempt(energy, make_learner, grant_hours):
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.attempts import start_formal_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")
    learner = make_learner(energy, password=PASSWORD, real_name="手机考生")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    return learner, start_formal_attempt(admit(sitting, enrolment))


def _page(chromium, live_server, locale="zh-CN", **options):
    context = chromium.new_context(locale=locale, base_url=live_server.url, **options)
    context.set_default_timeout(WAIT)
    return context, context.new_page()


def _box(locator):
    box = locator.bounding_box()
    assert box is not None, f"{locator} has no box"
    return box


def _overlap(a, b) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def _no_sideways_scroll(page, width):
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"the page scrolls sideways: {scroll_width} > {width}"


SMALL_TARGETS = """() => {
  const small = [];
  const sel = '#exam button, #exam select, #exam .q-options label, #exam-navigator a, #exam textarea';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not shown (collapsed, hidden)
    const wide = el.matches('label, textarea') ? true : r.width >= 44;
    if (r.height < 44 || !wide) small.push(`${el.tagName}#${el.id}.${el.className} ${r.width}x${r.height}`);
  }
  return small;
}"""

# What is painted at the centre of each navigator link: the link (or its text), nothing
# else on top of it and no question text showing through.
NAV_HIT = """() => { const panel = document.getElementById('exam-navigator').getBoundingClientRect();
  return [...document.querySelectorAll('#exam-navigator a')].filter(a => {
  const r = a.getBoundingClientRect(), y = r.top + r.height / 2;
  if (y < panel.top || y > panel.bottom) return false;  // scrolled out of the panel (it scrolls)
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !(hit === a || a.contains(hit));
}).map(a => a.id); }"""


# The open navigator's top edge sits on the bar's bottom edge (within 2 px).
NAV_UNDER_BAR = """() => { const bar = document.getElementById('exam-bar').getBoundingClientRect();
  const nav = document.getElementById('exam-navigator').getBoundingClientRect();
  return nav.height > 0 && Math.abs(nav.top - bar.bottom) <= 2; }"""

# The bar's height with each text the save state can show (restored afterwards).
BAR_HEIGHT_PER_SAVE_STATE = """() => {
  const strings = JSON.parse(document.getElementById('exam-strings').textContent);
  const state = document.getElementById('exam-save-state'), bar = document.getElementById('exam-bar');
  const before = state.textContent, heights = {};
  for (const key of ['saved', 'saving', 'pending', 'offline', 'error', 'closed']) {
    state.textContent = strings[key]; heights[key] = bar.offsetHeight;
  }
  state.textContent = before;
  return heights;
}"""


def test_on_a_phone_the_navigator_collapses_and_nothing_overlaps(chromium, live_server, open_attempt):
    learner, attempt = open_attempt
    context, page = _page(chromium, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        browser_login(page, learner.username, PASSWORD)
        page.goto(f"/programs/energy/exam/attempts/{attempt.pk}/")
        expect(page.locator(".exam-question")).to_have_count(64)

        bar, nav, toggle = page.locator("#exam-bar"), page.locator("#exam-navigator"), page.locator("#exam-nav-toggle")
        # collapsed by default; the button says answered/total
        expect(nav).to_be_hidden()
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#exam-nav-count")).to_have_text("0/64")
        _no_sideways_scroll(page, PHONE["width"])
        assert page.evaluate(SMALL_TARGETS) == []
        # the sticky bar is small and the first question starts below it
        assert _box(bar)["height"] <= PHONE["height"] * 0.25, _box(bar)
        assert not _overlap(_box(bar), _box(page.locator("#q-0")))
        # whatever the save state says, the bar keeps its height (the paper does not jump)
        heights = page.evaluate(BAR_HEIGHT_PER_SAVE_STATE)
        assert len(set(heights.values())) == 1, heights

        page.locator("#q-0 .q-options label").first.click()
        expect(page.locator("#exam-nav-count")).to_have_text("1/64")

        # open: an opaque panel right under the bar, every link painted on top
        toggle.click()
        expect(nav).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#nav-0")).to_have_class(re.compile("answered"))
        page.wait_for_function(NAV_UNDER_BAR, timeout=WAIT)
        nav_box = _box(nav)
        assert not _overlap(_box(bar), nav_box), (_box(bar), nav_box)
        assert nav_box["y"] + nav_box["height"] <= PHONE["height"]
        background = page.evaluate("getComputedStyle(document.getElementById('exam-navigator')).backgroundColor")
        assert background == "rgb(255, 255, 255)", background
        assert page.evaluate(NAV_HIT) == []
        assert page.evaluate(SMALL_TARGETS) == []
        _no_sideways_scroll(page, PHONE["width"])

        # choosing a question closes the panel and shows that question below the bar
        page.locator("#nav-39").click()
        expect(nav).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page).to_have_url(re.compile(r"#q-39$"))
        question = page.locator("#q-39")
        expect(question).to_be_in_viewport()
        assert _box(bar)["y"] == 0  # stuck to the top while scrolled
        assert not _overlap(_box(bar), _box(question)), (_box(bar), _box(question))

        # deep in the paper the panel still opens right under the bar; the button closes it
        toggle.click()
        expect(nav).to_be_visible()
        # the panel follows the bar through a ResizeObserver/scroll handler: wait for it to settle
        page.wait_for_function(NAV_UNDER_BAR, timeout=WAIT)
        assert not _overlap(_box(bar), _box(nav))
        assert page.evaluate(NAV_HIT) == []
        toggle.click()
        expect(nav).to_be_hidden()
        # and Esc closes it too
        toggle.click()
        expect(nav).to_be_visible()
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(toggle).to_be_focused()

        # offline: the notice is part of the bar and covers none of its controls
        context.set_offline(True)
        notice = page.locator("#pwa-offline-status")
        expect(notice).to_be_visible()
        expect(page.locator("#exam-bar #pwa-offline-status")).to_have_count(1)
        for control in ("#exam-hand-in", "#exam-nav-toggle", "#exam-font-size", "#exam-countdown"):
            assert not _overlap(_box(notice), _box(page.locator(control))), control
        _no_sideways_scroll(page, PHONE["width"])
        context.set_offline(False)
        expect(notice).to_be_hidden()
    finally:
        context.close()


def test_on_a_desktop_the_offline_notice_never_covers_the_exam_bar(chromium, live_server, open_attempt):
    learner, attempt = open_attempt
    context, page = _page(chromium, live_server, viewport={"width": 1280, "height": 800})
    try:
        browser_login(page, learner.username, PASSWORD)
        page.goto(f"/programs/energy/exam/attempts/{attempt.pk}/")
        expect(page.locator(".exam-question")).to_have_count(64)
        # the navigator is always shown on a desktop; the phone's toggle is not
        expect(page.locator("#exam-navigator")).to_be_visible()
        expect(page.locator("#exam-nav-toggle")).to_be_hidden()

        context.set_offline(True)
        notice = page.locator("#pwa-offline-status")
        expect(notice).to_be_visible()
        controls = ("#exam-hand-in", "#exam-font-size", "#exam-countdown", "#exam-save-state", "#exam-answered")
        for scroll in (0, 2000):  # at the top and with the bar stuck while scrolled
            page.evaluate(f"window.scrollTo(0, {scroll})")
            for control in controls:
                assert not _overlap(_box(notice), _box(page.locator(control))), (scroll, control)
            hand_in = _box(page.locator("#exam-hand-in"))
            on_top = page.evaluate(
                "([x, y]) => { const b = document.getElementById('exam-hand-in'), h = document.elementFromPoint(x, y);"
                " return h === b || b.contains(h); }",
                [hand_in["x"] + hand_in["width"] / 2, hand_in["y"] + hand_in["height"] / 2],
            )
            assert on_top, f"something covers the hand-in button (scroll {scroll})"
            # the navigator stays below the bar
            assert not _overlap(_box(page.locator("#exam-bar")), _box(page.locator("#exam-navigator")))
        context.set_offline(False)
        expect(notice).to_be_hidden()
    finally:
        context.close()


def test_in_english_too_the_phone_bar_keeps_its_height_whatever_the_save_state(chromium, live_server, open_attempt):
    learner, attempt = open_attempt
    context, page = _page(chromium, live_server, locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        browser_login(page, learner.username, PASSWORD)
        page.goto(f"/programs/energy/exam/attempts/{attempt.pk}/")
        expect(page.locator("#exam-nav-toggle")).to_contain_text("Questions")
        expect(page.locator(".exam-question")).to_have_count(64)
        heights = page.evaluate(BAR_HEIGHT_PER_SAVE_STATE)
        assert len(set(heights.values())) == 1, heights
        assert page.evaluate(SMALL_TARGETS) == []
        _no_sideways_scroll(page, PHONE["width"])
    finally:
        context.close()
