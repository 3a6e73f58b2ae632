"""Who may see face images, how they are served, and how long they are kept.

Face images (reference photos, face-check frames, photos uploaded for review and
snapshots) live in the private storage and are served only by ``photo_view``, which
answers every one of them the same way:

- the exam office (``access.supervises_all``: superusers and holders of
  ``supervise_all_sittings``, i.e. program admins / chief proctors) may see all;
- a proctor may see the images of a candidate of a sitting assigned to them: for a
  reference photo, any sitting the person is a candidate of; for the other images, the
  sitting they were taken at (device-test images: the exam office only);
- the person shown may see their own images (their right of access to their personal
  information); nobody else, and never anonymously.

Every request for an existing face image, granted or refused, writes one
``FaceImageAccess`` row (who, whose, which image, when, from which address). Images
are never cached by shared caches and are deleted after the program's retention period.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone

from cms_site.services.client_address import client_ip
from plugins.services import get_settings

from ..models import (
    FaceCheck,
    FaceEnrolment,
    FaceImageAccess,
    ProctoredSitting,
    SittingProctor,
    Snapshot,
)
from .access import can_proctor, supervises_all
from .rules import photo_expired

PHOTO_KINDS = {
    "snapshot": (Snapshot, "image", "taken_at"),
    "facecheck": (FaceCheck, "photo", "created_at"),
    "review": (ProctoredSitting, "review_photo", "created_at"),
    "enrolment": (FaceEnrolment, "photo", "updated_at"),
}
_KIND_OF = {Snapshot: "snapshot", FaceCheck: "facecheck", ProctoredSitting: "review", FaceEnrolment: "enrolment"}


def photo_url(obj) -> str | None:
    kind = _KIND_OF[type(obj)]
    field = getattr(obj, PHOTO_KINDS[kind][1])
    if not field:
        return None
    return reverse("proctor_plugin_global:photo", kwargs={"kind": kind, "pk": obj.pk})


def _sitting_of(obj) -> ProctoredSitting | None:
    if isinstance(obj, ProctoredSitting):
        return obj
    return getattr(obj, "sitting", None)


def subject_of(obj):
    """The person a face image shows."""
    if isinstance(obj, FaceEnrolment):
        return obj.person
    return _sitting_of(obj).enrolment.learner


def proctors_a_sitting_of(user, person) -> bool:
    """``user`` proctors (is assigned to) an exam sitting ``person`` is a candidate of."""
    from exam_plugin.models import Candidate

    if not user.has_perm("proctor_plugin.invigilate"):
        return False
    sittings = Candidate.objects.filter(enrolment__learner=person).values("sitting_id")
    return SittingProctor.objects.filter(proctor=user, sitting_id__in=sittings).exists()


def can_view_photo(user, obj) -> bool:
    """The rule of the module docstring, for one face image ``obj``."""
    if not user.is_authenticated or not user.is_active:
        return False
    if supervises_all(user) or subject_of(obj).pk == user.pk:
        return True
    if isinstance(obj, FaceEnrolment):
        return proctors_a_sitting_of(user, obj.person)
    ps = _sitting_of(obj)
    return ps.candidate_id is not None and can_proctor(user, ps.candidate.sitting)


def log_access(request, kind: str, obj, granted: bool) -> FaceImageAccess:
    user = request.user if request.user.is_authenticated else None
    subject = subject_of(obj)
    return FaceImageAccess.objects.create(
        viewer=user, viewer_name=user.get_username() if user else "",
        subject=subject, subject_name=subject.get_username(),
        kind=kind, image_id=obj.pk, granted=granted,
        address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def serves_face_images(*kinds):
    """Mark a view as serving face images of ``kinds`` (the access-log property test
    enumerates the URL conf for marked views)."""

    def mark(view):
        view.face_image_kinds = tuple(kinds)
        return view

    return mark


@serves_face_images(*PHOTO_KINDS)
def photo_view(request, kind, pk):
    if kind not in PHOTO_KINDS:
        raise Http404
    model, field_name, _date = PHOTO_KINDS[kind]
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not getattr(obj, field_name):
        raise Http404
    granted = can_view_photo(request.user, obj)
    log_access(request, kind, obj, granted)
    if not granted:
        raise PermissionDenied
    handle = getattr(obj, field_name).open("rb")
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _program_rules(ps, cache) -> dict:
    program_id = ps.enrolment.program_id
    if program_id not in cache:
        cache[program_id] = get_settings(ps.enrolment.program, "proctor_plugin")
    return cache[program_id]


def purge_expired_photos(now=None, dry_run: bool = False) -> int:
    """Delete photos older than their program's retention period; the records (times,
    face counts, similarity) stay for the timeline. Returns how many files went."""
    now = now or timezone.now()
    cache: dict = {}
    removed = 0
    for kind in ("snapshot", "facecheck", "review"):
        model, field_name, date_field = PHOTO_KINDS[kind]
        oldest_allowed = now - timedelta(days=1)
        rows = model.objects.exclude(**{field_name: ""}).filter(**{f"{date_field}__lt": oldest_allowed})
        for obj in rows.iterator():
            ps = _sitting_of(obj)
            if not photo_expired(_program_rules(ps, cache), taken_at=getattr(obj, date_field), now=now):
                continue
            removed += 1
            if dry_run:
                continue
            field = getattr(obj, field_name)
            field.storage.delete(field.name)
            model.objects.filter(pk=obj.pk).update(**{field_name: ""})
    return removed
