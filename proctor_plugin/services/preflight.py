"""The pre-flight before an exam (and the device test), as server-side state.

The browser walks one sequence (``rules.preflight_steps``): accept the rules → camera
→ face verification → second-camera pairing → full screen. Each step is recorded
here; the browser cannot skip one because ``next_step`` is what the entry check and
the pre-flight page both read.
"""

from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.services import get_settings

from ..models import FaceCheck, Incident, ProctoredSitting, SecondCameraToken
from . import audit, rules
from .face import InvalidImage, analyse_image, cosine_similarity, load_rgb
from .face_enrolment import jpeg, reference_embedding

STEP_FIELDS = {
    "rules": "rules_accepted_at",
    "camera": "camera_ok_at",
    "face": "face_verified_at",
    "second_camera": "second_camera_paired_at",
    "fullscreen": "fullscreen_at",
}


class PreflightError(ValueError):
    """A refused pre-flight step; ``str(err)`` is translated for the candidate."""


def proctor_settings(sitting: ProctoredSitting) -> dict:
    return get_settings(sitting.program, "proctor_plugin")


def for_candidate(candidate) -> ProctoredSitting:
    """The candidate's proctoring record (created on first use; two tabs may race)."""
    try:
        with transaction.atomic():
            ps, _created = ProctoredSitting.objects.get_or_create(
                candidate=candidate, defaults={"enrolment_id": candidate.enrolment_id}
            )
    except IntegrityError:
        ps = ProctoredSitting.objects.get(candidate=candidate)
    return ps


