"""Face enrolment, registration hooks and the pre-flight sequence on the database."""

import pytest
from PIL import Image

from proctor_plugin.models import FaceCheck, FaceEnrolment, Incident, ProctoredSitting
from proctor_plugin.services import preflight
from proctor_plugin.services.face_enrolment import PhotoRefused, enrol_face

pytestmark = pytest.mark.django_db


def test_stored_program_settings(energy, asset):
    from plugins.services import get_settings

    e, c = get_settings(energy, "proctor_plugin"), get_settings(asset, "proctor_plugin")
    assert (e["leave_limit"], e["leave_return_seconds"], e["second_camera_required"]) == (10, 10, False)
    assert (c["leave_limit"], c["leave_return_seconds"], c["second_camera_required"]) == (3, 20, True)
    assert (c["break_minutes"], c["reconnect_minutes"], c["warnings_to_disqualify"]) == (5, 5, 3)


def test_enrolment_needs_exactly_one_large_face(make_learner, astronaut, blank, side_by_side):
    user = make_learner()
    with pytest.raises(PhotoRefused, match="No face"):
        enrol_face(user, blank, origin="admin")
    with pytest.raises(PhotoRefused, match="2"):
        enrol_face(user, side_by_side, origin="admin")
    tiny = Image.fromarray(astronaut).resize((96, 96))
    with pytest.raises(PhotoRefused, match="too small"):
        enrol_face(user, tiny, origin="admin")
    with pytest.raises(PhotoRefused):
        enrol_face(user, b"\x89PNG broken", origin="admin")
    assert not FaceEnrolment.objects.filter(person=user).exists()
    enrolment = enrol_face(user, astronaut, origin="admin")
    assert enrolment.vector.shape == (128,)
    assert enrolment.photo.storage.exists(enrolment.photo.name)


def test_registration_photo_check_and_enrolment_on_approval(energy, make_learner, hopper, blank, tmp_path):
    from course_content.registration.signals import registration_approved, registration_photo_checks

    level = energy.levels.first() if hasattr(energy, "levels") else None
    answers = registration_photo_checks.send_robust(sender=energy, image=Image.fromarray(blank), level=level)
    assert any(errors for _r, errors in answers if isinstance(errors, list))
    answers = registration_photo_checks.send_robust(sender=energy, image=Image.fromarray(hopper), level=level)
    assert all(errors == [] for _r, errors in answers if isinstance(errors, list))

    user = make_learner(energy)
    photo = tmp_path / "id.jpg"
    Image.fromarray(hopper).save(photo)
    enrolment = user.enrolments.get()
    registration_approved.send_robust(sender=energy, registration=None, enrolment=enrolment, photo_path=str(photo))
    assert FaceEnrolment.objects.get(person=user).source == FaceEnrolment.Source.REGISTRATION


def test_entry_check_routes_through_preflight_in_order(energy, exam_room, astronaut, rf):
    from exam_plugin.signals import attempt_entry_checks

    ps = exam_room(energy, started=False)
    request = rf.get("/")
    answers = [a for _r, a in attempt_entry_checks.send_robust(sender=energy, request=request, candidate=ps.candidate, attempt=None) if a]
    assert "preflight" in answers[0]["url"]

    with pytest.raises(preflight.PreflightError):
        preflight.verify_face(ps, astronaut)  # camera first
    preflight.camera_ready(ps)
    result = preflight.verify_face(ps, astronaut)
    assert result["passed"] and result["similarity"] > 0.9
    ps.refresh_from_db()
    assert preflight.next_step(ps) == "fullscreen"
    preflight.enter_fullscreen(ps)
    answers = [a for _r, a in attempt_entry_checks.send_robust(sender=energy, request=request, candidate=ps.candidate, attempt=None) if a]
    assert answers == []


def test_dual_carbon_sequence_has_rules_and_second_camera(asset, exam_room):
    ps = exam_room(asset, started=False)
    assert preflight.status(ps)["steps"] == ["rules", "camera", "face", "second_camera", "fullscreen"]
    assert preflight.next_step(ps) == "rules"
    with pytest.raises(preflight.PreflightError):
        preflight.camera_ready(ps)
    preflight.accept_rules(ps)
    assert preflight.next_step(ps) == "camera"


