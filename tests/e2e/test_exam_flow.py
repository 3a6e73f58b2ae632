"""Exam end to end in Chromium: practice with feedback, a mock paper, then a formal exam — answer, reload
mid-exam (answers still there, also one only in the IndexedDB journal), hand in too
early (refused), hand in; a grader marks the short answers; after release the
candidate sees the result."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


@pytest.fixture
def exam_setup(energy, make_learner, grant_hours, settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "keys")
    disable(energy, "proctor_plugin")  # the exam alone; proctoring has its own browser tests
    learner = make_learner(energy, real_name="王考生", password=PASSWORD)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    candidate = admit(sitting, enrolment)
    grader = get_user_model().objects.create_user(username="grader-e2e", password="Grade-2026!", real_name="阅卷员")
    grader.groups.add(Group.objects.get(name="Graders"))
    return {"learner": learner, "sitting": sitting, "candidate": candidate, "grader": grader}


def _save_state(page):
    return page.locator("#exam-save-state")


def _confirm_hand_in(page):
    page.click("#exam-hand-in")
    expect(page.locator("#exam-confirm")).to_be_visible()
    expect(page.locator("#exam-confirm-text")).to_contain_text("64")
    page.click("#exam-confirm-yes")


def test_mock_then_formal_exam_grading_and_result(page, chromium, live_server, energy, exam_setup):
    from exam_plugin.models import Attempt, AttemptItem
    from exam_plugin.services import grading

    learner, sitting = exam_setup["learner"], exam_setup["sitting"]
    browser_login(page, learner.document_number, PASSWORD)

    # --- practice by knowledge point: immediate feedback per question
    page.goto("/programs/energy/exam/practice/")
    expect(page.locator("#practice-point option")).not_to_have_count(0)
    page.select_option("#practice-point", "M6")
    page.click("#practice-load")
    expect(page.locator(".practice-question")).to_have_count(10)
    # Questions are drawn at random; take the first objective one (short answers have no inputs).
    first = page.locator(".practice-question").filter(has=page.locator("input")).first
    first.locator("input").first.check()
    first.locator("button").click()
    expect(first.locator("p.feedback")).to_have_text(re.compile("正确"))

    # --- a mock paper: answer one question, hand in at once, see the score and review
    page.goto("/programs/energy/exam/")
    page.click("button.start-mock")
    expect(page.locator(".exam-question")).to_have_count(64)
    page.locator("#q-0 input").first.check()
    expect(page.locator("#exam-answered")).to_have_text("1")
    expect(_save_state(page)).to_have_attribute("data-state", "saved")
    _confirm_hand_in(page)
    expect(page.locator("#exam-score")).to_be_visible()
    expect(page.locator(".exam-review .review-item")).to_have_count(64)
    mock = Attempt.objects.get(enrolment__learner=learner, mode="mock")
    assert mock.status == Attempt.Status.RELEASED

    # --- the formal exam
    page.goto("/programs/energy/exam/")
    expect(page.locator(".admission-number")).to_have_text(exam_setup["candidate"].admission_number)
    page.click("button.enter-exam")
    expect(page.locator(".exam-question")).to_have_count(64)
    attempt = Attempt.objects.get(candidate=exam_setup["candidate"])
    items = list(attempt.items.select_related("question").order_by("position"))
    single = next(i for i in items if i.question.kind == "single")
    multiple = next(i for i in items if i.question.kind == "multiple")
    shorts = [i for i in items if i.question.kind == "short"]

    # the countdown runs on the server's deadline (about 1 h 55 min left)
    expect(page.locator("#exam-countdown")).to_have_text(re.compile(r"^1:[0-5]\d:\d\d$"))
    # font size persists
    page.select_option("#exam-font-size", "large")
    page.locator(f"#q-{single.position} input").nth(1).check()
    page.locator(f"#q-{multiple.position} input").nth(0).check()
    page.locator(f"#q-{multiple.position} input").nth(2).check()
    page.fill(f"#q-{shorts[0].position} textarea", "节能效益分享型、节能量保证型、能源费用托管型")
    expect(page.locator("#exam-answered")).to_have_text("3")
    expect(page.locator(f"#nav-{single.position}")).to_have_class(re.compile("answered"))
    expect(_save_state(page)).to_have_attribute("data-state", "saved", timeout=5000)
    saved = AttemptItem.objects.get(pk=single.pk)
    assert saved.response == [single.option_order[1]] and saved.seq >= 1

    # a change that only reaches the browser's journal (server unreachable), then a reload
    page.route("**/answers", lambda route: route.abort())
    page.fill(f"#q-{shorts[1].position} textarea", "只在本机日志中的答案")
    expect(_save_state(page)).to_have_attribute("data-state", re.compile("error|offline|pending"))
    assert not AttemptItem.objects.get(pk=shorts[1].pk).response
    page.unroute("**/answers")
    page.reload()
    expect(page.locator(".exam-question")).to_have_count(64)
    expect(page.locator(f"#q-{single.position} input").nth(1)).to_be_checked()
    expect(page.locator(f"#q-{multiple.position} input").nth(2)).to_be_checked()
    expect(page.locator(f"#q-{shorts[0].position} textarea")).to_have_value("节能效益分享型、节能量保证型、能源费用托管型")
    expect(page.locator(f"#q-{shorts[1].position} textarea")).to_have_value("只在本机日志中的答案")
    expect(page.locator("#exam-font-size")).to_have_value("large")
    expect(page.locator("#exam-answered")).to_have_text("4")
    expect(_save_state(page)).to_have_attribute("data-state", "saved", timeout=5000)
    assert AttemptItem.objects.get(pk=shorts[1].pk).response == "只在本机日志中的答案"

    # too early: refused with a message, the paper stays open
    _confirm_hand_in(page)
    expect(page.locator("#exam-message")).to_be_visible()
    expect(page.locator("#exam-message")).not_to_be_empty()
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS

    # 30 minutes later (the sitting moved back in time on the server): hand-in accepted
    type(sitting).objects.filter(pk=sitting.pk).update(
        starts_at=sitting.starts_at - timedelta(minutes=30), ends_at=sitting.ends_at - timedelta(minutes=30)
    )
    _confirm_hand_in(page)
    expect(page.locator("#exam-pending")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED

    # --- a grader marks the short answers in the admin, without seeing who wrote them
    grader_page = chromium.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    browser_login(grader_page, "grader-e2e", "Grade-2026!")
    grader_page.goto(f"/admin/exam-office/grading/?program={energy.pk}")
    # two short answers were written; the two left blank scored 0 without a grader
    expect(grader_page.locator(".grading-item")).to_have_count(2)
    assert learner.real_name not in grader_page.content()
    assert learner.document_number not in grader_page.content()
    for _ in range(2):
        grader_page.locator(".grading-item input[name=score]").first.fill("4")
        grader_page.locator(".grading-item button[type=submit]").first.click()
        grader_page.wait_for_load_state("load")
    expect(grader_page.locator("#grading-empty")).to_be_visible()
    grader_page.context.close()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED

    # --- before release the candidate sees no score; after release the result
    page.goto(f"/programs/energy/exam/attempts/{attempt.pk}/result/")
    expect(page.locator("#exam-pending")).to_be_visible()
    grading.release_sitting(sitting)
    page.reload()
    attempt.refresh_from_db()
    expect(page.locator("#exam-score")).to_have_text(f"{attempt.score.normalize():f}".rstrip("0").rstrip(".") or "0")
    expect(page.locator("#exam-verdict")).to_be_visible()

