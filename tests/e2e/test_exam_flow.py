"""Exam end to end in Chromium: practice with feedback, a mock paper, then a formal exam — answer, reload
mid-exam (answers still there, also one only in the IndexedDB journal), mark questions
for review; the hand-in button waits for the earliest hand-in time (and the server
refuses an early hand-in); the confirmation lists unanswered and marked questions;
hand in; a grader marks the short answers; after release the candidate sees the result."""

import re
from datetime import timedelta

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from cms_site.accounts.services import roles
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


@pytest.fixture
def exam_setup(energy, make_learner, grant_hours, settings, tmp_path):
    from django.contrib.auth import get_user_model
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
    grader.groups.add(roles.group(roles.GRADER))
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
    expect(page.locator(".mock-pass-line")).to_contain_text("60")  # instructions first
    page.click("button.start-mock-now")
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
    # who is sitting the exam: name and admission number on the page
    expect(page.locator("#exam-candidate-name")).to_have_text("王考生")
    expect(page.locator("#exam-admission-number")).to_have_text(exam_setup["candidate"].admission_number)
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

    # mark two questions for review (kept on this device across a reload)
    page.locator(f"#q-{single.position} .q-mark").click()
    page.locator(f"#q-{shorts[2].position} .q-mark").click()
    expect(page.locator(f"#nav-{shorts[2].position}")).to_have_class(re.compile("marked"))
    page.locator(f"#q-{single.position} .q-mark").click()  # unmarked again
    expect(page.locator(f"#q-{single.position} .q-mark")).to_have_attribute("aria-pressed", "false")

    # too early: the button is disabled and says from when; the server refuses anyway
    expect(page.locator("#exam-hand-in")).to_be_disabled()
    expect(page.locator("#exam-hand-in-from")).to_contain_text("起可交卷")
    refused = page.evaluate(
        """(url) => fetch(url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken":
            document.cookie.match(/csrftoken=([^;]+)/)[1]}}).then(async (r) => [r.status, (await r.json()).detail])""",
        f"/programs/energy/exam/api/attempts/{attempt.pk}/hand-in",
    )
    assert refused[0] == 409 and "交卷" in refused[1]
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS

    # 30 minutes later (the sitting moved back in time on the server): the button opens
    type(sitting).objects.filter(pk=sitting.pk).update(
        starts_at=sitting.starts_at - timedelta(minutes=30), ends_at=sitting.ends_at - timedelta(minutes=30)
    )
    page.reload()
    expect(page.locator(f"#q-{shorts[2].position} .q-mark")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#exam-hand-in")).to_be_enabled()
    expect(page.locator("#exam-hand-in-from")).to_have_text("")
    page.click("#exam-hand-in")
    expect(page.locator("#exam-confirm")).to_be_visible()
    answered = {single.position, multiple.position, shorts[0].position, shorts[1].position}
    unanswered = "、".join(str(i.position + 1) for i in items if i.position not in answered)
    expect(page.locator("#exam-confirm-unanswered-list")).to_have_text(unanswered)
    expect(page.locator("#exam-confirm-marked-list")).to_have_text(str(shorts[2].position + 1))
    page.click("#exam-confirm-yes")
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
    # The template shows the score with floatformat:"-1" (10 → "10", 7.5 → "7.5").
    expect(page.locator("#exam-score")).to_have_text(floatformat(attempt.score, "-1"))
    expect(page.locator("#exam-verdict")).to_be_visible()

