"""Each dual-carbon track end to end in Chromium, parametrised over the four tracks:
registration with the track's exam sitting → approval by a program admin → study of every
junior lesson (class hours accelerated by ``STUDY_CLASS_HOUR_SECONDS``/``STUDY_*``; the
ledger is written by the real heartbeats) → automatic admission to the formal sitting and
its Tuesday mock → the mock test (unscored) → the formal exam in the track's slot under the
dual-carbon proctoring rules (rules acceptance, face, phone second camera, a leave shown
against the 20-second limit and counted out of 3, 15-minute late entry) → a grader marks the
short answers → release → the certificate with the track's own issuer, title and number
prefix, verified publicly.

The server owns the time: instead of moving a clock, the calendar sittings (the mock on the
Tuesday, the formal exam in its slot four days later) are moved together so that "now" falls
inside the mock window, then inside the formal slot. Shared setup: one camera browser for the
module (``camera_browser``) and the site data (``site_data``, reloaded only after a flush, like
the other transactional browser tests); the per-track part is the walk itself.
"""

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cms_site.accounts.services import roles
from tests.e2e.test_proctor_flow import _astronaut, cam_page, camera_browser  # noqa: F401  (fixtures)
from tests.helpers import browser_login, mainland_id, wait_for_js
from tests.registration.conftest import PDF_BYTES, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRACKS = {"asset": (1, "08:30"), "emission": (2, "10:30"), "trading": (3, "13:00"), "monitoring": (4, "15:00")}
PASSWORD = "Carbon-Learner-2026"


@pytest.fixture
def staff(site_data):
    from django.contrib.auth import get_user_model

    from cms_site.accounts.services.roles import GRADER, PROGRAM_ADMIN

    User = get_user_model()
    reviewer = User.objects.create_user(username="dc-reviewer", password="Review-2026!x", real_name="审核员")
    reviewer.groups.add(roles.group(PROGRAM_ADMIN))
    grader = User.objects.create_user(username="dc-grader", password="Grade-2026!x", real_name="阅卷员")
    grader.groups.add(roles.group(GRADER))
    return {"reviewer": ("dc-reviewer", "Review-2026!x"), "grader": ("dc-grader", "Grade-2026!x")}


@pytest.fixture
def accelerated(settings, tmp_path, live_server):
    """One class hour = one second of measured study; heartbeats every second."""
    settings.STUDY_CLASS_HOUR_SECONDS = 1
    settings.STUDY_HEARTBEAT_SECONDS = 1
    settings.STUDY_IDLE_SECONDS = 10
    settings.STUDY_HEARTBEAT_TOLERANCE_SECONDS = 1
    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "keys")
    settings.CERT_PLUGIN_BASE_URL = live_server.url
    return settings


def _read(query):
    """Run a read while the live server writes: the shared in-memory SQLite database
    answers "table is locked" for a moment then; ask again."""
    from django.db import OperationalError

    for _try in range(50):
        try:
            return query()
        except OperationalError as err:
            if "locked" not in str(err):
                raise
            time.sleep(0.1)
    return query()


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not _read(condition):
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.2)


def _shift(sittings, delta):
    from exam_plugin.models import ExamSitting

    for sitting in sittings:
        ExamSitting.objects.filter(pk=sitting.pk).update(starts_at=sitting.starts_at + delta, ends_at=sitting.ends_at + delta)
        sitting.refresh_from_db()


def _register(page, tmp_path, program, level, formal, serial):
    paths = {}
    for kind, (name, content) in {
        "photo": ("photo.jpg", image_bytes()),
        "id_front": ("front.jpg", image_bytes(860, 540, (200, 200, 200))),
        "id_back": ("back.jpg", image_bytes(860, 540, (200, 200, 200))),
        "diploma": ("diploma.pdf", PDF_BYTES),
    }.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths[kind] = str(path)
    number = mainland_id(serial)
    page.goto("/register/")
    page.click(f"a[href='/register/level/{level.pk}/']")
    page.fill("input[name=real_name]", f"碳学员{serial}")
    page.fill("input[name=document_number]", number)
    page.fill("input[name=phone]", f"1360000{serial:04d}")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("#registration-form")).to_be_visible()
    page.select_option("select[name=education]", "bachelor")
    page.select_option("select[name=exam_sitting]", str(formal.pk))
    for kind, path in paths.items():
        page.set_input_files(f"input[name=file_{kind}]", path)
    page.click("#submit-registration")
    expect(page.locator("#registration-status")).to_have_attribute("class", re.compile("status-submitted"))
    return number


