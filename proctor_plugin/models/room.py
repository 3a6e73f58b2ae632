"""Who is watched (one candidate's proctored sitting), who watches, and whose face."""

import uuid

import numpy as np
from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Exam photos never live under MEDIA_ROOT; they are streamed by permission-checked
    views only (see ``proctor_plugin.services.privacy``)."""
    return storages["private"]


def photo_path(instance, filename):
    """Unguessable names, grouped by month (purging walks old months)."""
    return f"proctor/{timezone.now():%Y%m}/{uuid.uuid4().hex}.jpg"


class FaceEnrolment(models.Model):
    """The reference face of a person: a 128-d SFace embedding (float32 bytes) taken
    from the approved registration photo or a photo an admin uploaded."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registration photo")
        ADMIN = "admin", _("Uploaded by an administrator")

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="face_enrolment")
    embedding = models.BinaryField(editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    photo = models.FileField(storage=private_storage, upload_to=photo_path, blank=True)
    face_size = models.PositiveIntegerField(_("face size (pixels)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("face enrolment")
        verbose_name_plural = _("face enrolments")

    def __str__(self):
        return f"{self.person} ({self.get_source_display()})"

    @property
    def vector(self) -> np.ndarray:
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


class ProctoredSitting(models.Model):
    """One candidate under proctoring at one exam sitting (``candidate`` set), or one
    device test (``candidate`` empty). It carries the pre-flight progress, the live
    connection state and the proctors' final decision; every event points here.
    """

    class Review(models.TextChoices):
        NONE = "", _("Not needed")
        PENDING = "pending", _("Pending manual review")
        CONFIRMED = "confirmed", _("Identity confirmed")
        REJECTED = "rejected", _("Identity rejected")

    class Decision(models.TextChoices):
        NONE = "", _("No decision yet")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Invalid (score void)")

    enrolment = models.ForeignKey("course_content.Enrolment", on_delete=models.CASCADE, related_name="+")
    candidate = models.OneToOneField(
        "exam_plugin.Candidate", on_delete=models.CASCADE, null=True, blank=True, related_name="proctoring"
    )
    # pre-flight
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    camera_ok_at = models.DateTimeField(null=True, blank=True)
    face_verified_at = models.DateTimeField(null=True, blank=True)
    face_similarity = models.FloatField(null=True, blank=True)
    face_failures = models.PositiveIntegerField(default=0)
    review = models.CharField(_("identity review"), max_length=10, choices=Review.choices, blank=True, default="")
    review_photo = models.FileField(storage=private_storage, upload_to=photo_path, blank=True)
    second_camera_paired_at = models.DateTimeField(null=True, blank=True)
    fullscreen_at = models.DateTimeField(null=True, blank=True)
    preflight_completed_at = models.DateTimeField(null=True, blank=True)
    # live state
    last_seen_at = models.DateTimeField(null=True, blank=True)
    connection_lost_at = models.DateTimeField(null=True, blank=True)
    phone_last_seen_at = models.DateTimeField(null=True, blank=True)
    phone_lost = models.BooleanField(default=False)
    # after the exam
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True, default="")
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proctored sitting")
        verbose_name_plural = _("proctored sittings")
        ordering = ["candidate__admission_number", "pk"]
        permissions = [
            ("invigilate", "Can proctor the sittings assigned to them"),
            ("supervise_all_sittings", "Can proctor every sitting and assign proctors"),
        ]

    def __str__(self):
        return f"{self.candidate or _('device test')} · {self.enrolment.learner}"

    @property
    def is_device_test(self) -> bool:
        return self.candidate_id is None

    @property
    def attempt(self):
        """The candidate's exam attempt, or None before it starts / for device tests."""
        if self.candidate_id is None:
            return None
        from exam_plugin.models import Attempt

        return Attempt.objects.filter(candidate_id=self.candidate_id).first()

    @property
    def program(self):
        return self.enrolment.program


class SittingProctor(models.Model):
    """A proctor assigned to an exam sitting: sees its console and photos."""

    sitting = models.ForeignKey("exam_plugin.ExamSitting", on_delete=models.CASCADE, related_name="+")
    proctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sitting proctor")
        verbose_name_plural = _("sitting proctors")
        constraints = [models.UniqueConstraint(fields=["sitting", "proctor"], name="proctor_unique_assignment")]

    def __str__(self):
        return f"{self.proctor} @ {self.sitting_id}"
