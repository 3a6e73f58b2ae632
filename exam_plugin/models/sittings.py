"""Exam sittings (formal, mock, make-up) and the candidates admitted to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamSitting(models.Model):
    """One exam slot of a program. Formal sittings come from the program calendar
    (``exam_plugin.calendar_rules``) and admins may edit or add them.

    ``levels`` empty means every level of the program. ``scored=False`` is an unscored
    mock sitting (dual-carbon's Tuesday test). A make-up sitting (补考) points at the
    sitting it repeats and may require a fee.
    """

    class Kind(models.TextChoices):
        FORMAL = "formal", _("Formal exam")
        MOCK = "mock", _("Mock test")
        MAKE_UP = "make_up", _("Make-up exam")

    program = models.ForeignKey("course_content.ProgramPage", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("program"))
    levels = models.ManyToManyField("course_content.ProgramLevel", blank=True, related_name="+", verbose_name=_("levels"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FORMAL)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    scored = models.BooleanField(_("scored"), default=True)
    repeats = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="make_ups",
        verbose_name=_("make-up of"),
    )
    fee_required = models.BooleanField(_("fee required"), default=False)
    fee_cny = models.PositiveIntegerField(_("fee (CNY)"), default=0)
    calendar_key = models.CharField(
        max_length=60, blank=True, editable=False,
        help_text="Set on sittings generated from the calendar so generation is idempotent.",
    )
    results_released_at = models.DateTimeField(_("results released at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exam sitting")
        verbose_name_plural = _("exam sittings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "calendar_key"], condition=~models.Q(calendar_key=""), name="exam_unique_calendar_key"
            ),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="exam_sitting_ends_after_start"),
        ]

    def __str__(self):
        from django.utils import timezone

        local = timezone.localtime(self.starts_at)
        return f"{self.title or self.get_kind_display()} {local:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    def admits_level(self, level) -> bool:
        ids = [lv.pk for lv in self.levels.all()]
        return not ids or level.pk in ids


class Candidate(models.Model):
    """A learner admitted to a sitting, with an admission number (准考证号)."""

    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, related_name="candidates")
    enrolment = models.ForeignKey("course_content.Enrolment", on_delete=models.CASCADE, related_name="+")
    admission_number = models.CharField(_("admission number"), max_length=32, unique=True)
    fee_paid = models.BooleanField(_("fee paid"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["sitting", "admission_number"]
        constraints = [models.UniqueConstraint(fields=["sitting", "enrolment"], name="exam_unique_candidate")]

    def __str__(self):
        return self.admission_number
