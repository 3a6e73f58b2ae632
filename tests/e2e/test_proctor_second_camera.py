"""Dual-carbon device test in Chromium: accept the rules, camera, face, then pair a
phone through the QR-code page (a second browser context plays the phone) and finish
in full screen; the phone's snapshots reach the server."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_proctor_flow import PASSWORD, _astronaut, cam_page, camera_browser  # noqa: F401
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_device_test_with_second_camera(cam_page, camera_browser, live_server, asset, make_learner):  # noqa: F811
    from proctor_plugin.models import ProctoredSitting
    from proctor_plugin.services.face_enrolment import enrol_face

    learner = make_learner(asset, password=PASSWORD)
    enrol_face(learner, _astronaut(), origin="admin")
    browser_login(cam_page, learner.document_number, PASSWORD)
    cam_page.goto(f"/programs/{asset.program_path}/proctor/device-test/")

    expect(cam_page.locator("[data-panel=rules]")).to_be_visible()
    expect(cam_page.locator("#proctor-rules-accept")).to_be_disabled()
    cam_page.check("#proctor-rules-check")
    cam_page.click("#proctor-rules-accept")
    cam_page.click("#proctor-camera-start")
    cam_page.click("#proctor-face-verify")

    expect(cam_page.locator("[data-panel=second_camera]")).to_be_visible()
    expect(cam_page.locator("#proctor-qr svg")).to_be_visible()
    phone_url = cam_page.locator("#proctor-qr-url").inner_text()
    assert re.search(r"/proctor/phone/[-\w]+/$", phone_url)

    phone_context = camera_browser.new_context(locale="zh-CN", base_url=live_server.url)
    phone_context.grant_permissions(["camera"])
    phone = phone_context.new_page()
    try:
        phone.goto(phone_url)
        phone.click("#proctor-phone-start")
        expect(phone.locator("#proctor-message")).to_have_class(re.compile("success"), timeout=20_000)
        # the computer moves on by itself once the phone is paired
        expect(cam_page.locator("[data-panel=fullscreen]")).to_be_visible(timeout=20_000)
        cam_page.click("#proctor-fullscreen")
        expect(cam_page).to_have_url(re.compile(r"/device-test-done/$"))
        # a second phone cannot take over with the same code
        intruder = phone_context.browser.new_context(base_url=live_server.url)
        try:
            intruder_page = intruder.new_page()
            intruder_page.goto(phone_url)
            intruder_page.click("#proctor-phone-start")
            expect(intruder_page.locator("#proctor-message")).to_have_class(re.compile("error"))
        finally:
            intruder.close()
    finally:
        phone.evaluate("document.querySelectorAll('video').forEach(v => v.srcObject && v.srcObject.getTracks().forEach(t => t.stop()))")
        phone_context.close()

    ps = ProctoredSitting.objects.get(enrolment__learner=learner)
    assert ps.is_device_test and ps.rules_accepted_at and ps.second_camera_paired_at and ps.preflight_completed_at
    assert ps.snapshots.filter(source="phone", face_count=1).exists()