def test_wrong_face_fails_is_logged_and_reaches_photo_fallback(energy, exam_room, hopper, cameraman, blank):
    ps = exam_room(energy, started=False)
    preflight.camera_ready(ps)
    with pytest.raises(preflight.PreflightError):
        preflight.continue_with_photo(ps, hopper)  # not before the failures
    results = [preflight.verify_face(ps, img) for img in (hopper, blank, cameraman)]
    assert [r["passed"] for r in results] == [False, False, False]
    assert [r["fallback"] for r in results] == [False, False, True]
    assert FaceCheck.objects.filter(sitting=ps, passed=False).count() == 3
    assert ps.incidents.filter(kind=Incident.Kind.FACE_CHECK_FAILED).count() == 3
    ps.refresh_from_db()
    with pytest.raises(preflight.PreflightError):
        preflight.continue_with_photo(ps, blank)  # the photo must show a face
    preflight.continue_with_photo(ps, hopper)
    ps.refresh_from_db()
    assert ps.review == ProctoredSitting.Review.PENDING
    assert preflight.next_step(ps) == "fullscreen"
    assert ps.incidents.filter(kind=Incident.Kind.MANUAL_REVIEW).exists()


def test_no_reference_face_goes_to_the_photo_upload_at_once(energy, exam_room, astronaut, hopper):
    """Issue 12, item 6: no retry loop. Nothing is compared, stored or counted; the
    upload is open at once, and the proctors get a review incident that says why."""
    ps = exam_room(energy, enrol=False, started=False)
    preflight.camera_ready(ps)
    assert preflight.status(ps)["no_reference"] and preflight.status(ps)["fallback"]
    for _try in range(4):
        result = preflight.verify_face(ps, astronaut)
        assert not result["passed"] and result["fallback"] and "reference photo" in result["message"]
        assert result["failures"] == 0
    ps.refresh_from_db()
    assert ps.face_failures == 0
    assert not FaceCheck.objects.filter(sitting=ps).exists()
    assert not ps.incidents.filter(kind=Incident.Kind.FACE_CHECK_FAILED).exists()
    preflight.continue_with_photo(ps, hopper)
    ps.refresh_from_db()
    assert ps.review == ProctoredSitting.Review.PENDING and ps.review_photo
    assert preflight.next_step(ps) == "fullscreen"
    review = ps.incidents.get(kind=Incident.Kind.MANUAL_REVIEW)
    assert "No reference face" in review.detail
    assert ps.actions.get(action="photo_fallback").data == {"failures": 0, "no_reference": True}


def test_an_unusable_reference_counts_as_none(energy, exam_room, astronaut):
    ps = exam_room(energy, started=False)
    FaceEnrolment.objects.filter(person=ps.enrolment.learner).update(embedding=b"")
    preflight.camera_ready(ps)
    assert preflight.verify_face(ps, astronaut)["fallback"]
    ps.refresh_from_db()
    assert ps.face_failures == 0


def test_with_a_reference_the_fallback_still_waits_for_the_failures(energy, exam_room, hopper):
    ps = exam_room(energy, started=False)
    preflight.camera_ready(ps)
    assert not preflight.status(ps)["no_reference"] and not preflight.status(ps)["fallback"]
    with pytest.raises(preflight.PreflightError):
        preflight.continue_with_photo(ps, hopper)


def test_the_preflight_api_answers_the_no_reference_state(energy, exam_room, astronaut, client):
    import base64

    from plugins.urls import program_url

    from .conftest import jpeg_bytes

    ps = exam_room(energy, enrol=False, started=False)
    preflight.camera_ready(ps)
    client.force_login(ps.enrolment.learner)
    page = client.get(program_url(energy, "proctor_plugin:preflight", sitting_id=ps.pk)).content.decode()
    assert 'id="proctor-no-reference"' in page and 'id="proctor-face-verify"' not in page
    url = program_url(energy, "proctor_plugin:proctor_api:verify_face", sitting_id=ps.pk)
    answer = client.post(url, {"image": base64.b64encode(jpeg_bytes(astronaut)).decode()}, content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["no_reference"] and body["fallback"] and body["failures"] == 0 and body["next"] == "face"