def _approve(chromium, live_server, credentials, real_name):
    context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    admin = context.new_page()
    try:
        browser_login(admin, *credentials)
        admin.goto("/admin/registrations/")
        admin.click(f"#review-queue a:has-text('{real_name}')")
        admin.click("#approve-registration")
        expect(admin.locator("#review-queue")).to_be_visible()
    finally:
        context.close()


def _study_every_lesson(page, enrolment):
    """Open each lesson of the level and stay active until the ledger credits it fully."""
    from django.db.models import Sum

    from course_content.models import LessonPage, StudyInterval

    program = enrolment.program
    lessons = [lesson for lesson in LessonPage.objects.live().descendant_of(program).order_by("path")
               if lesson.counts_for(enrolment.level)]
    for lesson in lessons:
        page.goto(lesson.url)
        needed = lesson.declared_seconds(program.minutes_per_class_hour)
        deadline = time.monotonic() + 30 + 3 * needed
        x = 10
        while True:
            credited = _read(lambda lesson=lesson: StudyInterval.objects.filter(
                enrolment=enrolment, lesson_id=lesson.pk).aggregate(s=Sum("credited_seconds"))["s"] or 0)
            if credited >= needed:
                break
            assert time.monotonic() < deadline, (lesson.slug, credited, needed)
            x = 30 if x == 10 else 10
            page.mouse.move(x, 200)
            page.wait_for_timeout(250)


def _preflight(page, camera_browser, live_server, *, watched=True):  # noqa: F811
    """Rules acceptance, camera, face, the phone as second camera, full screen. Returns the
    phone's context (kept open during the exam, as the phone stays on). ``watched``: the
    exam page runs the proctor watcher (formal papers; the mock paper's page does not)."""
    expect(page).to_have_url(re.compile(r"/proctor/s/\d+/preflight/"))
    expect(page.locator("[data-panel=rules]")).to_be_visible()
    expect(page.locator("#proctor-rules-accept")).to_be_disabled()
    page.check("#proctor-rules-check")
    page.click("#proctor-rules-accept")
    page.click("#proctor-camera-start")
    page.click("#proctor-face-verify")
    expect(page.locator("[data-panel=second_camera]")).to_be_visible()
    expect(page.locator("#proctor-qr svg")).to_be_visible()
    expect(page.locator("#proctor-qr-url")).to_have_text(re.compile(r"/proctor/phone/[-\w]+/$"))
    phone_url = page.locator("#proctor-qr-url").inner_text()
    phone_context = camera_browser.new_context(locale="zh-CN", base_url=live_server.url)
    phone_context.grant_permissions(["camera"])
    phone = phone_context.new_page()
    phone.goto(phone_url)
    phone.click("#proctor-phone-start")
    expect(phone.locator("#proctor-message")).to_have_class(re.compile("success"), timeout=20_000)
    expect(page.locator("[data-panel=fullscreen]")).to_be_visible(timeout=20_000)
    page.click("#proctor-fullscreen")
    expect(page).to_have_url(re.compile(r"/exam/attempts/\d+/$"))
    expect(page.locator(".exam-question").first).to_be_attached()
    if watched:  # the exam page's own full-screen gate, as in test_proctor_flow._into_exam
        expect(page.locator("#proctor-overlay")).to_be_visible()
        page.click("#proctor-overlay-button")
        expect(page.locator("#proctor-overlay")).to_be_hidden()
        wait_for_js(page, "document.fullscreenElement !== null")
        expect(page.locator("#proctor-badge")).to_be_visible()
    return phone_context


def _close_phone(phone_context):
    for phone in phone_context.pages:
        phone.evaluate("document.querySelectorAll('video').forEach(v => v.srcObject && v.srcObject.getTracks().forEach(t => t.stop()))")
    phone_context.close()


def _hand_in(page, questions):
    page.click("#exam-hand-in")
    expect(page.locator("#exam-confirm")).to_be_visible()
    expect(page.locator("#exam-confirm-text")).to_contain_text(str(questions))
    page.click("#exam-confirm-yes")


def _answer_correctly(page, attempt):
    """Every objective question right, every short answer with the reference answer."""
    items = list(attempt.items.select_related("question").order_by("position"))
    for item in items:
        question = item.question
        if question.kind == "short":
            page.fill(f"#q-{item.position} textarea", question.reference_answer[:200])
            continue
        for key in question.correct:
            page.locator(f"#q-{item.position} input").nth(item.option_order.index(key)).check()
    expect(page.locator("#exam-answered")).to_have_text(str(len(items)))
    expect(page.locator("#exam-save-state")).to_have_attribute("data-state", "saved", timeout=10_000)
    return items


