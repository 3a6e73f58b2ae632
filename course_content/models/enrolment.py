from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """A learner studying a program at one level. Access never expires (终身复学)."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Enrolled by an administrator")
        REGISTRATION = "registration", _("Approved registration")
        PACK = "pack", _("Training-room pack")

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments",
                                verbose_name=_("learner"))
    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="enrolments",
                                verbose_name=_("program"))
    level = models.ForeignKey("course_content.ProgramLevel", on_delete=models.PROTECT, related_name="enrolments",
                              verbose_name=_("level"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ADMIN)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["learner", "program", "level"], name="unique_enrolment")
        ]

    def __str__(self):
        return f"{self.learner} · {self.program.title} {self.level.name}"


class StudyInterval(models.Model):
    """The hours ledger: one credited stretch of study on one lesson.

    Totals are always derived from these rows (``course_content.services.ledger``); nothing else
    stores hours. ``credited_seconds`` may be less than ``ended_at - started_at`` when a
    rule cut it (lesson cap, overlap with another device).
    """

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline (replayed)")
        PACK = "pack", _("Training-room pack")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="study_intervals")
    lesson = models.ForeignKey("wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+")
    lesson_title = models.CharField(_("lesson"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    credited_seconds = models.PositiveIntegerField(_("credited seconds"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    device_id = models.CharField(_("device"), max_length=64, blank=True)
    heartbeats = models.PositiveIntegerField(_("heartbeats"), default=0)
    video_skipped_seconds = models.PositiveIntegerField(
        _("video skipped (s)"), default=0, help_text=_("Video time jumped over by seeking ahead; never credited.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("study interval")
        verbose_name_plural = _("study intervals")
        ordering = ["started_at"]
        indexes = [models.Index(fields=["enrolment", "started_at"]), models.Index(fields=["enrolment", "lesson"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_at__gte=models.F("started_at")), name="interval_ends_after_start")
        ]

    def __str__(self):
        return f"{self.lesson_title} {self.started_at:%Y-%m-%d %H:%M:%S}+{self.credited_seconds}s"
