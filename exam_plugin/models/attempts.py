"""Attempts (one drawn paper taken by one learner) and their answers."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _anonymous_code():
    return secrets.token_hex(4).upper()


class Attempt(models.Model):
    """One paper drawn for one learner. Formal and make-up attempts belong to a
    ``candidate`` of a sitting (one per candidate); mock attempts have none.

    The server owns time: ``deadline`` = sitting end (or start + mock length) plus
    compensation; saves after it are refused and ``auto_hand_in_due`` hands it in.
    ``anonymous_code`` is what graders see instead of the learner.
    """

    class Mode(models.TextChoices):
        FORMAL = "formal", _("Formal exam")
        MOCK = "mock", _("Mock test")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Handed in, being marked")
        GRADED = "graded", _("Marked")
        RELEASED = "released", _("Result released")

    enrolment = models.ForeignKey("course_content.Enrolment", on_delete=models.CASCADE, related_name="+")
    candidate = models.OneToOneField(
        "exam_plugin.Candidate", on_delete=models.CASCADE, null=True, blank=True, related_name="attempt"
    )
    sitting = models.ForeignKey(
        "exam_plugin.ExamSitting", on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    scored = models.BooleanField(_("scored"), default=True)
    seed = models.BigIntegerField(_("paper seed"))
    anonymous_code = models.CharField(max_length=12, default=_anonymous_code, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    compensation_minutes = models.PositiveIntegerField(_("time compensation (minutes)"), default=0)
    submitted_at = models.DateTimeField(_("handed in at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    hand_in_reason = models.CharField(_("hand-in reason"), max_length=200, blank=True)
    forced = models.BooleanField(_("forced hand-in"), default=False)
    handed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invalidated = models.BooleanField(_("invalidated"), default=False)
    invalid_reason = models.CharField(_("reason for invalidation"), max_length=300, blank=True)
    invalidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invalidated_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    max_score = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    # Any request of the exam page (clock poll, save, paper, proctoring heartbeat):
    # where an offline spell starts (exam_plugin.services.offline.last_contact).
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["enrolment", "mode"])]

    def __str__(self):
        return f"{self.get_mode_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def result_id(self) -> str:
        """The opaque reference sent with ``exam_passed`` / ``exam_result_invalidated``."""
        return f"exam-attempt-{self.pk}"

    @property
    def program(self):
        return self.enrolment.program


class AttemptItem(models.Model):
    """One question of an attempt's paper and the candidate's answer to it.

    ``question`` is the exact version shown. ``option_order`` is the display order of
    the option keys (the mapping stays on the server; the client sees positions
    ``0..n-1`` only). ``response`` holds original option keys (objective) or text
    (short). ``seq`` is the client's per-answer sequence number: a save with a
    ``seq`` not above the stored one is ignored (idempotent, stale-safe).
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    question = models.ForeignKey("exam_plugin.Question", on_delete=models.PROTECT, related_name="attempt_items")
    points = models.DecimalField(max_digits=5, decimal_places=1)
    option_order = models.JSONField(default=list)
    response = models.JSONField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)
    client_written_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    auto_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    final_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="exam_unique_item_position")]

    def __str__(self):
        return f"{self.attempt_id}/{self.position + 1}"

    @property
    def answered(self) -> bool:
        value = self.response
        if value is None:
            return False
        if isinstance(value, str):
            return bool(value.strip())
        return bool(value)


class TimeCompensation(models.Model):
    """Logged extra time for one attempt (network failure, crash…)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="compensations")
    minutes = models.PositiveIntegerField(_("minutes"))
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("time compensation")
        verbose_name_plural = _("time compensations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"+{self.minutes}′ {self.reason}"
