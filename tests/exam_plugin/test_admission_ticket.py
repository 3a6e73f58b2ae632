"""The admission ticket (准考证) PDF: what it prints (name, masked ID, photo, sitting, rules
read off the program's settings), who may get it (the candidate only; the exam office in
batch) — text extracted with pypdf from the real reportlab output."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from exam_plugin.services import admission
from exam_plugin.services.sittings import admit
from plugins.urls import program_url


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def jpeg(size=(350, 490), colour=(67, 142, 219)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def approved_photo(enrolment):
    """An approved registration with a 2-inch photo behind ``enrolment``."""
    from course_content.registration.models import Registration
    from course_content.registration.services import registrations as registration

    draft = registration.start_registration(enrolment.learner, enrolment.level)
    registration.store_material(draft, "photo", SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg"), "image/jpeg")
    Registration.objects.filter(pk=draft.pk).update(status="approved", enrolment=enrolment)
    return draft


@pytest.fixture
def ticket_candidate(eligible, energy):
    from exam_plugin.models import ExamSitting

    enrolment = eligible(real_name="张准考")
    start = timezone.localtime(timezone.now() + timedelta(days=20)).replace(hour=9, minute=0, second=0, microsecond=0)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    return admit(sitting, enrolment)


def ticket_url(candidate):
    return program_url(candidate.sitting.program, "exam_plugin:admission_ticket", sitting_id=candidate.sitting_id)


def test_the_candidate_gets_a_ticket_with_name_masked_id_photo_sitting_and_rules(ticket_candidate, logged_in):
    approved_photo(ticket_candidate.enrolment)
    learner = ticket_candidate.enrolment.learner
    response = logged_in(learner).get(ticket_url(ticket_candidate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    [text] = pdf_text(response.content)
    sitting = ticket_candidate.sitting
    for expected in ("准考证", "张准考", ticket_candidate.admission_number, "综合能源服务", "初级",
                     timezone.localtime(sitting.starts_at).strftime("%Y-%m-%d"), "09:00", "11:00", "考试规则"):
        assert expected in text, expected
    # the ID number is masked: head and tail only
    number = learner.document_number
    assert number not in text and f"{number[:3]}" in text and number[-4:] in text
    # the rules come from the energy settings: login 08:30, entry closes 09:30, hand-in from 09:30
    assert "08:30" in text and "09:30" in text
    # the approved registration's photo is on the page
    assert len(PdfReader(io.BytesIO(response.content)).pages[0].images) == 1


def test_without_an_approved_photo_the_ticket_leaves_a_frame(ticket_candidate):
    draft = approved_photo(ticket_candidate.enrolment)
    type(draft).objects.filter(pk=draft.pk).update(status="rejected")
    content = admission.ticket_pdf(ticket_candidate)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages[0].images) == 0
    assert "照片" in reader.pages[0].extract_text()


def test_rules_follow_the_program_settings(ticket_candidate, energy):
    from plugins.services import update_settings

    update_settings(energy, "exam_plugin", late_entry_minutes=15, admission_ticket_notes="请携带黑色签字笔。\n\n考场内禁止吸烟。")
    rules = "\n".join(admission.exam_rules(ticket_candidate.sitting))
    assert "09:15" in rules
    [text] = pdf_text(admission.ticket_pdf(ticket_candidate))
    assert "09:15" in text and "请携带黑色签字笔" in text and "考场内禁止吸烟" in text


def test_another_learner_gets_404_and_a_visitor_must_log_in(ticket_candidate, eligible, logged_in, client):
    url = ticket_url(ticket_candidate)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    other = eligible()
    response = logged_in(other.learner).get(url)
    assert response.status_code == 404
    assert ticket_candidate.admission_number.encode() not in response.content


def test_the_exam_home_links_the_candidate_to_their_ticket(ticket_candidate, logged_in, energy):
    body = logged_in(ticket_candidate.enrolment.learner).get(program_url(energy, "exam_plugin:home")).content.decode()
    assert ticket_url(ticket_candidate) in body


def test_the_exam_office_prints_a_sitting_in_one_pdf(ticket_candidate, eligible, client, admin_user, make_learner):
    sitting = ticket_candidate.sitting
    second = admit(sitting, eligible(real_name="李第二"))
    url = f"/admin/exam-office/sittings/{sitting.pk}/admission-tickets/"
    client.force_login(admin_user)
    assert url in client.get(f"/admin/exam-office/sittings/{sitting.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    assert len(pages) == 2
    by_number = {c.admission_number: c for c in (ticket_candidate, second)}
    for text in pages:
        [number] = [n for n in by_number if n in text]
        assert by_number[number].enrolment.learner.real_name in text and "考试规则" in text

    # a learner (no exam-office permission) gets no batch
    client.force_login(ticket_candidate.enrolment.learner)
    response = client.get(url)
    assert response.status_code in (302, 403) and response.get("Content-Type", "") != "application/pdf"


def test_a_sitting_without_candidates_prints_nothing(energy, client, admin_user):
    from exam_plugin.models import ExamSitting

    start = timezone.now() + timedelta(days=30)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    client.force_login(admin_user)
    response = client.get(f"/admin/exam-office/sittings/{sitting.pk}/admission-tickets/", follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "没有考生" in response.content.decode()
