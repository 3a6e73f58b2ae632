"""Submission, the review queue (deadline, overdue), approval and rejection."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from course_content.models import Enrolment, WorkingDayOverride
from course_content.registration.models import Registration
from course_content.registration.services import registrations
from course_content.registration.signals import registration_approved, registration_reviewed

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def received():
    calls = []

    def on_approved(sender, registration, enrolment, photo_path, **kwargs):
        calls.append(("approved", registration.pk, enrolment.pk, photo_path))

    def on_reviewed(sender, registration, approved, reason, **kwargs):
        calls.append(("reviewed", registration.pk, approved, reason))

    registration_approved.connect(on_approved, dispatch_uid="test_on_approved")
    registration_reviewed.connect(on_reviewed, dispatch_uid="test_on_reviewed")
    yield calls
    registration_approved.disconnect(dispatch_uid="test_on_approved")
    registration_reviewed.disconnect(dispatch_uid="test_on_reviewed")


def test_submit_needs_materials_and_eligibility(draft):
    with pytest.raises(ValidationError) as err:
        registrations.submit(draft)
    text = " ".join(err.value.messages)
    assert "ID card, front" in text or "身份证" in text
    draft.education = "high_school"
    draft.save()
    with pytest.raises(ValidationError):
        registrations.submit(draft)


def test_review_deadline_is_one_working_day_after(submitted):
    assert submitted.status == Registration.Status.SUBMITTED
    assert submitted.eligibility_rule == "本科学历，从事相关工作满1年"
    from django.utils import timezone

    from course_content.services.calendar import add_working_days

    assert submitted.review_deadline == add_working_days(timezone.localdate(submitted.submitted_at), 1)


@pytest.mark.django_db
def test_deadline_skips_national_day():
    # Submitted on Wed 30 Sep 2026: 1-7 Oct are holidays (4 Oct a Sunday) → Thu 8 Oct.
    assert registrations.review_deadline_for(datetime(2026, 9, 30, 15, tzinfo=SHANGHAI)) == date(2026, 10, 8)
    # Friday evening → Monday; the make-up working Saturday 10 Oct counts.
    assert registrations.review_deadline_for(datetime(2026, 10, 9, 20, tzinfo=SHANGHAI)) == date(2026, 10, 10)


@pytest.mark.django_db
def test_deadline_respects_an_override():
    WorkingDayOverride.objects.create(date=date(2026, 10, 8), is_working_day=False, note="test")
    assert registrations.review_deadline_for(datetime(2026, 9, 30, 15, tzinfo=SHANGHAI)) == date(2026, 10, 9)


def test_queue_shows_deadline_and_highlights_overdue(client, submitted, reviewer):
    Registration.objects.filter(pk=submitted.pk).update(review_deadline=date(2026, 1, 5))
    client.force_login(reviewer)
    html = client.get(reverse("registration_admin:queue")).content.decode()
    assert f'data-registration="{submitted.pk}" class="overdue"' in html
    assert "2026-01-05" in html
    Registration.objects.filter(pk=submitted.pk).update(review_deadline=date(2999, 1, 1))
    html = client.get(reverse("registration_admin:queue")).content.decode()
    assert f'data-registration="{submitted.pk}" class=""' in html
    assert 'id="overdue-count"' not in html


def test_approve_enrols_and_signals(client, submitted, reviewer, candidate, received):
    client.force_login(reviewer)
    response = client.post(reverse("registration_admin:review", args=[submitted.pk]), {"decision": "approve"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    enrolment = Enrolment.objects.get(learner=candidate, level=submitted.level)
    assert enrolment.source == Enrolment.Source.REGISTRATION
    assert submitted.status == "approved" and submitted.enrolment == enrolment and submitted.reviewed_by == reviewer
    photo_path = submitted.materials.get(kind="photo").file.path
    assert received == [("approved", submitted.pk, enrolment.pk, photo_path), ("reviewed", submitted.pk, True, "")]
    client.force_login(candidate)
    assert submitted.level.name in client.get(reverse("dashboard")).content.decode()


def test_reject_with_reason_then_fix_and_resubmit(client, submitted, reviewer, candidate, received):
    client.force_login(reviewer)
    url = reverse("registration_admin:review", args=[submitted.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    client.post(url, {"decision": "reject", "reason": "照片背景不是蓝色"})
    submitted.refresh_from_db()
    assert submitted.status == "rejected"
    assert received == [("reviewed", submitted.pk, False, "照片背景不是蓝色")]
    client.force_login(candidate)
    page = client.get(reverse("registration:detail", args=[submitted.pk])).content.decode()
    assert "照片背景不是蓝色" in page and 'value="王小明"' in page
    # Fix nothing but submit again: every entry and file is still there.
    detail = reverse("registration:detail", args=[submitted.pk])
    data = {"real_name": "王小明", "phone": "13912345678", "education": "bachelor", "work_years": "1",
            "other_certificate_years": "0", "action": "submit"}
    assert client.post(detail, data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.materials.count() == 5


def test_approval_creates_the_account_for_an_organisation_candidate(submitted, reviewer):
    from django.contrib.auth import get_user_model

    from tests.helpers import mainland_id

    number = mainland_id(777)
    Registration.objects.filter(pk=submitted.pk).update(candidate=None, document_number=number, phone="13700000001")
    submitted.refresh_from_db()
    enrolment = registrations.approve(submitted, reviewer)
    user = get_user_model().objects.get(document_number=number)
    assert enrolment.learner == user and user.must_change_password
    assert user.check_password(number[-4:])  # energy: last four characters


def test_only_submitted_can_be_reviewed(draft, reviewer):
    with pytest.raises(ValidationError):
        registrations.approve(draft, reviewer)
    with pytest.raises(ValidationError):
        registrations.reject(draft, reviewer, "x")


def test_ineligible_candidate_cannot_submit_and_is_told_the_lower_level(client, candidate, energy):
    from course_content.registration.models import Material

    from .conftest import complete_materials

    senior = energy.levels.get(code="senior")
    client.force_login(candidate)
    response = client.get(reverse("registration:start", args=[senior.pk]))
    registration = Registration.objects.get(candidate=candidate, level=senior)
    assert response.url == reverse("registration:detail", args=[registration.pk])
    data = {"real_name": "王小明", "phone": "13912345678", "education": "bachelor", "work_years": "1",
            "other_certificate_years": "0", "action": "submit", **complete_materials()}
    response = client.post(response.url, data)
    registration.refresh_from_db()
    assert registration.status == "draft"
    assert registration.materials.filter(kind=Material.Kind.PHOTO).exists()
    html = client.get(reverse("registration:detail", args=[registration.pk])).content.decode()
    intermediate = energy.levels.get(code="intermediate")
    assert 'data-eligible="no"' in html
    assert f'href="{reverse("registration:start", args=[intermediate.pk])}"' in html
    with pytest.raises(ValidationError):
        registrations.submit(registration)


def test_live_eligibility_preview_saves_nothing(client, candidate, draft):
    client.force_login(candidate)
    url = reverse("registration:eligibility", args=[draft.pk])
    html = client.post(url, {"education": "bachelor", "work_years": "0", "other_certificate_years": "0"}).content.decode()
    assert 'data-eligible="no"' in html
    html = client.post(url, {"education": "postgraduate", "work_years": "0", "other_certificate_years": "0"}).content.decode()
    assert 'data-eligible="yes"' in html and "研究生学历" in html
    draft.refresh_from_db()
    assert draft.education == "bachelor" and draft.work_years == 1


def test_program_page_links_to_registration(client, energy):
    html = client.get(energy.url).content.decode()
    for level in energy.levels.all():
        assert f'href="{reverse("registration:start", args=[level.pk])}"' in html


def test_printable_application_form(client, submitted, candidate):
    client.force_login(candidate)
    html = client.get(reverse("registration:print", args=[submitted.pk])).content.decode()
    assert "报名审核表" in html and submitted.document_number in html and "王小明" in html
    assert "本科学历，从事相关工作满1年" in html
    photo = submitted.materials.get(kind="photo")
    assert f'src="{reverse("registration:material", args=[photo.pk])}"' in html
