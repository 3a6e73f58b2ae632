"""A learner "A" who owns one object of every kind, for the URL sweep."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

A_NAME = "甲秘密"
A_PHONE = "13711112222"


def jpeg(size=(350, 490), colour=(67, 142, 219)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(energy, make_learner, grant_hours, settings, tmp_path):
    """Everything learner A owns, keyed by the URL keyword that names it."""
    from cert_plugin.models import Certificate
    from cms_site.pwa.models import PushSubscription
    from course_content.models import Enrolment
    from course_content.registration.services import registrations as registration
    from course_content.signals import exam_passed
    from exam_plugin.models import Attempt, ExamSitting
    from exam_plugin.services.attempts import start_mock_attempt
    from exam_plugin.services.sittings import admit
    from plugins.services import update_settings
    from proctor_plugin.models import SecondCameraToken, Snapshot
    from proctor_plugin.services.preflight import for_candidate

    settings.CERT_PLUGIN_KEY_DIR = str(tmp_path / "keys")
    update_settings(energy, "proctor_plugin", face_check_required=False)
    owner = make_learner(energy, real_name=A_NAME, phone=A_PHONE)
    enrolment = Enrolment.objects.get(learner=owner)
    grant_hours(enrolment, 36)

    draft = registration.start_registration(owner, energy.levels.get(code="intermediate"))
    material = registration.store_material(
        draft, "photo", SimpleUploadedFile("photo.jpg", jpeg(), content_type="image/jpeg"), "image/jpeg"
    )

    start = timezone.now() - timedelta(minutes=5)
    sitting = ExamSitting.objects.create(program=energy, starts_at=start, ends_at=start + timedelta(hours=2))
    candidate = admit(sitting, enrolment, check=False)
    attempt = Attempt.objects.create(
        enrolment=enrolment, candidate=candidate, sitting=sitting, mode=Attempt.Mode.FORMAL, seed=1,
        started_at=start, deadline=sitting.ends_at,
    )
    mock = start_mock_attempt(enrolment)
    proctored = for_candidate(candidate)
    snapshot = Snapshot.objects.create(sitting=proctored, source="webcam", taken_at=timezone.now())
    snapshot.image.save("a.jpg", ContentFile(jpeg((640, 480))))
    token = SecondCameraToken.objects.create(sitting=proctored, expires_at=timezone.now() + timedelta(minutes=10))

    exam_passed.send(
        sender=energy, enrolment=enrolment, result_id="sweep-1", score=Decimal("80"),
        passed_on=timezone.localdate() - timedelta(days=150),
    )
    certificate = Certificate.objects.get(enrolment=enrolment)
    subscription = PushSubscription.objects.create(
        user=owner, endpoint="https://push.example.invalid/sweep", p256dh="k" * 20, auth="a" * 16, language="zh-hans"
    )
    return {
        "owner": owner,
        "enrolment": enrolment,
        "registration": draft,
        "material": material,
        "sitting": sitting,
        "attempt": attempt,
        "mock": mock,
        "proctored": proctored,
        "snapshot": snapshot,
        "token": token,
        "certificate": certificate,
        "subscription": subscription,
        "secrets": [owner.document_number, A_PHONE],
    }
