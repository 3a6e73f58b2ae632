"""Offline spells of formal attempts and practice results synced from devices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineSpell(models.Model):
    """A stretch during which a candidate's exam page could not reach the server.

    Recorded by the server when a device replays its answer journal after a failed
    flush (``exam_plugin.services.offline.replay_answers``): ``started_at`` is the server's last
    contact with the attempt before the replay (its own clock, not the device's),
    ``ended_at`` when the replay arrived. Shown to proctors and the exam office as a
    basis for time compensation; it changes no deadline by itself.
    """

    attempt = models.ForeignKey("exam_plugin.Attempt", on_delete=models.CASCADE, related_name="offline_spells")
    started_at = models.DateTimeField(_("offline since (last contact)"))
    ended_at = models.DateTimeField(_("back online at"))
    answers_replayed = models.PositiveIntegerField(_("answers replayed"), default=0)
    late_answers_accepted = models.PositiveIntegerField(
        _("answers accepted after the deadline"), default=0,
        help_text=_("Written before the deadline, arrived after it within the reconnect window."),
    )

    class Meta:
        verbose_name = _("offline spell")
        verbose_name_plural = _("offline spells")
        ordering = ["attempt", "started_at"]
        constraints = [models.UniqueConstraint(fields=["attempt", "started_at"], name="exam_unique_offline_spell")]

    def __str__(self):
        return f"{self.attempt_id}: {self.started_at:%H:%M:%S}–{self.ended_at:%H:%M:%S}"

    @property
    def minutes(self) -> float:
        return round((self.ended_at - self.started_at).total_seconds() / 60, 1)


class PracticeResult(models.Model):
    """A practice set taken on a device (offline, or on a training-room laptop) and
    synced back. ``client_uuid`` is made by the device for each try, so sending the same
    result again (a retried sync, a pack merged twice) changes nothing. The score is the
    server's own, recomputed from ``answers`` with the practice keys."""

    class Source(models.TextChoices):
        OFFLINE = "offline", _("Offline on a device")
        PACK = "pack", _("Training-room pack")

    enrolment = models.ForeignKey("course_content.Enrolment", on_delete=models.CASCADE, related_name="+")
    client_uuid = models.UUIDField(_("device result id"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.OFFLINE)
    taken_at = models.DateTimeField(_("taken at (device clock)"), null=True, blank=True)
    synced_at = models.DateTimeField(_("synced at"), auto_now_add=True)
    answers = models.JSONField(_("answers"), default=list)
    score = models.PositiveIntegerField(_("correct answers"), default=0)
    max_score = models.PositiveIntegerField(_("scored questions"), default=0)

    class Meta:
        verbose_name = _("practice result")
        verbose_name_plural = _("practice results")
        ordering = ["-synced_at"]

    def __str__(self):
        return f"{self.enrolment_id}: {self.score}/{self.max_score}"
