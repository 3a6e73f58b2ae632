"""Download a module for offline study in Debian's Chromium, use it offline, remove it."""

import time

import pytest
from playwright.sync_api import expect

from tests.course_content.offline.content import VIDEO_BYTES, build_offline_module
from tests.helpers import browser_login
from tests.pwa.browser import (
    wagtail_root,  # noqa: F401 - autouse fixture
    wait_for_js,
    wait_until_controlled,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_download_module_study_it_offline_then_remove_it(page, energy, make_learner):
    content = build_offline_module(energy)
    module, (first, second) = content["module"], content["lessons"]
    learner = make_learner(energy, password="Study-2026!")
    browser_login(page, learner.username, "Study-2026!")

    page.goto(module.url)
    wait_until_controlled(page)
    widget = page.locator("#pwa-download")
    expect(widget).to_have_attribute("data-state", "absent")
    expect(page.locator("#pwa-download-video-size")).to_have_text("300 KB")  # size shown before download
    page.check("#pwa-download-videos")
    page.click("#pwa-download-button")
    expect(widget).to_have_attribute("data-state", "stored", timeout=30_000)
    expect(page.locator("#pwa-download-status")).to_contain_text("已于")

    page.context.set_offline(True)
    page.goto(module.url)
    expect(page.locator("h1")).to_contain_text(module.title)
    page.click(f"a[href='{first.url}']")
    expect(page.locator("article.lesson h1")).to_have_text(first.title)
    page.goto(second.url)
    expect(page.locator("article.lesson h1")).to_have_text(second.title)
    # the lesson's files answer from the device: the handout whole, the video by ranges
    handout = page.evaluate("(u) => fetch(u).then((r) => r.arrayBuffer()).then((b) => b.byteLength)",
                            content["handout"].url)
    assert handout == content["handout"].file.size
    ranged = page.evaluate(
        """(u) => fetch(u, {headers: {Range: "bytes=256-511"}}).then(async (r) =>
             [r.status, r.headers.get("Content-Range"), Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 3))])""",
        content["video"].url,
    )
    assert ranged == [206, f"bytes 256-511/{len(VIDEO_BYTES)}", [0, 1, 2]]

    page.goto("/pwa/offline-storage/")  # the storage page itself is part of the shell
    item = page.locator("#pwa-storage-list li")
    expect(item).to_have_count(1)
    expect(item.locator(".pwa-storage-title")).to_have_text(f"{module.label}：{module.title}")
    expect(item.locator(".pwa-storage-details")).to_contain_text("KB")
    item.locator(".pwa-storage-remove").click()
    expect(item).to_have_count(0)
    expect(page.locator("#pwa-storage-empty")).to_be_visible()
    assert f"pwa-module-{module.pk}" not in page.evaluate("caches.keys()")

    page.goto(first.url)  # removed: only the offline page remains
    expect(page.locator("#pwa-offline h1")).to_have_text("您已离线")


def test_study_offline_then_hours_appear_after_reconnect(page, energy, make_learner, settings):
    from course_content.models import StudyInterval

    settings.STUDY_HEARTBEAT_SECONDS = 2
    settings.STUDY_IDLE_SECONDS = 600
    content = build_offline_module(energy)
    module, lesson = content["module"], content["lessons"][0]
    learner = make_learner(energy, password="Study-2026!")
    browser_login(page, learner.username, "Study-2026!")
    page.goto(module.url)
    wait_until_controlled(page)
    page.click("#pwa-download-button")
    expect(page.locator("#pwa-download")).to_have_attribute("data-state", "stored", timeout=30_000)

    page.context.set_offline(True)
    page.goto(lesson.url)
    expect(page.locator("article.lesson h1")).to_have_text(lesson.title)
    page.mouse.move(200, 200)
    wait_for_js(page, "window.pwaOffline.journalCount().then((n) => n >= 3)", timeout=30)
    assert not StudyInterval.objects.filter(enrolment__learner=learner).exists()  # nothing reached the server

    page.context.set_offline(False)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        offline_rows = StudyInterval.objects.filter(enrolment__learner=learner, source=StudyInterval.Source.OFFLINE)
        if sum(offline_rows.values_list("credited_seconds", flat=True)) >= 4:
            break
        page.wait_for_timeout(200)
    offline_seconds = sum(offline_rows.values_list("credited_seconds", flat=True))
    assert offline_seconds >= 4, offline_seconds
    assert set(offline_rows.values_list("lesson_id", flat=True)) == {lesson.pk}
    wait_for_js(page, "window.pwaOffline.journalCount().then((n) => n === 0)")