@pytest.mark.parametrize("track", list(TRACKS))
def test_track_from_registration_to_verified_certificate(
    track, cam_page, camera_browser, chromium, live_server, accelerated, staff, tmp_path  # noqa: F811
):
    from django.utils import timezone

    from cert_plugin.models import Certificate
    from course_content.models import Enrolment, ProgramPage
    from exam_plugin.models import Attempt, Candidate, ExamSitting
    from exam_plugin.services import clock, grading
    from exam_plugin.services.sittings import paired_mock
    from plugins import services as plugin_services
    from proctor_plugin.models import LeaveEvent, ProctoredSitting
    from proctor_plugin.services.face_enrolment import enrol_face

    serial, slot_start = TRACKS[track]
    program = ProgramPage.objects.get(slug=track)
    cert = plugin_services.get_settings(program, "cert_plugin")
    # Documented program settings: issue and publish the certificate on the exam day.
    plugin_services.update_settings(program, "cert_plugin", issue_lag_working_days=0, search_lag_working_days=0)
    level = program.levels.get(code="junior")
    formal = ExamSitting.objects.filter(program=program, kind="formal", calendar_key__startswith="formal-",
                                        starts_at__gt=timezone.now() + timedelta(days=8)).order_by("starts_at").first()
    mock = paired_mock(formal)
    assert timezone.localtime(formal.starts_at).strftime("%H:%M") == slot_start
    assert timezone.localtime(formal.starts_at).weekday() == 5 and timezone.localtime(mock.starts_at).weekday() == 1

    # --- registration (the proctor plugin's face check of the ID photo is its own test:
    # our photo is synthetic, so proctoring is off while registering, as in test_registration_flow)
    plugin_services.disable(program, "proctor_plugin")
    page = cam_page
    _register(page, tmp_path, program, level, formal, serial)
    _approve(chromium, live_server, staff["reviewer"], f"碳学员{serial}")
    plugin_services.enable(program, "proctor_plugin")
    enrolment = Enrolment.objects.get(program=program, level=level, learner__real_name=f"碳学员{serial}")
    enrol_face(enrolment.learner, _astronaut(), origin="admin")
    assert not Candidate.objects.filter(enrolment=enrolment).exists()  # the hours come first

    # --- study every junior lesson: the hours requirement is met through real heartbeats
    page.goto("/dashboard/")
    expect(page.locator(f"section.enrolment[data-enrolment='{enrolment.pk}']")).to_be_visible()
    _study_every_lesson(page, enrolment)
    from course_content.services.ledger import hours_met

    _wait_for(lambda: hours_met(enrolment))
    # Hours met + approved registration: admitted to the chosen sitting and its Tuesday mock.
    # (the last heartbeat's request does it; wait for the server rather than race it)
    _wait_for(lambda: Candidate.objects.filter(sitting=mock, enrolment=enrolment).exists())
    candidate = Candidate.objects.get(sitting=formal, enrolment=enrolment)
    mock_candidate = Candidate.objects.get(sitting=mock, enrolment=enrolment)

    # --- the mock test on its Tuesday: move the pair so that now is 10:00 on that Tuesday
    _shift([mock, formal], timezone.now() - (mock.starts_at + timedelta(hours=1)))
    home = f"/programs/{program.program_path}/exam/"
    page.goto(home)
    mock_row = page.locator(f".exam-sitting[data-sitting='{mock.pk}']")
    expect(mock_row.locator(".mock-note")).to_be_visible()
    expect(mock_row).not_to_contain_text("证书颁发")
    # 考生登录信息为准考证号、身份证件号码两项: the registered phone as login spells it.
    document_number = enrolment.learner.document_number
    mock_row.locator("input[name=admission_number]").fill(f"+86 136 0000 {serial:04d}")
    mock_row.locator("input[name=document_number]").fill(f"{document_number[:6]} {document_number[6:]}")
    mock_row.locator("button.enter-exam").click()
    phone_context = _preflight(page, camera_browser, live_server, watched=False)
    try:
        expect(page.locator(".exam-question")).to_have_count(35)
        page.locator("#q-0 input").first.check()
        expect(page.locator("#exam-save-state")).to_have_attribute("data-state", "saved", timeout=10_000)
        _hand_in(page, 35)  # a mock may be handed in at once
        expect(page).to_have_url(re.compile(r"/result/$"), timeout=20_000)
    finally:
        _close_phone(phone_context)
    mock_attempt = Attempt.objects.get(candidate=mock_candidate)
    assert not mock_attempt.scored and not mock_attempt.is_open
    assert all(item.question.pool == "practice" for item in mock_attempt.items.select_related("question"))

    # --- the formal exam in the track's slot: now is 5 minutes after the start
    _shift([mock, formal], timezone.now() - timedelta(minutes=5) - formal.starts_at)
    opens, closes = clock.entry_window(formal)
    assert closes - formal.starts_at == timedelta(minutes=15)  # late entry closes after 15 minutes
    page.goto(home)
    formal_row = page.locator(f".exam-sitting[data-sitting='{formal.pk}']")
    # Each sitting asks again; a wrong ID number is refused with a message.
    formal_row.locator("input[name=admission_number]").fill(candidate.admission_number)
    formal_row.locator("input[name=document_number]").fill(document_number[:-1] + ("1" if document_number[-1] == "0" else "0"))
    formal_row.locator("button.enter-exam").click()
    expect(page.locator("ul.messages")).to_contain_text("身份证件号码与本考生信息不符", timeout=20_000)
    formal_row.locator("input[name=admission_number]").fill(f"1360000{serial:04d}")
    formal_row.locator("input[name=document_number]").fill(document_number)
    formal_row.locator("button.enter-exam").click()
    phone_context = _preflight(page, camera_browser, live_server)
    try:
        attempt = Attempt.objects.get(candidate=candidate)
        expect(page.locator(".exam-question")).to_have_count(35)
        assert all(item.question.pool == "formal" for item in attempt.items.select_related("question"))
        # One leave, back in time: counted out of 3, with the 20-second countdown.
        page.evaluate("document.exitFullscreen()")
        expect(page.locator("#proctor-countdown")).to_be_visible()
        expect(page.locator("#proctor-countdown")).to_have_text(re.compile(r"^(20|19|18) s$"))
        page.click("#proctor-overlay-button")
        expect(page.locator("#proctor-overlay")).to_be_hidden()
        expect(page.locator("#proctor-overlay-leaves")).to_contain_text("1 / 3", timeout=10_000)
        _answer_correctly(page, attempt)
        # Hand-in opens 30 minutes after the start (the sitting moves back on the server).
        _shift([formal], timedelta(minutes=-30))
        # The page learns the moved hand-in time at its next clock poll (every 30 s; a
        # loaded machine may delay it by a poll).
        expect(page.locator("#exam-hand-in")).to_be_enabled(timeout=90_000)
        _hand_in(page, 35)
        expect(page.locator("#exam-pending")).to_be_visible(timeout=20_000)
    finally:
        _close_phone(phone_context)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    proctored = ProctoredSitting.objects.get(candidate=candidate)
    assert proctored.rules_accepted_at and proctored.second_camera_paired_at and proctored.face_verified_at
    assert LeaveEvent.objects.filter(sitting=proctored, outcome="counted").count() == 1

    # --- a grader marks the five short answers
    grader_context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    grader = grader_context.new_page()
    try:
        browser_login(grader, *staff["grader"])
        grader.goto(f"/admin/exam-office/grading/?program={program.pk}")
        expect(grader.locator(".grading-item")).to_have_count(5)
        for _ in range(5):
            grader.locator(".grading-item input[name=score]").first.fill("8")
            grader.locator(".grading-item button[type=submit]").first.click()
            grader.wait_for_load_state("load")
        expect(grader.locator("#grading-empty")).to_be_visible()
    finally:
        grader_context.close()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == 90  # 20 + 30 + 5 × 8

    # --- release: the result, then the certificate with the track's own identity
    grading.release_sitting(formal)
    page.goto(f"{home}attempts/{attempt.pk}/result/")
    expect(page.locator("#exam-score")).to_have_text("90")
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.number.startswith(cert["number_prefix"] + str(certificate.issue_date.year))
    assert certificate.issuer == cert["issuer"] and certificate.title == cert["title_junior"]
    page.goto(f"/programs/{program.program_path}/certificates/")
    expect(page.locator(".cert-number")).to_have_text(certificate.number)

    visitor_context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    visitor = visitor_context.new_page()
    try:
        visitor.goto(f"/certificates/verify/{certificate.number}/")
        record = visitor.locator(".cert-record")
        expect(record).to_have_attribute("data-status", "valid")
        expect(record.locator("h2")).to_have_text(cert["title_junior"])
        expect(record).to_contain_text(cert["issuer"])
        expect(record.locator(".cert-holder")).to_have_text(f"碳学员{serial}")
    finally:
        visitor_context.close()