def device_test_for(enrolment) -> ProctoredSitting:
    """The learner's current device test (a fresh one when the last was finished)."""
    ps = (
        ProctoredSitting.objects.filter(enrolment=enrolment, candidate__isnull=True, preflight_completed_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    return ps or ProctoredSitting.objects.create(enrolment=enrolment)


def next_step(ps: ProctoredSitting, settings_: dict | None = None) -> str | None:
    """The first pre-flight step not done yet, or None when the candidate may enter."""
    settings_ = settings_ or proctor_settings(ps)
    for step in rules.preflight_steps(settings_):
        if step == "face" and ps.review == ProctoredSitting.Review.PENDING:
            continue  # continued with a photo: the proctors review it later
        if getattr(ps, STEP_FIELDS[step]) is None:
            return step
    return None


def _require_step(ps, step, settings_):
    current = next_step(ps, settings_)
    if current is None:
        raise PreflightError(_("The pre-flight check is already complete."))
    steps = rules.preflight_steps(settings_)
    if step not in steps or steps.index(step) > steps.index(current):
        raise PreflightError(_("Complete the earlier steps first."))


def _mark(ps, step, now=None):
    setattr(ps, STEP_FIELDS[step], now or timezone.now())
    ps.save(update_fields=[STEP_FIELDS[step]])


def accept_rules(ps):
    settings_ = proctor_settings(ps)
    _require_step(ps, "rules", settings_)
    _mark(ps, "rules")
    audit.record(ps, "rules_accepted")


def camera_ready(ps):
    settings_ = proctor_settings(ps)
    _require_step(ps, "camera", settings_)
    _mark(ps, "camera")


def _usable_reference(person):
    """The person's reference embedding, or None when there is none that can be compared
    (never enrolled, or an enrolment without a valid embedding)."""
    reference = reference_embedding(person)
    if reference is None or reference.size == 0 or not np.all(np.isfinite(reference)) or not reference.any():
        return None
    return reference


def has_reference(ps) -> bool:
    return _usable_reference(ps.enrolment.learner) is not None


def fallback_open(ps, settings_: dict | None = None) -> bool:
    """May the candidate continue with an uploaded photo? At once when there is no
    usable reference face (no camera check can ever pass: the handbook's fallback, 多次人脸
    识别不过，请拍照上传照片), otherwise after the program's number of failed checks."""
    settings_ = settings_ or proctor_settings(ps)
    return not has_reference(ps) or rules.photo_fallback_allowed(settings_, ps.face_failures)


def verify_face(ps, source, now=None) -> dict:
    """Compare a camera frame with the candidate's enrolled face.

    Returns ``{"passed", "similarity", "message", "failures", "fallback"}``; every
    try is stored as a ``FaceCheck`` (with the frame), failures also as incidents.
    ``fallback`` is True once the program's number of failures is reached: the
    candidate may then upload a photo and continue under manual review.

    Without a usable reference face nothing is compared, stored or counted: the answer
    sends the candidate to the photo upload at once (``fallback`` True).
    """
    settings_ = proctor_settings(ps)
    _require_step(ps, "face", settings_)
    if not has_reference(ps):
        return {
            "passed": False, "similarity": None, "failures": ps.face_failures, "fallback": True,
            "message": _("No reference photo of your face is on file, so the camera check cannot be made. "
                         "Upload a clear photo of your face instead; a proctor will review it."),
        }
    try:
        rgb = load_rgb(source)
    except InvalidImage as err:
        raise PreflightError(str(err)) from err
    reference = _usable_reference(ps.enrolment.learner)
    analysis = analyse_image(rgb)
    similarity = None
    if analysis.face_count == 0:
        message = _("No face was found. Look straight at the camera in good light.")
    elif analysis.face_count > 1:
        message = _("More than one face is in view. Only you may be in front of the camera.")
    else:
        similarity = cosine_similarity(reference, analysis.embedding)
        message = "" if rules.face_matches(settings_, similarity) else _("Your face does not match the registered photo.")
    passed = not message
    with transaction.atomic():
        check = FaceCheck(sitting=ps, passed=passed, face_count=analysis.face_count, similarity=similarity, reason=message)
        check.photo.save("check.jpg", ContentFile(jpeg(rgb)), save=False)
        check.save()
        ps.face_similarity = similarity
        if passed:
            ps.face_verified_at = now or timezone.now()
        else:
            ps.face_failures += 1
            audit.incident(ps, Incident.Kind.FACE_CHECK_FAILED, detail=message)
        ps.save(update_fields=["face_similarity", "face_verified_at", "face_failures"])
    return {
        "passed": passed,
        "similarity": None if similarity is None else round(similarity, 3),
        "message": message,
        "failures": ps.face_failures,
        "fallback": not passed and rules.photo_fallback_allowed(settings_, ps.face_failures),
    }


def continue_with_photo(ps, source) -> None:
    """After repeated failures, or at once without a usable reference face: keep the
    uploaded photo and continue, flagged for a proctor's review (an incident)."""
    settings_ = proctor_settings(ps)
    _require_step(ps, "face", settings_)
    if not fallback_open(ps, settings_):
        raise PreflightError(_("Please try the camera check again first."))
    try:
        rgb = load_rgb(source)
    except InvalidImage as err:
        raise PreflightError(str(err)) from err
    analysis = analyse_image(rgb, embed=False)
    if analysis.face_count != 1:
        raise PreflightError(_("The photo must show your face, and only yours."))
    with transaction.atomic():
        ps.review = ProctoredSitting.Review.PENDING
        ps.review_photo.save("review.jpg", ContentFile(jpeg(rgb)), save=False)
        ps.save(update_fields=["review", "review_photo"])
        no_reference = not has_reference(ps)
        detail = (
            _("No reference face on file: continued with an uploaded photo.") if no_reference
            else _("Continued after %(n)d failed face checks.") % {"n": ps.face_failures}
        )
        audit.incident(ps, Incident.Kind.MANUAL_REVIEW, detail=detail)
        audit.record(ps, "photo_fallback", failures=ps.face_failures, no_reference=no_reference)


def pairing_minutes() -> int:
    return int(getattr(settings, "PROCTOR_PAIRING_MINUTES", 10))


def issue_camera_token(ps, now=None) -> SecondCameraToken:
    """A fresh short-lived pairing token (older unpaired ones are revoked)."""
    now = now or timezone.now()
    ps.camera_tokens.filter(paired_at__isnull=True, revoked=False).update(revoked=True)
    return SecondCameraToken.objects.create(sitting=ps, expires_at=now + timedelta(minutes=pairing_minutes()))


def enter_fullscreen(ps) -> None:
    settings_ = proctor_settings(ps)
    _require_step(ps, "fullscreen", settings_)
    now = timezone.now()
    ps.fullscreen_at = now
    ps.preflight_completed_at = now
    ps.save(update_fields=["fullscreen_at", "preflight_completed_at"])
    audit.record(ps, "preflight_completed", review=ps.review)


def status(ps) -> dict:
    settings_ = proctor_settings(ps)
    return {
        "steps": rules.preflight_steps(settings_),
        "next": next_step(ps, settings_),
        "failures": ps.face_failures,
        "fallback": fallback_open(ps, settings_),
        "no_reference": not has_reference(ps),
        "review": ps.review,
        "paired": ps.second_camera_paired_at is not None,
    }
