"""The dual-carbon exam calendar: four tracks in their slots on one Saturday, the unscored
mock test the Tuesday before (no result or certificate dates, for every program), sign-up
rules, the 100 CNY make-up fee an admin marks as paid, and a learner message (not the
bank's gaps) when a mock paper cannot be drawn."""

from datetime import time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from course_content.models import Enrolment, ProgramGroupPage, ProgramPage
from exam_plugin.models import Candidate, ExamSitting, Question
from exam_plugin.services import sittings
from plugins.services import is_enabled
from plugins.urls import program_url

pytestmark = pytest.mark.django_db

SLOTS = {"asset": ("08:30", "10:30"), "emission": ("10:30", "12:30"), "trading": ("13:00", "15:00"), "monitoring": ("15:00", "17:00")}


def _tracks():
    return list(ProgramPage.objects.child_of(ProgramGroupPage.objects.get(slug="dual-carbon")).order_by("path"))


def _hm(moment):
    return timezone.localtime(moment).strftime("%H:%M")


def test_four_tracks_on_one_saturday_in_their_slots_with_the_mock_the_tuesday_before(site_data):
    tracks = _tracks()
    keys = set(ExamSitting.objects.filter(program=tracks[0], kind="formal").exclude(calendar_key="").values_list("calendar_key", flat=True))
    assert keys
    for key in keys:
        day = None
        for track in tracks:
            formal = ExamSitting.objects.get(program=track, calendar_key=key)
            local = timezone.localtime(formal.starts_at)
            assert local.weekday() == 5 and formal.scored, (track.slug, key)
            assert (_hm(formal.starts_at), _hm(formal.ends_at)) == SLOTS[track.slug]
            day = day or local.date()
            assert local.date() == day  # all four tracks on the same Saturday
            mock = sittings.paired_mock(formal)
            mock_start, mock_end = timezone.localtime(mock.starts_at), timezone.localtime(mock.ends_at)
            assert mock_start.date() == day - timedelta(days=4) and mock_start.weekday() == 1
            assert (mock_start.time(), mock_end.time()) == (time(9), time(18))
            assert not mock.scored and mock.results_released_at is None
            assert sittings.paired_formal(mock) == formal


def test_mock_sittings_have_no_result_or_certificate_dates(site_data):
    for track in _tracks():
        mock = ExamSitting.objects.filter(program=track, kind="mock").first()
        formal = sittings.paired_formal(mock)
        dates = sittings.derived_dates(mock)
        assert dates["results"] is None and dates["certificate"] is None and dates["searchable"] is None
        assert dates["registration_closes"] == timezone.localdate(formal.starts_at) - timedelta(days=7)
        formal_dates = sittings.derived_dates(formal)
        assert formal_dates["results"] and formal_dates["certificate"] and formal_dates["searchable"]


def _programs_with_exams():
    return [p for p in ProgramPage.objects.all() if is_enabled(p, "exam_plugin")]


def test_the_mock_sitting_page_shows_no_result_or_certificate_date_in_every_program(client, site_data, make_learner):
    programs = _programs_with_exams()
    assert len(programs) == 5
    now = timezone.now()
    for program in programs:
        learner = make_learner(program)
        enrolment = Enrolment.objects.get(learner=learner, program=program)
        mock = ExamSitting.objects.create(program=program, kind="mock", scored=False, title="模拟测试",
                                          starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=9))
        Candidate.objects.create(sitting=mock, enrolment=enrolment, admission_number=f"M{program.pk:04d}{learner.pk:06d}", fee_paid=True)
        client.force_login(learner)
        html = client.get(program_url(program, "exam_plugin:home")).content.decode()
        row = html[html.index(f'data-sitting="{mock.pk}"'):]
        row = row[:row.index("</div>")]
        assert "mock-note" in row, program.program_path
        for label in ("certificate issued", "certificate searchable", "证书颁发", "证书可查询", "成绩 "):
            assert label not in row, (program.program_path, label)


def test_a_candidate_of_the_exam_is_admitted_to_the_mock_test_with_it(asset, make_learner, grant_hours):
    enrolment = Enrolment.objects.get(learner=make_learner(asset))
    grant_hours(enrolment, 36)
    formal = ExamSitting.objects.filter(program=asset, kind="formal", starts_at__gt=timezone.now() + timedelta(days=8)).order_by("starts_at").first()
    candidate = sittings.admit(formal, enrolment)
    mock = sittings.paired_mock(formal)
    assert Candidate.objects.filter(sitting=mock, enrolment=enrolment).exists()
    assert candidate.sitting == formal
    assert sittings.admit(formal, enrolment) == candidate  # idempotent, no second mock candidacy
    assert Candidate.objects.filter(sitting=mock, enrolment=enrolment).count() == 1


def test_sign_up_closes_a_week_before_the_exam_also_for_its_mock(asset):
    formal = ExamSitting.objects.filter(program=asset, kind="formal").exclude(calendar_key="").first()
    mock = sittings.paired_mock(formal)
    assert sittings.sign_up_closes_at(formal) == formal.starts_at - timedelta(days=7)
    assert sittings.sign_up_closes_at(mock) == sittings.sign_up_closes_at(formal)


def test_make_up_exam_fee_is_recorded_and_an_admin_marks_it_paid(client, asset, make_learner, grant_hours, admin_user):
    enrolment = Enrolment.objects.get(learner=make_learner(asset))
    grant_hours(enrolment, 36)
    start = timezone.now() - timedelta(days=3)
    missed = ExamSitting.objects.create(program=asset, kind="formal", starts_at=start, ends_at=start + timedelta(hours=2))
    Candidate.objects.create(sitting=missed, enrolment=enrolment, admission_number="DC-MISSED-1", fee_paid=True)
    make_up = sittings.create_make_up(missed, starts_at=timezone.now() + timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=2))
    assert make_up.fee_required and make_up.fee_cny == 100
    candidate = sittings.admit(make_up, enrolment)
    assert candidate.fee_paid is False
    client.force_login(enrolment.learner)
    response = client.post(program_url(asset, "exam_plugin:enter", sitting_id=make_up.pk), follow=True)
    assert any("fee" in str(m) or "费" in str(m) for m in response.context["messages"])
    client.force_login(admin_user)
    response = client.post(f"/admin/exam-office/sittings/{make_up.pk}/", {"action": "fee_paid", "candidate": candidate.pk})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.fee_paid is True


def test_start_mock_without_questions_shows_a_learner_message_not_the_bank_gaps(client, asset, make_learner):
    learner = make_learner(asset)
    enrolment = Enrolment.objects.get(learner=learner)
    Question.objects.filter(program=asset, pool="practice").update(status="retired")
    client.force_login(learner)
    response = client.post(program_url(asset, "exam_plugin:start_mock"), {"enrolment": enrolment.pk})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 1
    for admin_words in ("bank", "knowledge point", "题库", "知识点", "usable"):
        assert admin_words not in texts[0]
    assert "模拟" in texts[0] or "mock" in texts[0].lower()
