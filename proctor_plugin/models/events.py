"""What happens in the exam room: every record points at a ``ProctoredSitting``."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .room import ProctoredSitting, photo_path, private_storage


class FaceCheck(models.Model):
    """One face verification try in the pre-flight (every failure is kept for review)."""

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="face_checks")
    passed = models.BooleanField(default=False)
    face_count = models.PositiveIntegerField(default=0)
    similarity = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    photo = models.FileField(storage=private_storage, upload_to=photo_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.sitting_id} face check {'passed' if self.passed else 'failed'}"


class LeaveEvent(models.Model):
    """The candidate left the exam screen (full screen, tab or window focus) at
    ``left_at`` (server time); ``outcome`` is decided by ``rules.leave_outcome``."""

    class Kind(models.TextChoices):
        FULLSCREEN = "fullscreen", _("Left full screen")
        VISIBILITY = "visibility", _("Switched tab or minimised")
        FOCUS = "focus", _("Window lost focus")

    class Outcome(models.TextChoices):
        OPEN = "", _("Away")
        COUNTED = "counted", _("Counted")
        FORCED_TIMEOUT = "forced_timeout", _("Not back in time")
        FORCED_LIMIT = "forced_limit", _("Leave limit reached")
        EXCUSED = "excused", _("During an approved break")

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="leaves")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    left_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")

    class Meta:
        ordering = ["left_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.left_at:%H:%M:%S}"


class Snapshot(models.Model):
    """A camera frame (webcam or the phone), analysed on the server."""

    class Source(models.TextChoices):
        WEBCAM = "webcam", _("Computer camera")
        PHONE = "phone", _("Second camera")

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="snapshots")
    source = models.CharField(max_length=8, choices=Source.choices)
    image = models.FileField(storage=private_storage, upload_to=photo_path, blank=True)
    taken_at = models.DateTimeField()
    face_count = models.PositiveIntegerField(null=True, blank=True)
    similarity = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["sitting", "source", "-taken_at"])]

    def __str__(self):
        return f"{self.get_source_display()} {self.taken_at:%H:%M:%S}"


class Incident(models.Model):
    """Something a proctor should look at; shown on the timeline with its photo."""

    class Kind(models.TextChoices):
        ABSENT = "absent", _("No face in view")
        MULTIPLE_PERSONS = "multiple_persons", _("Two or more people in view")
        IDENTITY = "identity", _("Face does not match the candidate")
        SECOND_CAMERA_LOST = "second_camera_lost", _("Second camera feed lost")
        FACE_CHECK_FAILED = "face_check_failed", _("Face check failed")
        MANUAL_REVIEW = "manual_review", _("Continued with a photo, pending manual review")
        LEAVE = "leave", _("Left the exam screen")
        FORCED_HAND_IN = "forced_hand_in", _("Forced hand-in")
        CONNECTION_LOST = "connection_lost", _("Connection lost")
        DISQUALIFIED = "disqualified", _("Disqualified after warnings")

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    snapshot = models.ForeignKey(Snapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return str(self.get_kind_display())


class Warning(models.Model):  # noqa: A001 - the domain word (警告)
    """A warning shown on the candidate's screen; ``by`` empty = issued automatically."""

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="warnings")
    message = models.CharField(_("message"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.message


class BreakRequest(models.Model):
    """A toilet break: asked by the candidate, approved by a proctor; the clock runs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("On break")
        DENIED = "denied", _("Denied")
        RETURNED = "returned", _("Back in time")
        OVERDUE = "overdue", _("Not back in time")

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="breaks")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self):
        return str(self.get_status_display())


def _token():
    return secrets.token_urlsafe(24)


class SecondCameraToken(models.Model):
    """Binds a phone to one proctored sitting. Pairing must happen before
    ``expires_at`` (short-lived); the paired phone keeps uploading with it until the
    sitting ends."""

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="camera_tokens")
    token = models.CharField(max_length=64, unique=True, default=_token)
    expires_at = models.DateTimeField()
    paired_at = models.DateTimeField(null=True, blank=True)
    device_key = models.CharField(max_length=64, blank=True, help_text="Secret given to the paired phone only.")
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"second camera of {self.sitting_id}"


class ProctorAction(models.Model):
    """Audit log of everything proctors (and the rules engine) did to a sitting."""

    sitting = models.ForeignKey(ProctoredSitting, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=40)
    reason = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.action
