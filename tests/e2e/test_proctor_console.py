"""The proctor console in Chromium: a candidate sits the exam with a fake camera; the
proctor's live grid refreshes by itself and shows the candidate online with the latest
snapshot; a warning typed in the console appears on the candidate's screen."""

import re

import pytest
from playwright.sync_api import expect

from cms_site.accounts.services import roles
from tests.e2e.test_proctor_flow import (  # noqa: F401
    _astronaut,
    _into_exam,
    _to_preflight,
    cam_page,
    camera_browser,
    candidate_with_face,
)
from tests.helpers import browser_login, wait_for_js

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_live_grid_and_warning_reach_the_candidate(cam_page, camera_browser, live_server, candidate_with_face):  # noqa: F811
    from django.contrib.auth import get_user_model

    from proctor_plugin.services.console import assign_proctor

    learner, candidate = candidate_with_face(_astronaut())
    chief = get_user_model().objects.create_user(username="chief-e2e", password="Chief-2026!", is_staff=True, is_superuser=True)
    proctor = get_user_model().objects.create_user(username="proctor-e2e", password="Proctor-2026!", is_staff=True)
    proctor.groups.add(roles.group(roles.PROCTOR))
    assign_proctor(candidate.sitting, proctor, by=chief)

    console_context = camera_browser.new_context(locale="zh-CN", base_url=live_server.url)
    console = console_context.new_page()
    try:
        browser_login(console, "proctor-e2e", "Proctor-2026!")
        console.goto(f"/admin/proctor/sittings/{candidate.sitting_id}/")
        row = console.locator(f"tr[data-candidate='{candidate.admission_number}']")
        expect(row).to_be_visible()
        expect(row.locator(".state-preflight")).to_be_visible()

        _to_preflight(cam_page, learner)
        cam_page.click("#proctor-face-verify")
        _into_exam(cam_page)
        expect(cam_page.locator("#proctor-badge")).to_have_attribute("data-snapshots", re.compile(r"[1-9]"))

        # the grid refreshes itself: online, with the latest camera snapshot
        expect(row.locator(".state-online")).to_be_visible(timeout=20_000)
        expect(row.locator("img").first).to_be_visible(timeout=20_000)
        wait_for_js(console, "document.querySelector('tr[data-candidate] img').naturalWidth > 0")

        row.locator("input[name=message]").fill("请保持面部在画面中")
        row.locator("input[name=message]").press("Enter")
        expect(console.locator(".messages")).to_be_visible()

        # the candidate sees it at the next heartbeat (every 10 s)
        expect(cam_page.locator("#proctor-warning")).to_be_visible(timeout=20_000)
        expect(cam_page.locator("#proctor-warning-text")).to_have_text("请保持面部在画面中")
        cam_page.click("#proctor-warning-ok")
        expect(cam_page.locator("#proctor-warning")).to_be_hidden()
        expect(row.locator("td").nth(6)).to_have_text("1", timeout=20_000)  # warnings column
    finally:
        console_context.close()
