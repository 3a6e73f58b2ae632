"""Exam-entry identity check: a dual-carbon candidate types 准考证号 (the admission number
or the registered phone) and 身份证件号码 before a sitting starts; energy asks nothing more."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageLogEntry

from course_content.models import Enrolment, ProgramGroupPage, ProgramPage
from exam_plugin.models import Attempt, ExamSitting
from exam_plugin.services import entry_identity
from exam_plugin.services.sittings import admit
from plugins.services import disable, get_settings
from plugins.urls import program_url

pytestmark = pytest.mark.django_db
PHONE = "13712345678"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dc_candidate(asset, make_learner, grant_hours):
    """``dc_candidate(phone)``: an eligible asset learner, candidate of a formal sitting
    that started five minutes ago (proctoring off: its pre-flight has its own tests)."""
    disable(asset, "proctor_plugin")

    def factory(phone=PHONE):
        learner = make_learner(asset, phone=phone)
        enrolment = Enrolment.objects.get(learner=learner, program=asset)
        grant_hours(enrolment, float(enrolment.level.required_hours))
        start = timezone.now() - timedelta(minutes=5)
        sitting = ExamSitting.objects.create(program=asset, kind="formal", starts_at=start,
                                             ends_at=start + timedelta(hours=2))
        return admit(sitting, enrolment)

    return factory


def _enter(client, candidate, **fields):
    url = program_url(candidate.sitting.program, "exam_plugin:enter", sitting_id=candidate.sitting_id)
    return client.post(url, fields, follow=True)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _entry_logs(program, action):
    return list(PageLogEntry.objects.filter(page=program, action=action))


def test_the_setting_follows_the_domain_defaults(site_data, energy):
    assert get_settings(energy, "exam_plugin")["entry_identity"] == "session"
    tracks = ProgramPage.objects.child_of(ProgramGroupPage.objects.get(slug="dual-carbon"))
    assert tracks.count() == 4
    for track in tracks:
        assert entry_identity.required(track), track.slug


def test_right_pair_in_login_spellings_enters_and_is_remembered(client, dc_candidate):
    candidate = dc_candidate()
    learner = candidate.enrolment.learner
    client.force_login(learner)
    spaced_id = " ".join([learner.document_number[:6], learner.document_number[6:14], learner.document_number[14:]])
    response = _enter(client, candidate, admission_number="+86 137 1234 5678", document_number=spaced_id.lower())
    attempt = Attempt.objects.get(candidate=candidate)
    assert response.redirect_chain[-1][0] == program_url(candidate.sitting.program, "exam_plugin:attempt",
                                                         attempt_id=attempt.pk)
    assert _entry_logs(candidate.sitting.program, "exam_plugin.entry_identity_verified")
    # Remembered for this candidate in this session: resuming asks nothing again.
    response = _enter(client, candidate)
    assert response.redirect_chain[-1][0] == program_url(candidate.sitting.program, "exam_plugin:attempt",
                                                         attempt_id=attempt.pk)
    # ... but a new session (another device, a re-login) must type it again.
    client.logout()
    client.force_login(learner)
    response = _enter(client, candidate)
    assert any("admission number" in m.lower() or "准考证号" in m for m in _messages(response))


def test_the_admission_number_shown_on_the_exam_home_is_accepted_too(client, dc_candidate):
    candidate = dc_candidate()
    client.force_login(candidate.enrolment.learner)
    home = client.get(program_url(candidate.sitting.program, "exam_plugin:home"))
    assert b'name="admission_number"' in home.content and b'name="document_number"' in home.content
    _enter(client, candidate, admission_number=candidate.admission_number,
           document_number=candidate.enrolment.learner.document_number)
    assert Attempt.objects.filter(candidate=candidate).exists()
    home = client.get(program_url(candidate.sitting.program, "exam_plugin:home"))
    assert b'name="document_number"' not in home.content  # verified in this session


@pytest.mark.parametrize("wrong", ["phone", "document", "empty"])
def test_a_wrong_phone_or_id_is_refused_with_a_message(client, dc_candidate, wrong):
    candidate = dc_candidate()
    learner = candidate.enrolment.learner
    client.force_login(learner)
    fields = {"admission_number": PHONE, "document_number": learner.document_number}
    if wrong == "phone":
        fields["admission_number"] = "13712345679"
    elif wrong == "document":
        fields["document_number"] = learner.document_number[:-1] + ("0" if learner.document_number[-1] != "0" else "1")
    else:
        fields["document_number"] = "   "
    response = _enter(client, candidate, **fields)
    assert response.redirect_chain[-1][0] == program_url(candidate.sitting.program, "exam_plugin:home")
    messages = _messages(response)
    assert messages and all("Traceback" not in m for m in messages)
    assert any("ID document number" in m or "身份证件号码" in m for m in messages), messages
    assert not Attempt.objects.filter(candidate=candidate).exists()
    assert entry_identity.SESSION_KEY not in client.session


def test_another_learners_pair_is_refused(client, dc_candidate):
    mine = dc_candidate(phone=PHONE)
    other = dc_candidate(phone="13800001111")
    client.force_login(mine.enrolment.learner)
    _enter(client, mine, admission_number="13800001111", document_number=other.enrolment.learner.document_number)
    _enter(client, mine, admission_number=other.admission_number,
           document_number=other.enrolment.learner.document_number)
    assert not Attempt.objects.exists()
    assert len(_entry_logs(mine.sitting.program, "exam_plugin.entry_identity_failed")) == 2


def test_repeated_mismatches_pause_entry_even_with_the_right_pair(client, dc_candidate):
    candidate = dc_candidate()
    learner = candidate.enrolment.learner
    client.force_login(learner)
    for _ in range(5):
        _enter(client, candidate, admission_number="13900000000", document_number=learner.document_number)
    response = _enter(client, candidate, admission_number=PHONE, document_number=learner.document_number)
    assert any("15" in m for m in _messages(response)), _messages(response)
    assert not Attempt.objects.filter(candidate=candidate).exists()
    cache.clear()  # the pause is over
    _enter(client, candidate, admission_number=PHONE, document_number=learner.document_number)
    assert Attempt.objects.filter(candidate=candidate).exists()


def test_energy_candidates_enter_without_the_pair(without_proctoring, candidate, logged_in, energy):
    client = logged_in(candidate.enrolment.learner)
    home = client.get(program_url(energy, "exam_plugin:home"))
    assert b'name="document_number"' not in home.content
    response = client.post(program_url(energy, "exam_plugin:enter", sitting_id=candidate.sitting_id))
    attempt = Attempt.objects.get(candidate=candidate)
    assert response["Location"] == program_url(energy, "exam_plugin:attempt", attempt_id=attempt.pk)
