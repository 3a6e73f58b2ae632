"""Proctoring end to end in headless Chromium, fed a fake camera made from a real
photo: the enrolled face passes the pre-flight and starts the exam; a different face
fails and reaches the photo-upload fallback; leaving full screen past the limit
forces the hand-in."""

import os
import re
import time
from datetime import timedelta

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.helpers import CHROMIUM_ARGS, browser_login, wait_for_js

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


def write_y4m(rgb: np.ndarray, path, frames: int = 10, size=(640, 480)):
    """A short YUV420 .y4m clip of one photo, centred on a grey frame (Chromium loops it)."""
    width, height = size
    canvas = Image.new("RGB", size, (128, 128, 128))
    photo = Image.fromarray(rgb)
    photo.thumbnail((width, height))
    canvas.paste(photo, ((width - photo.width) // 2, (height - photo.height) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    half = (width // 2, height // 2)
    frame = y.tobytes() + cb.resize(half, Image.BILINEAR).tobytes() + cr.resize(half, Image.BILINEAR).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + frame)
    return path


@pytest.fixture(scope="module")
def camera_browser(playwright_instance, tmp_path_factory):
    """A Chromium whose camera shows skimage's astronaut."""
    from skimage import data

    clip = write_y4m(data.astronaut(), tmp_path_factory.mktemp("cam") / "astronaut.y4m")
    browser = playwright_instance.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True,
        args=CHROMIUM_ARGS + [
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={clip}",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def cam_page(camera_browser, live_server):
    context = camera_browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.grant_permissions(["camera"])
    context.set_default_timeout(20_000)
    page = context.new_page()
    pending = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    yield page
    # Stop the watcher so closing the page sends no "leave" while the test database
    # is being torn down, and let requests already under way finish first.
    page.evaluate("window.proctorWatcher && window.proctorWatcher.stop()")
    page.route("**/*", lambda route: route.abort())
    deadline = time.monotonic() + 10
    while pending and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    context.close()


@pytest.fixture
def candidate_with_face(energy, make_learner, grant_hours):
    """``candidate_with_face(photo)``: an energy candidate of a sitting that started 5
    minutes ago, whose enrolled reference face is ``photo``."""
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit
    from proctor_plugin.services.face_enrolment import enrol_face

    def make(photo):
        """``photo`` None: no reference face on file."""
        learner = make_learner(energy, password=PASSWORD)
        enrolment = learner.enrolments.get()
        grant_hours(enrolment, 36)
        start = timezone.now() - timedelta(minutes=5)
        sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
        candidate = admit(sitting, enrolment)
        if photo is not None:
            enrol_face(learner, photo, origin="admin")
        return learner, candidate

    return make


def _astronaut():
    from skimage import data

    return data.astronaut()


def _hopper():
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as handle:
        return np.asarray(Image.open(handle).convert("RGB"))


def _to_preflight(page, learner):
    browser_login(page, learner.document_number, PASSWORD)
    page.goto("/programs/energy/exam/")
    page.click("button.enter-exam")
    expect(page).to_have_url(re.compile(r"/proctor/s/\d+/preflight/"))
    expect(page.locator("[data-panel=camera]")).to_be_visible()
    page.click("#proctor-camera-start")
    expect(page.locator("[data-panel=face]")).to_be_visible()


def test_no_reference_face_goes_straight_to_the_photo_upload(cam_page, candidate_with_face, tmp_path):
    """Issue 12, item 6: no retry loop, the page says why, the failure count stays 0,
    and the uploaded photo goes to the proctors' review."""
    from proctor_plugin.models import FaceCheck, Incident, ProctoredSitting

    learner, candidate = candidate_with_face(None)
    _to_preflight(cam_page, learner)
    expect(cam_page.locator("#proctor-no-reference")).to_be_visible()
    expect(cam_page.locator("#proctor-no-reference")).to_contain_text("参考照片")
    expect(cam_page.locator("#proctor-fallback")).to_be_visible()
    expect(cam_page.locator("#proctor-face-verify")).to_have_count(0)
    photo = tmp_path / "me.jpg"
    Image.fromarray(_astronaut()).save(photo)
    cam_page.set_input_files("#proctor-fallback-file", str(photo))
    cam_page.click("#proctor-fallback button[type=submit]")
    # the server analyses the photo (one face?) first: slow on a loaded machine
    expect(cam_page.locator("[data-panel=fullscreen]")).to_be_visible(timeout=30_000)
    _into_exam(cam_page)
    ps = ProctoredSitting.objects.get(candidate=candidate)
    assert ps.review == ProctoredSitting.Review.PENDING and ps.face_failures == 0 and ps.review_photo
    assert not FaceCheck.objects.filter(sitting=ps).exists()
    assert ps.incidents.filter(kind=Incident.Kind.MANUAL_REVIEW).exists()


def _into_exam(page):
    """Pass the full-screen step and the exam page's full-screen gate."""
    expect(page.locator("[data-panel=fullscreen]")).to_be_visible()
    page.click("#proctor-fullscreen")
    expect(page).to_have_url(re.compile(r"/exam/attempts/\d+/$"))
    expect(page.locator("#proctor-overlay")).to_be_visible()
    expect(page.locator(".exam-question").first).to_be_attached()
    page.click("#proctor-overlay-button")
    expect(page.locator("#proctor-overlay")).to_be_hidden()
    wait_for_js(page, "document.fullscreenElement !== null")
    expect(page.locator("#proctor-badge")).to_be_visible()


def test_enrolled_face_passes_preflight_and_starts_the_exam(cam_page, candidate_with_face):
    from exam_plugin.models import Attempt
    from proctor_plugin.models import ProctoredSitting, Snapshot

    learner, candidate = candidate_with_face(_astronaut())
    _to_preflight(cam_page, learner)
    cam_page.click("#proctor-face-verify")
    _into_exam(cam_page)
    attempt = Attempt.objects.get(candidate=candidate)
    assert attempt.is_open
    ps = ProctoredSitting.objects.get(candidate=candidate)
    assert ps.face_verified_at and ps.face_similarity > 0.8 and ps.preflight_completed_at
    # the first webcam snapshot arrives and shows the enrolled face
    expect(cam_page.locator("#proctor-badge")).to_have_attribute("data-snapshots", re.compile(r"[1-9]"))
    snap = Snapshot.objects.filter(sitting=ps, source="webcam").first()
    assert snap.face_count == 1 and snap.similarity > 0.8
    # the badge opens the candidate's own camera view
    cam_page.click("#proctor-badge")
    expect(cam_page.locator("#proctor-panel")).to_be_visible()
    wait_for_js(cam_page, "document.getElementById('proctor-self-view').videoWidth > 0")


def test_different_face_fails_and_reaches_photo_fallback(cam_page, candidate_with_face, tmp_path):
    from proctor_plugin.models import FaceCheck, ProctoredSitting

    learner, candidate = candidate_with_face(_hopper())  # the camera shows the astronaut
    _to_preflight(cam_page, learner)
    for tries in (1, 2, 3):
        cam_page.click("#proctor-face-verify")
        expect(cam_page.locator("#proctor-message")).to_contain_text(f"{tries}")
        expect(cam_page.locator("#proctor-face-verify")).to_be_enabled()
    expect(cam_page.locator("#proctor-fallback")).to_be_visible()
    assert FaceCheck.objects.filter(sitting__candidate=candidate, passed=False).count() == 3
    photo = tmp_path / "me.jpg"
    Image.fromarray(_astronaut()).save(photo)
    cam_page.set_input_files("#proctor-fallback-file", str(photo))
    cam_page.click("#proctor-fallback button[type=submit]")
    _into_exam(cam_page)
    ps = ProctoredSitting.objects.get(candidate=candidate)
    assert ps.review == ProctoredSitting.Review.PENDING and ps.face_verified_at is None


def test_leaving_full_screen_past_the_limit_forces_hand_in(cam_page, candidate_with_face, energy):
    from exam_plugin.models import Attempt
    from plugins.services import update_settings
    from proctor_plugin.models import LeaveEvent

    update_settings(energy, "proctor_plugin", leave_return_seconds=3, leave_limit=3)
    learner, candidate = candidate_with_face(_astronaut())
    _to_preflight(cam_page, learner)
    cam_page.click("#proctor-face-verify")
    _into_exam(cam_page)

    # a leave, back in time: counted, the exam goes on
    cam_page.evaluate("document.exitFullscreen()")
    expect(cam_page.locator("#proctor-countdown")).to_be_visible()
    cam_page.click("#proctor-overlay-button")
    expect(cam_page.locator("#proctor-overlay")).to_be_hidden()
    expect(cam_page.locator("#proctor-overlay-leaves")).to_contain_text("1 / 3", timeout=10_000)
    assert Attempt.objects.get(candidate=candidate).is_open

    # a leave without coming back: after 3 s the server hands the paper in
    cam_page.evaluate("document.exitFullscreen()")
    expect(cam_page.locator("#proctor-countdown")).to_be_visible()
    expect(cam_page).to_have_url(re.compile(r"/exam/attempts/\d+/result/$"), timeout=20_000)
    attempt = Attempt.objects.get(candidate=candidate)
    assert attempt.forced and not attempt.is_open
    assert attempt.hand_in_reason.startswith(("Cheating suspected", "涉嫌作弊"))
    outcomes = list(LeaveEvent.objects.filter(sitting__candidate=candidate).values_list("outcome", flat=True))
    assert outcomes == ["counted", "forced_timeout"]


def test_leave_limit_reached_forces_hand_in(cam_page, candidate_with_face, energy):
    from exam_plugin.models import Attempt
    from plugins.services import update_settings

    update_settings(energy, "proctor_plugin", leave_return_seconds=30, leave_limit=2)
    learner, candidate = candidate_with_face(_astronaut())
    _to_preflight(cam_page, learner)
    cam_page.click("#proctor-face-verify")
    _into_exam(cam_page)
    cam_page.evaluate("document.exitFullscreen()")
    expect(cam_page.locator("#proctor-countdown")).to_be_visible()
    cam_page.click("#proctor-overlay-button")
    expect(cam_page.locator("#proctor-overlay-leaves")).to_contain_text("1 / 2", timeout=10_000)
    cam_page.evaluate("document.exitFullscreen()")  # the second leave reaches the limit of 2
    expect(cam_page.locator("#proctor-countdown")).to_be_visible()
    cam_page.click("#proctor-overlay-button")
    expect(cam_page).to_have_url(re.compile(r"/result/$"), timeout=20_000)
    assert Attempt.objects.get(candidate=candidate).forced
