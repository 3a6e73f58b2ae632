"""Confirmations in Chromium (accessible <dialog>, no inline script): signing up for a sitting
on the exam page and releasing a sitting's results in the exam office. Cancelling (the
button or Esc) does nothing on the server; confirming does it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


def _sitting(energy, days, title):
    from django.utils import timezone

    from exam_plugin.models import ExamSitting

    start = timezone.localtime(timezone.now() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
    return ExamSitting.objects.create(program=energy, title=title, starts_at=start, ends_at=start + timedelta(hours=2))


def test_signing_up_asks_first(page, energy, make_learner, grant_hours):
    from exam_plugin.models import Candidate

    learner = make_learner(energy, password=PASSWORD)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    sitting = _sitting(energy, 9, "确认测试场")
    browser_login(page, learner.username, PASSWORD)
    page.goto("/programs/energy/exam/")
    row = page.locator(f".exam-sitting[data-sitting='{sitting.pk}']")
    dialog = page.get_by_role("dialog", name="确认报名本场考试？")

    row.locator("button.sign-up").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确认测试场")
    expect(dialog.get_by_role("button", name="取消")).to_be_focused()
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    expect(row.locator("button.sign-up")).to_be_focused()
    row.locator("button.sign-up").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert not Candidate.objects.filter(sitting=sitting, enrolment=enrolment).exists()
    expect(row.locator(".admission-number")).to_have_count(0)

    row.locator("button.sign-up").click()
    dialog.get_by_role("button", name="确认报名").click()
    expect(row.locator(".admission-number")).to_be_visible()
    candidate = Candidate.objects.get(sitting=sitting, enrolment=enrolment)
    expect(row.locator(".admission-number")).to_have_text(candidate.admission_number)


def test_releasing_results_asks_first(page, energy, make_learner, grant_hours):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from exam_plugin.models import Attempt
    from exam_plugin.services.sittings import admit

    learner = make_learner(energy)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    sitting = _sitting(energy, -2, "发布测试场")
    candidate = admit(sitting, enrolment, check=False)
    attempt = Attempt.objects.create(
        enrolment=enrolment, candidate=candidate, sitting=sitting, mode=Attempt.Mode.FORMAL, seed=1,
        started_at=sitting.starts_at, deadline=sitting.ends_at, submitted_at=sitting.ends_at,
        status=Attempt.Status.GRADED, score=40, max_score=100, passed=False, graded_at=timezone.now(),
    )
    get_user_model().objects.create_user(username="office-e2e", password="Office-2026!", is_staff=True, is_superuser=True)
    browser_login(page, "office-e2e", "Office-2026!")
    page.goto(f"/admin/exam-office/sittings/{sitting.pk}/")
    release = page.locator("#exam-release")
    dialog = page.locator("#exam-release-confirm")

    release.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1")
    dialog.locator("[data-confirm-cancel]").click()
    expect(dialog).to_be_hidden()
    release.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_load_state("networkidle")
    attempt.refresh_from_db()
    sitting.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and sitting.results_released_at is None

    release.click()
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    expect(page.locator(".messages")).to_contain_text("1")
    attempt.refresh_from_db()
    sitting.refresh_from_db()
    assert attempt.status == Attempt.Status.RELEASED and sitting.results_released_at is not None
