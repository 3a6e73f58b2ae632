"""Who may see exam photos, how they are served, and how long they are kept.

Photos live in the private storage. They are served only by ``photo_view`` to the
candidate they show and to proctors of that sitting (chief proctors: every sitting),
never cached by shared caches, and deleted after the program's retention period.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone

from plugins.services import get_settings

from .models import FaceCheck, FaceEnrolment, ProctoredSitting, Snapshot

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


def can_view_photo(user, obj) -> bool:
    from .console import can_proctor, supervises_all

    if not user.is_authenticated:
        return False
    if isinstance(obj, FaceEnrolment):
        return obj.person_id == user.pk or supervises_all(user) or user.has_perm("proctor_plugin.invigilate")
    ps = _sitting_of(obj)
    if ps.enrolment.learner_id == user.pk:
        return True
    if ps.candidate_id is None:
        return supervises_all(user)
    return can_proctor(user, ps.candidate.sitting)


def photo_view(request, kind, pk):
    if kind not in PHOTO_KINDS:
        raise Http404
    model, field_name, _date = PHOTO_KINDS[kind]
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not getattr(obj, field_name):
        raise Http404
    if not can_view_photo(request.user, obj):
        raise PermissionDenied
    handle = getattr(obj, field_name).open("rb")
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _retention_days(ps, cache) -> int:
    program_id = ps.enrolment.program_id
    if program_id not in cache:
        cache[program_id] = int(get_settings(ps.enrolment.program, "proctor_plugin")["photo_retention_days"])
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
            if now - getattr(obj, date_field) <= timedelta(days=_retention_days(ps, cache)):
                continue
            removed += 1
            if dry_run:
                continue
            field = getattr(obj, field_name)
            field.storage.delete(field.name)
            model.objects.filter(pk=obj.pk).update(**{field_name: ""})
    return removed
