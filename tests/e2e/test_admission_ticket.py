"""The admission ticket from the learner's exam page in Chromium: the link on the exam home
answers with a PDF whose text names the candidate, the sitting and the rules."""

import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Study-2026!"


@pytest.fixture
def signed_up(energy, make_learner, grant_hours):
    from django.utils import timezone

    from exam_plugin.models import ExamSitting
    from exam_plugin.services.sittings import admit

    learner = make_learner(energy, password=PASSWORD, real_name="赵准考")
    enrolment = learner.enrolments.get()
    grant_hours(enrolment, 36)
    start = timezone.localtime(timezone.now() + timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)
    sitting = ExamSitting.objects.create(program=energy, title="准考证测试场", starts_at=start, ends_at=start + timedelta(hours=2))
    return learner, admit(sitting, enrolment)


def test_the_link_on_the_exam_page_gives_the_ticket_pdf(page, signed_up):
    learner, candidate = signed_up
    browser_login(page, learner.username, PASSWORD)
    page.goto("/programs/energy/exam/")
    row = page.locator(f".exam-sitting[data-sitting='{candidate.sitting_id}']")
    link = row.locator("a.admission-ticket")
    expect(link).to_be_visible()
    expect(link).to_have_text("准考证（PDF）")

    # A headless browser downloads a PDF it opens: take the answer off the wire either way.
    with page.expect_response(lambda r: "/admission-ticket/" in r.url, timeout=30_000) as answer:
        try:
            with page.expect_download(timeout=30_000):
                link.click()
        except Exception:  # noqa: BLE001 - a browser that shows the PDF inline downloads nothing
            pass
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = page.context.request.get(response.url).body()  # the same session's cookies
    [text] = [p.extract_text() for p in PdfReader(io.BytesIO(body)).pages]
    for expected in ("准考证", "赵准考", candidate.admission_number, "准考证测试场", "考试规则", "09:00–11:00"):
        assert expected in text, expected
