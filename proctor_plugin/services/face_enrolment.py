"""Enrolling a person's reference face and checking photos for it."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FaceEnrolment
from .face import FaceAnalysis, InvalidImage, analyse_image, load_rgb


class PhotoRefused(ValueError):
    """The photo cannot serve as a reference face; ``str(err)`` is translated."""


def min_face_pixels() -> int:
    return int(getattr(settings, "PROCTOR_MIN_FACE_PIXELS", 80))


def photo_problems(analysis: FaceAnalysis) -> list[str]:
    """Why a photo cannot be a reference face (empty when it can)."""
    if analysis.face_count == 0:
        return [_("No face was found in the photo. Use a clear, front-facing photo.")]
    if analysis.face_count > 1:
        return [_("The photo shows %(count)d faces; it must show only you.") % {"count": analysis.face_count}]
    if analysis.largest.size < min_face_pixels():
        return [
            _("The face in the photo is too small (%(size)d pixels, at least %(min)d needed).")
            % {"size": round(analysis.largest.size), "min": min_face_pixels()}
        ]
    return []


def check_photo(source) -> list[str]:
    """Problems of ``source`` (any image input ``load_rgb`` accepts), translated."""
    try:
        return photo_problems(analyse_image(source, embed=False))
    except InvalidImage as err:
        return [str(err)]


def jpeg(rgb) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


@transaction.atomic
def enrol_face(person, source, *, origin: str, by=None) -> FaceEnrolment:
    """Store ``person``'s reference face from ``source``; replaces an older one.

    Raises ``PhotoRefused`` with the reason when the photo does not show exactly one
    large-enough face.
    """
    try:
        rgb = load_rgb(source)
    except InvalidImage as err:
        raise PhotoRefused(str(err)) from err
    analysis = analyse_image(rgb)
    problems = photo_problems(analysis)
    if problems:
        raise PhotoRefused(problems[0])
    enrolment = FaceEnrolment.objects.filter(person=person).first() or FaceEnrolment(person=person)
    old_photo = enrolment.photo.name if enrolment.pk and enrolment.photo else ""
    enrolment.embedding = analysis.embedding.astype("float32").tobytes()
    enrolment.source = origin
    enrolment.face_size = round(analysis.largest.size)
    enrolment.created_by = by
    enrolment.photo.save("face.jpg", ContentFile(jpeg(rgb)), save=False)
    enrolment.save()
    if old_photo:
        enrolment.photo.storage.delete(old_photo)
    return enrolment


def reference_embedding(person):
    enrolment = FaceEnrolment.objects.filter(person=person).first()
    return enrolment.vector if enrolment else None
