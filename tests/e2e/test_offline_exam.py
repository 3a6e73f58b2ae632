"""A formal exam across an offline spell in Debian's Chromium: go offline, answer five
questions, reload while still offline (the page and paper come from the device), answer
more, go online — every answer reaches the server and the spell is recorded."""

import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.helpers import browser_login
from tests.pwa.browser import (
    wagtail_root,  # noqa: F401 - autouse fixture
    wait_for_js,
    wait_until_controlled,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


@pytest.fixture
def formal_candidate(energy, make_learner, grant_hours):
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit
    from plugins.services import disable

    disable(energy, "proctor_plugin")  # the exam alone; proctoring has its own browser tests
    learner = make_learner(energy, password=PASSWORD)
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    return learner, admit(sitting, enrolment)


def _choose(page, item, option=0):
    page.locator(f"#q-{item.position} input").nth(option).check()


def test_formal_exam_survives_an_offline_spell_with_a_reload(page, energy, formal_candidate):
    from exam_plugin.models import Attempt, AttemptItem, OfflineSpell

    learner, candidate = formal_candidate
    browser_login(page, learner.username, PASSWORD)
    page.goto("/programs/energy/exam/")
    page.click("button.enter-exam")
    expect(page.locator(".exam-question")).to_have_count(64)
    wait_until_controlled(page)
    expect(page.locator(".exam-question")).to_have_count(64)
    attempt = Attempt.objects.get(candidate=candidate)
    cache = f"pwa-keep-exam-{attempt.pk}"
    wait_for_js(page, f"caches.open('{cache}').then((c) => c.keys()).then((k) => k.length >= 4)")
    # the kept paper carries no answer keys
    kept = page.evaluate(
        f"caches.open('{cache}').then((c) => c.match('/programs/energy/exam/api/attempts/{attempt.pk}'))"
        ".then((r) => r.text())"
    )
    assert '"correct"' not in kept and "reference_answer" not in kept

    singles = [i for i in attempt.items.select_related("question").order_by("position") if i.question.kind == "single"]
    _choose(page, singles[0])
    expect(page.locator("#exam-save-state")).to_have_attribute("data-state", "saved", timeout=5000)

    page.context.set_offline(True)
    for item in singles[1:6]:
        _choose(page, item, 1)
    expect(page.locator("#exam-save-state")).to_have_attribute("data-state", "offline", timeout=10_000)
    expect(page.locator("#exam-save-state")).to_have_text("离线：答案保存在本机")
    assert not AttemptItem.objects.filter(pk__in=[i.pk for i in singles[1:6]], response__isnull=False).exists()

    page.reload()  # still offline: the page and its paper come from the device, answers from the journal
    expect(page.locator(".exam-question")).to_have_count(64)
    for item in singles[1:6]:
        expect(page.locator(f"#q-{item.position} input").nth(1)).to_be_checked()
    expect(page.locator("#exam-answered")).to_have_text("6")
    for item in singles[6:8]:
        _choose(page, item, 2)
    expect(page.locator("#exam-answered")).to_have_text("8")
    expect(page.locator("#exam-save-state")).to_have_attribute("data-state", "offline", timeout=10_000)

    page.context.set_offline(False)
    expect(page.locator("#exam-save-state")).to_have_attribute("data-state", "saved", timeout=15_000)
    expected = {singles[0].pk: 0, **{i.pk: 1 for i in singles[1:6]}, **{i.pk: 2 for i in singles[6:8]}}
    deadline = time.monotonic() + 10
    while True:
        stored = {i.pk: i for i in AttemptItem.objects.filter(pk__in=expected)}
        if all(stored[pk].response == [stored[pk].option_order[opt]] for pk, opt in expected.items()):
            break
        assert time.monotonic() < deadline, {pk: stored[pk].response for pk in expected}
        page.wait_for_timeout(200)
    spell = OfflineSpell.objects.get(attempt=attempt)
    assert spell.ended_at > spell.started_at
    assert spell.answers_replayed >= 7 and spell.late_answers_accepted == 0
    assert not page.evaluate("window.examJournal.inSpell()")
