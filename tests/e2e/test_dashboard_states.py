""""My learning" in Chromium: every state of a learner has a next step (a text and a link),
set up server-side; login lands there; the menu and the home page lead to registration."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from course_content.models import Enrolment, LessonPage
from course_content.registration.models import Registration
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


def _application(learner, program, status, **fields):
    level = program.levels.get(code="junior")
    return Registration.objects.create(
        program=program, level=level, candidate=learner, created_by=learner, status=status,
        real_name=learner.real_name, document_number=learner.document_number, **fields,
    )


def _sittings(program):
    from exam_plugin.models import ExamSitting

    start = timezone.now() + timedelta(days=30)
    first = ExamSitting.objects.create(program=program, kind=ExamSitting.Kind.FORMAL, title="先开的场次",
                                       starts_at=start, ends_at=start + timedelta(hours=2))
    later = ExamSitting.objects.create(program=program, kind=ExamSitting.Kind.FORMAL, title="所选场次",
                                       starts_at=start + timedelta(days=60), ends_at=start + timedelta(days=60, hours=2))
    return first, later


def _approved(learner, program, sitting=None):
    enrolment = Enrolment.objects.get(learner=learner, program=program)
    enrolment.source = Enrolment.Source.REGISTRATION
    enrolment.save(update_fields=["source"])
    _application(learner, program, Registration.Status.APPROVED, enrolment=enrolment,
                 exam_sitting_id=str(sitting.pk) if sitting else "", exam_sitting_label=str(sitting) if sitting else "",
                 exam_sitting_starts_at=sitting.starts_at if sitting else None)
    return enrolment


def _first_lesson(program, level):
    from course_content.services.ledger.dashboard import lessons_for_level, modules_of

    return next(lesson for module in modules_of(program) for lesson in lessons_for_level(module, level))


def build_states(energy, make_learner, grant_hours):
    """Learner per state → (what the next step says, where its link goes, extra checks)."""
    from exam_plugin.models import Attempt
    from exam_plugin.services.sittings import admit

    states = {}
    learner = make_learner(password=PASSWORD)
    states["nothing yet"] = (learner, "去报名", "/register/", [])

    learner = make_learner(password=PASSWORD)
    draft = _application(learner, energy, Registration.Status.DRAFT)
    states["draft"] = (learner, "继续填写报名", f"/register/r/{draft.pk}/", ["尚未提交"])

    learner = make_learner(password=PASSWORD)
    submitted = _application(learner, energy, Registration.Status.SUBMITTED, submitted_at=timezone.now(),
                             review_deadline=timezone.localdate() + timedelta(days=1))
    states["submitted"] = (learner, "查看报名申请", f"/register/r/{submitted.pk}/",
                           ["正在审核", f"{submitted.review_deadline:%Y-%m-%d}"])

    learner = make_learner(password=PASSWORD)
    rejected = _application(learner, energy, Registration.Status.REJECTED, rejection_reason="身份证照片不清晰")
    states["rejected"] = (learner, "修改后重新提交", f"/register/r/{rejected.pk}/", ["身份证照片不清晰"])

    first, later = _sittings(energy)
    learner = make_learner(energy, password=PASSWORD)
    enrolment = _approved(learner, energy, later)
    lesson = _first_lesson(energy, enrolment.level)
    states["approved, sitting chosen, 0 hours"] = (
        learner, f"开始学习：{lesson.title}", lesson.url, ["报名已通过审核", f"所选考试场次：{later}", ("exam", str(later))])

    learner = make_learner(energy, password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    grant_hours(enrolment, 1)
    states["studying"] = (learner, "继续上次的学习：", "", [])

    learner = make_learner(energy, password=PASSWORD)
    enrolment = _approved(learner, energy, later)
    grant_hours(enrolment, float(enrolment.level.required_hours))
    states["hours met"] = (learner, "您已完成规定学时", None, [("exam", str(later))])

    learner = make_learner(energy, password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    grant_hours(enrolment, float(enrolment.level.required_hours))
    candidate = admit(later, enrolment)
    states["exam signed up"] = (learner, "您已完成规定学时", None, [f"准考证号 {candidate.admission_number}",
                                                               ("exam", str(later))])

    learner = make_learner(energy, password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    grant_hours(enrolment, float(enrolment.level.required_hours))
    past = timezone.now() - timedelta(days=2)
    from exam_plugin.models import ExamSitting
    held = ExamSitting.objects.create(program=energy, kind=ExamSitting.Kind.FORMAL, title="已考场次",
                                      starts_at=past, ends_at=past + timedelta(hours=2))
    sat = admit(held, enrolment, check=False)
    Attempt.objects.create(enrolment=enrolment, candidate=sat, sitting=held, mode=Attempt.Mode.FORMAL, seed=1,
                           started_at=past, deadline=past + timedelta(hours=2), submitted_at=past + timedelta(hours=1),
                           status=Attempt.Status.SUBMITTED)
    from exam_plugin.services.sittings import derived_dates
    release = derived_dates(held)["results"]
    states["result pending"] = (learner, "您已完成规定学时", None, [f"成绩待发布，预计 {release:%Y-%m-%d} 发布"])

    from course_content.signals import exam_passed
    learner = make_learner(energy, password=PASSWORD)
    enrolment = Enrolment.objects.get(learner=learner)
    grant_hours(enrolment, float(enrolment.level.required_hours))
    exam_passed.send(sender=energy, enrolment=enrolment, result_id=f"result-{enrolment.pk}", score=Decimal("78"),
                     passed_on=timezone.localdate() - timedelta(days=3))
    states["certificate"] = (learner, "您已完成规定学时", None, [("cert", "证书")])
    return states


def test_each_dashboard_state_shows_its_next_step(chromium, live_server, energy, make_learner, grant_hours):
    states = build_states(energy, make_learner, grant_hours)
    for name, (learner, step, href, extras) in states.items():
        context = chromium.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844})
        context.set_default_timeout(30_000)
        try:
            page = context.new_page()
            browser_login(page, learner.username, PASSWORD)
            # Login lands on "my learning".
            assert page.url.rstrip("/").endswith("/dashboard"), (name, page.url)
            expect(page.get_by_text(step).first).to_be_visible()
            if href is not None:
                link = page.locator("a.next-step", has_text=step) if href else page.locator("a.next-step").first
                expect(link).to_be_visible()
                if href:
                    assert link.first.get_attribute("href").rstrip("/").endswith(href.rstrip("/")), (name, href)
                link.first.click()
                page.wait_for_load_state("networkidle")
                assert page.url.split("?")[0] != f"{live_server.url}/dashboard/", name
                page.go_back()
            for extra in extras:
                if isinstance(extra, tuple) and extra[0] == "exam":
                    expect(page.locator(".exam-panel .exam-sitting")).to_have_text(extra[1])
                elif isinstance(extra, tuple) and extra[0] == "cert":
                    expect(page.locator(".cert-panel")).to_contain_text(extra[1])
                else:
                    expect(page.locator("main")).to_contain_text(extra)
            assert "继续上次的学习" not in page.locator("main").inner_text() or name == "studying", name
        finally:
            context.close()


def test_menu_and_home_page_lead_to_registration_and_next_is_respected(page, energy, make_learner):
    page.goto("/")
    expect(page.locator("header nav a", has_text="报名")).to_have_attribute("href", "/register/")
    expect(page.locator("main a.home-register")).to_have_attribute("href", "/register/")
    learner = make_learner(energy, password=PASSWORD)
    lesson = LessonPage.objects.descendant_of(energy).first()
    page.goto(f"/accounts/login/?next={lesson.url}")
    page.fill("input[name=username]", learner.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(lesson.url), page.url
